"""The bounded pools of secrets the generated profiles share, each hashed once per seed run.

See the package docstring for why sharing hashes is acceptable for synthetic demo data only.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple, TypeVar

from helpdesk.portal import security
from helpdesk.portal.security import HashCost
from helpdesk.portal.seed import data

T = TypeVar("T")


def hash_all(
    hash_one: Callable[[T, HashCost], str], values: Sequence[T], cost: HashCost
) -> list[str]:
    """Each value through the portal's own argon2id function, on every core: argon2 releases the
    GIL, so threads scale."""
    if len(values) <= 1:
        return [hash_one(value, cost) for value in values]
    with ThreadPoolExecutor(max_workers=min(len(values), os.cpu_count() or 1)) as executor:
        return list(executor.map(hash_one, values, [cost] * len(values)))


class AnswerSet(NamedTuple):
    language: str
    question_keys: tuple[str, str, str]
    answers: tuple[str, str, str]


def _answer(rng: random.Random, question_key: str, language: str) -> str:
    if question_key in ("first_vehicle_learned", "first_car_driven"):
        return rng.choice(data.VEHICLE_MAKES)
    return rng.choice(data.ANSWERS[language][question_key])


def _build_answer_sets(per_language: int) -> tuple[AnswerSet, ...]:
    # A fixed seed of its own: the pool is the same whatever the count and the clock, so the
    # answers of a generated profile follow from its id alone (see `answer_set_index`).
    rng = random.Random("helpdesk demo answer sets v1")
    catalogue = data.DFO_QUESTIONS + data.OTHER_QUESTIONS
    sets: list[AnswerSet] = []
    for language in ("en", "fr"):
        seen: set[tuple[str, ...]] = set()
        while len(seen) < per_language:
            # Most portal users picked the DFO page's three questions; some picked others.
            if rng.random() < 0.7:
                keys = list(data.DFO_QUESTIONS)
            else:
                keys = sorted(rng.sample(catalogue, 3), key=catalogue.index)
            answers = [_answer(rng, key, language) for key in keys]
            if tuple(answers) in seen:
                continue
            seen.add(tuple(answers))
            sets.append(
                AnswerSet(
                    language, (keys[0], keys[1], keys[2]), (answers[0], answers[1], answers[2])
                )
            )
    return tuple(sets)


ANSWER_SETS_PER_LANGUAGE = 32
ANSWER_SETS: tuple[AnswerSet, ...] = _build_answer_sets(ANSWER_SETS_PER_LANGUAGE)


def answer_set_index(profile_id: str, answer_language: str) -> int:
    """Which pooled answer set a generated profile has: a function of its id and answer language."""
    spread = int.from_bytes(hashlib.sha256(profile_id.encode()).digest()[:4], "big")
    offset = 0 if answer_language == "en" else ANSWER_SETS_PER_LANGUAGE
    return offset + spread % ANSWER_SETS_PER_LANGUAGE


class Hashing:
    """argon2id hashes made in the background on every core (argon2 releases the GIL), so that
    generating profiles goes on meanwhile; asking for one waits until it is made."""

    def __init__(self, cost: HashCost) -> None:
        self._cost = cost
        self._executor = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 1, thread_name_prefix="seed-hash"
        )
        self._futures: dict[tuple[str, int], Future[str]] = {}

    def start(self, key: tuple[str, int], hash_one: Callable[[T, HashCost], str], value: T) -> None:
        if key not in self._futures:
            self._futures[key] = self._executor.submit(hash_one, value, self._cost)

    def __getitem__(self, key: tuple[str, int]) -> str:
        return self._futures[key].result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


class AnswerHashes:
    """Each pooled answer set hashed (with the real function, a fresh salt) at most once a run."""

    def __init__(self, hashing: Hashing) -> None:
        self._hashing = hashing

    def start(self, indices: Iterable[int]) -> None:
        for index in indices:
            self._hashing.start(
                ("answers", index), security.hash_answer_set, ANSWER_SETS[index].answers
            )

    def __getitem__(self, index: int) -> str:
        return self._hashing["answers", index]


# The seed once drew a pool of 16 access codes' first characters here, and a pool index for each
# seeded code. Access codes are now kept as an HMAC under the server secret, which the seed never
# has, so the seeded codes need no pool; the draws are still made so that every row drawn after
# them (most of the demo data) stays what it was.
RETIRED_POOL_SIZE = 16


def skip_retired_access_code_draws(rng: random.Random) -> None:
    for _ in range(RETIRED_POOL_SIZE * 4):
        rng.choice(security.ACCESS_CODE_ALPHABET)

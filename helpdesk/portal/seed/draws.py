"""Quick random draws and the small spellings the generated profiles are made of."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

from helpdesk.portal import search_keys

T = TypeVar("T")
Person = dict[str, str | None]
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class QuickRandom(random.Random):
    """`choice` and `randint` (as `pick` and `between`) by one multiplication: biased by at most
    2**-53 a draw, which demo data does not mind, and several times cheaper than rejection
    sampling, which a seed of a million profiles does."""

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def between(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def few(self, seq: Sequence[T], k: int) -> list[T]:
        """`k` distinct items of a short sequence (`sample` without its type checks)."""
        pool = list(seq)
        for i in range(k):
            j = i + int(self.random() * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    def weighted(self, seq: Sequence[T], cum_weights: Sequence[int]) -> T:
        """One of `seq`, by cumulative weights (`choices(…)[0]` without its overhead)."""
        return seq[bisect(cum_weights, self.random() * cum_weights[-1])]


def full_name(person: Person) -> str:
    return f"{person['given_names']} {person['surname']}"


@lru_cache(maxsize=4096)
def letters(text: str | None, length: int) -> str:
    """The first `length` letters of a name, unaccented, upper case: `Côté` → COTE."""
    found = "".join(ch for ch in search_keys.fold(text or "") if "a" <= ch <= "z").upper()
    return found[:length] or "X"


@lru_cache(maxsize=4096)
def bare(name: str) -> str:
    """A name as an e-mail address spells it: `Côté` → `cote`, `O'Neil` → `oneil`."""
    return "".join(search_keys.words(name))


def recovery_number(bits: int) -> str:
    """8 characters of the access-code alphabet from 48 random bits (31**8 < 2**40)."""
    characters = []
    for _ in range(8):
        bits, index = divmod(bits, len(RECOVERY_ALPHABET))
        characters.append(RECOVERY_ALPHABET[index])
    return "".join(characters)


def fold_email(email: str) -> str:
    # The addresses made here are ASCII without spaces, whose folding is lower case; anything
    # else takes the search route's own folding.
    if email.isascii() and " " not in email:
        return email.lower()
    return search_keys.fold(email)

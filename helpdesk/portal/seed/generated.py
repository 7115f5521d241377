"""N generated demo profiles: Canadian names, places and fisheries, drawn from seeded generators.

Batch after batch of 2,500 profiles, each drawn from a stream of random numbers of its own (seeded
with the batch's number), so the batches can be made in any order, on every core, and still come
out the same; a seed of N profiles is the first N of a seed of more (same clock). The first batch's
stream is the one stream the seed once drew every profile from, so the first 2,500 profiles are what
they always were (the console's tests and snapshots show some). What must be unique across batches
is settled here, in order, as the batches come in: the numbers of user codes, and the rare id or
recovery number another batch drew already.

The mix, roughly: 75 % individual, 10 % joint, 15 % non-personal over every subtype; 2 % locked now,
5 % with some failed attempts, 3 % with an active access code.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, NamedTuple

from sqlalchemy import Dialect

from helpdesk.portal import security
from helpdesk.portal.seed import data
from helpdesk.portal.seed.background import can_fork, in_background
from helpdesk.portal.seed.draws import (
    Person,
    QuickRandom,
    fold_email,
    full_name,
    letters,
    recovery_number,
)
from helpdesk.portal.seed.people import People, organisation_letters
from helpdesk.portal.seed.pools import (
    ANSWER_SETS,
    RETIRED_POOL_SIZE,
    AnswerHashes,
    Hashing,
    answer_set_index,
    skip_retired_access_code_draws,
)
from helpdesk.portal.seed.rows import (
    Batch,
    PreparedBatch,
    Row,
    hex_id,
    holder_row,
    permit_row,
    profile_row,
    replaced,
    settle_last_use,
)
from helpdesk.portal.seed.training import TRAINING_CALLERS

CHUNK = 2_500  # profiles per transaction and per stream of random numbers
BACKGROUND_FROM = 20_000  # profiles: below this child processes cost more than they save
EAGER_HASHING_FROM = 1_000  # profiles: from here on every pooled answer set is used
LOCK = timedelta(minutes=15)
SUBTYPES = ("business", "organization", "trust", "executor", "mandatary")
TWO_STEP_METHODS = ("authenticator_app", "sms", "email")
STREAM = "helpdesk demo profiles v1"

_CITY_WEIGHTS = list(accumulate(city.weight for city in data.CITIES))
_SIGN_IN_COUNT_WEIGHTS = list(accumulate((14, 22, 20, 14, 10, 7, 5, 4, 4)))
_TRAINING_CODES = frozenset(caller.user_code for caller in TRAINING_CALLERS)


def prepared_batches(
    now: datetime,
    count: int,
    dialect: Dialect,
    hash_cost: security.HashCost,
    chunk: int | None = None,
) -> Iterator[PreparedBatch]:
    """`count` profiles, batch by batch, ready to insert into a database of `dialect`, every hash
    filled in at `hash_cost`.

    A large seed generates and prepares its batches in child processes, one per core, while this
    one settles and inserts them; the batches are the same either way.
    """
    chunk = chunk or CHUNK
    sizes = [min(chunk, count - start) for start in range(0, count, chunk)]

    def produce(worker: int, workers: int) -> Iterator[MadeBatch]:
        for number in range(worker, len(sizes), workers):
            yield make_batch(now, number, sizes[number], dialect)

    made: Iterator[MadeBatch]
    if count >= BACKGROUND_FROM and can_fork():
        made = in_background(produce, "demo seed", workers=os.cpu_count() or 1)
    else:
        made = produce(0, 1)
    # Started once the children are forked: threads do not survive a fork.
    hashing = Hashing(hash_cost)
    try:
        answer_hashes = AnswerHashes(hashing)
        if count >= EAGER_HASHING_FROM:
            # Every pooled secret will be used: hash them all while the first batch is made.
            answer_hashes.start(range(len(ANSWER_SETS)))
        settle = _Settle()
        for batch in made:
            yield settle(batch, answer_hashes)
    finally:
        hashing.close()
        getattr(made, "close", lambda: None)()


class MadeBatch(NamedTuple):
    """A batch as its stream made it, and what settling it needs, profile by profile: the
    letters, width and number of its user code, and the index of its pooled answer set."""

    prepared: PreparedBatch
    user_codes: list[tuple[str, int, int]]
    answer_sets: list[int]


def make_batch(now: datetime, number: int, size: int, dialect: Dialect) -> MadeBatch:
    """Batch `number` (from 0) of `size` profiles, from its own stream, its answer hashes left
    out (`_Settle` fills them in)."""
    generator = _Generator(now, STREAM if number == 0 else f"{STREAM}, batch {number}")
    batch = Batch()
    for _ in range(size):
        generator.add_profile(batch)
    return MadeBatch(batch.prepare(dialect), generator.user_code_parts, generator.answer_sets)


class _Settle:
    """What must be unique across batches, made so in the order the batches are inserted.

    A user code's number counts on from the highest one the earlier batches gave its letters (a
    batch's own numbers start again from 1); a profile, representative or access-code id or a
    recovery number an earlier batch drew already is drawn again from a stream of its own. The
    first batch, counting from nothing, keeps every value its stream drew."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}  # user-code letters -> highest number given
        self.ids: set[str] = set()
        self.recovery_numbers = {caller.recovery_number for caller in TRAINING_CALLERS}
        self.rng = random.Random(f"{STREAM}, drawn again")

    def __call__(self, made: MadeBatch, answer_hashes: AnswerHashes) -> PreparedBatch:
        batch = made.prepared
        answer_hashes.start(set(made.answer_sets))
        self._unique_ids(batch)
        step = batch.step("profiles")
        if step is None:
            return batch
        recovery, code, answers = (
            step.where(name) for name in ("recovery_number", "user_code", "answers_hash")
        )
        numbers, before = self.numbers, dict(self.numbers)
        bumped: dict[str, int] = {}
        hashes = {pooled: answer_hashes[pooled] for pooled in set(made.answer_sets)}
        values = step.values
        for index, (code_letters, width, number) in enumerate(made.user_codes):
            row = values[index]
            changes: dict[Any, Any] = {answers: hashes[made.answer_sets[index]]}
            offset = before.get(code_letters, 0) + bumped.get(code_letters, 0)
            if offset:
                user_code = f"{code_letters}{number + offset:0{width}d}"
                while user_code in _TRAINING_CODES:
                    bumped[code_letters] = bumped.get(code_letters, 0) + 1
                    offset += 1
                    user_code = f"{code_letters}{number + offset:0{width}d}"
                changes[code] = user_code
            numbers[code_letters] = number + offset
            if row[recovery] in self.recovery_numbers:
                changes[recovery] = self._draw(
                    self.recovery_numbers, lambda: recovery_number(self.rng.getrandbits(48))
                )
            else:
                self.recovery_numbers.add(row[recovery])
            values[index] = replaced(row, changes)
        return batch

    def _unique_ids(self, batch: PreparedBatch) -> None:
        for table, prefix in (
            ("profiles", "prf"),
            ("representatives", "rep"),
            ("access_codes", "acc"),
        ):
            step = batch.step(table)
            if step is None:
                continue
            place = step.where("id")
            for row in step.values:
                if row[place] in self.ids:
                    new = self._draw(self.ids, lambda: hex_id(self.rng, prefix))  # noqa: B023
                    _rename(batch, row[place], new)
                else:
                    self.ids.add(row[place])

    def _draw(self, seen: set[str], draw: Callable[[], str]) -> str:
        while True:
            value = draw()
            if value not in seen:
                seen.add(value)
                return value


def _rename(batch: PreparedBatch, old: str, new: str) -> None:
    """Every row of `batch` that has id `old` or refers to it, given `new` instead (rare: an id
    another batch drew already)."""
    for step in batch.steps:
        places = [step.where(name) for name in ("id", "profile_id") if name in step.columns]
        for index, row in enumerate(step.values):
            changes: dict[Any, Any] = {place: new for place in places if row[place] == old}
            if changes and step.table == "access_codes" and step.where("id") in changes:
                changes[step.where("code_digest")] = unknown_code_digest(new)
            if changes:
                step.values[index] = replaced(row, changes)


class _Generator:
    def __init__(self, now: datetime, stream: str) -> None:
        self.now = now
        self.today = now.date()
        self.rng = QuickRandom(stream)
        self.people = People(self.rng)
        skip_retired_access_code_draws(self.rng)
        self.recovery_numbers = {caller.recovery_number for caller in TRAINING_CALLERS}
        self.user_codes = {caller.user_code for caller in TRAINING_CALLERS}
        self.ids: set[str] = set()
        self._code_counters: dict[str, int] = {}
        # Profile by profile: (letters, width, number) of the user code, the pooled answer set.
        self.user_code_parts: list[tuple[str, int, int]] = []
        self.answer_sets: list[int] = []

    # --- one profile ------------------------------------------------------------------------

    def add_profile(self, batch: Batch) -> None:
        rng = self.rng
        profile_id = self._unique(self.ids, lambda: hex_id(rng, "prf"))
        city = rng.weighted(data.CITIES, _CITY_WEIGHTS)
        language = "fr" if rng.random() < city.french else "en"
        # Some callers gave their answers in the other language.
        answer_language = language if rng.random() >= 0.10 else ("en" if language == "fr" else "fr")
        culture = self.people.culture(language, city)
        created_at = self.now - timedelta(days=rng.between(30, 4000), seconds=rng.between(0, 86399))

        kind_draw = rng.random()
        holders: list[Person] = []
        representatives: list[Row] = []
        subtype = organisation_name = None
        if kind_draw < 0.75:
            kind = "individual"
            holders = [self.people.person(culture, language, rng.pick("fm"))]
            contact = holders[0]
            display_name = full_name(contact)
            user_code = self._user_code(
                letters(contact["surname"], 5) + letters(contact["given_names"], 1), 2
            )
        elif kind_draw < 0.85:
            kind = "joint"
            holders = self.people.couple(culture, language)
            contact = holders[0]
            display_name = " & ".join(full_name(h) for h in holders)
            user_code = self._user_code(
                letters(holders[0]["surname"], 4)
                + letters(holders[1]["surname"], 1)
                + letters(holders[0]["given_names"], 1),
                2,
            )
        else:
            kind = "non_personal"
            subtype = rng.pick(SUBTYPES)
            people = [self.people.person(culture, language, rng.pick("fm")) for _ in range(3)]
            organisation_name, named_after = self.people.organisation(
                subtype, language, city, people
            )
            display_name = organisation_name
            roles = data.REPRESENTATIVE_ROLES[subtype]
            how_many = rng.weighted((1, 2, 3), (50, 85, 100))
            representatives = [
                {
                    "id": hex_id(rng, "rep"),
                    "profile_id": profile_id,
                    "name": full_name(person),
                    "role": roles[0] if position == 0 else rng.pick(roles[1:]),
                }
                for position, person in enumerate(people[:how_many])
            ]
            contact = people[0]
            if named_after is None:  # a business or an organization: PATL0042
                user_code = self._user_code(organisation_letters(organisation_name), 4)
            else:  # an estate, a trust, a mandate: named after a person, LEBLJE05
                surname, given = named_after
                code_letters = (
                    letters(surname, 4) + letters(given, 2) if given else letters(surname, 6)
                )
                user_code = self._user_code(code_letters, 2)

        area_code = rng.pick(city.area_codes)
        phone = self.people.phone(area_code)
        mobile = self.people.phone(area_code) if rng.random() < 0.65 else None
        fax_share = 0.5 if kind == "non_personal" else 0.06
        fax = self.people.phone(area_code) if rng.random() < fax_share else None
        # An estate or a trust is reached through its representative's own address.
        business = subtype in ("business", "organization")
        email = self.people.email(contact, city, organisation_name if business else None)
        two_step = rng.random() < 0.8
        profile = profile_row(
            id=profile_id,
            kind=kind,
            subtype=subtype,
            recovery_number=self._unique(
                self.recovery_numbers, lambda: recovery_number(rng.getrandbits(48))
            ),
            user_code=user_code,
            display_name=display_name,
            preferred_language=language,
            email=email,
            email_norm=fold_email(email),
            postal_address=self.people.address(city, language),
            city=city.name,
            province=city.province,
            phone=phone,
            fax=fax,
            mobile=mobile,
            organisation_name=organisation_name,
            two_step_enrolled=two_step,
            two_step_method=rng.weighted(TWO_STEP_METHODS, (45, 80, 100)) if two_step else None,
            question_keys=None,
            answers_hash=None,
            answer_language=answer_language,
            created_at=created_at,
            **contact,
        )
        pool_index = answer_set_index(profile_id, answer_language)
        profile["question_keys"] = list(ANSWER_SETS[pool_index].question_keys)
        self.answer_sets.append(pool_index)
        batch.add_profile(
            profile,
            (
                holder_row(profile_id=profile_id, position=position, **holder)
                for position, holder in enumerate(holders, start=1)
            ),
            representatives,
        )
        first_credential, first_sign_in = len(batch.credentials), len(batch.sign_ins)
        credentials = self._credentials(batch, profile_id, kind, created_at)
        self._sign_ins_and_security(batch, profile, city, credentials)
        settle_last_use(batch.credentials[first_credential:], batch.sign_ins[first_sign_in:])
        self._fishing(batch, profile_id, kind, city, language, contact)
        self._notifications(batch, profile_id, language, created_at)

    def _user_code(self, letters: str, width: int) -> str:
        """Letters of the name and a number, like the portal's: TREMBM01, PATL0042."""
        rng = self.rng
        while True:
            number = self._code_counters.get(letters, 0) + rng.between(1, 3)
            self._code_counters[letters] = number
            code = f"{letters}{number:0{width}d}"
            if code not in self.user_codes:
                self.user_codes.add(code)
                self.user_code_parts.append((letters, width, number))
                return code

    def _unique(self, seen: set[str], draw: Callable[[], str]) -> str:
        while True:
            value = draw()
            if value not in seen:
                seen.add(value)
                return value

    # --- the portal's records -------------------------------------------------------------------

    def _credentials(
        self, batch: Batch, profile_id: str, kind: str, created_at: datetime
    ) -> list[str]:
        rng = self.rng
        types = [
            t for t, share in (("gckey", 0.65), ("sign_in_partner", 0.35)) if rng.random() < share
        ]
        if rng.random() < (0.8 if kind == "non_personal" else 0.15) or not types:
            types.append("user_code")
        age = (self.now - created_at).days
        for credential in types:
            linked_at = created_at + timedelta(days=rng.between(0, max(age - 1, 0)))
            used = rng.random() < 0.9
            since_linked = max((self.now - linked_at).days, 1)
            batch.credentials.append(
                {
                    "profile_id": profile_id,
                    "type": credential,
                    "linked_at": linked_at,
                    "last_used_at": self.now - timedelta(days=rng.between(0, since_linked))
                    if used
                    else None,
                }
            )
        return types

    def _sign_ins_and_security(
        self, batch: Batch, profile: Row, city: data.City, credentials: list[str]
    ) -> None:
        rng = self.rng
        profile_id = profile["id"]
        where = f"{city.name}, {city.province}"
        # Most people sign in now and then, a few every week: 0 to 8 in the history.
        for _ in range(rng.weighted(range(9), _SIGN_IN_COUNT_WEIGHTS)):
            credential = rng.pick(credentials)
            elsewhere = rng.random() < 0.15
            place = rng.pick(data.CITIES) if elsewhere else city
            batch.sign_ins.append(
                {
                    "profile_id": profile_id,
                    "at": self.now - timedelta(seconds=rng.between(3600, 120 * 86400)),
                    "outcome": "failed" if rng.random() < 0.12 else "success",
                    "credential": credential,
                    "source": f"{place.name}, {place.province}",
                }
            )

        draw = rng.random()
        if draw < 0.02:
            # Locked within the last 15 minutes, so the lock ends within the next 15.
            locked_at = self.now - timedelta(seconds=rng.between(5, int(LOCK.total_seconds()) - 5))
            reason = "verification_failures" if rng.random() < 0.6 else "sign_in_failures"
            if reason == "sign_in_failures":
                credential = rng.pick(credentials)
                source = where
                batch.sign_ins.extend(
                    {
                        "profile_id": profile_id,
                        "at": locked_at - timedelta(seconds=40 * (4 - attempt)),
                        "outcome": "failed",
                        "credential": credential,
                        "source": source,
                    }
                    for attempt in range(5)
                )
            else:
                source = f"Profile recovery · {where}"
            profile.update(
                failed_attempts=5,
                locked_at=locked_at,
                locked_until=locked_at + LOCK,
                lock_reason=reason,
                last_failure_source=source,
            )
        elif draw < 0.07:
            profile.update(
                failed_attempts=rng.between(1, 4), last_failure_source=f"Profile recovery · {where}"
            )
        elif draw < 0.10:
            issued_at = self.now - timedelta(seconds=rng.between(60, 23 * 3600))
            rng.randrange(RETIRED_POOL_SIZE)  # kept, so the rows drawn after stay the same
            code_id = hex_id(rng, "acc")
            batch.access_codes.append(
                {
                    "id": code_id,
                    "profile_id": profile_id,
                    "code_digest": unknown_code_digest(code_id),
                    "issued_at": issued_at,
                    "issued_by": "agent",
                    "expires_at": issued_at + timedelta(hours=24),
                    "status": "active",
                    "ended_at": None,
                }
            )

    def _fishing(
        self,
        batch: Batch,
        profile_id: str,
        kind: str,
        city: data.City,
        language: str,
        contact: Person,
    ) -> None:
        rng = self.rng
        coastal = city.coast != "inland"
        share = (0.9 if kind == "non_personal" else 0.55) if coastal else 0.1
        if rng.random() >= share:
            return
        fisheries = data.FISHERIES[city.coast]
        for en, fr, areas in rng.few(fisheries, min(len(fisheries), rng.between(1, 3))):
            status = rng.weighted(("active", "expired", "suspended"), (80, 95, 100))
            area = rng.pick(areas)
            description = (en.format(area=area), fr.format(area=area))
            number = str(rng.between(100000, 999999))
            batch.permits.append(permit_row(profile_id, description, number, status, self.today))
        if coastal and rng.random() < 0.6:
            for _ in range(2 if kind == "non_personal" and rng.random() < 0.4 else 1):
                name = rng.pick(data.VESSEL_NAMES[language]).format(
                    given=str(contact["given_names"]).split(" ")[0]
                )
                if rng.random() < 0.2:
                    name += rng.pick((" II", " III"))
                batch.vessels.append(
                    {
                        "profile_id": profile_id,
                        "name": name,
                        "registration_number": f"{rng.between(10000, 199999):06d}",
                        "length_m": round(rng.uniform(6.5, 19.8), 1),
                    }
                )

    def _notifications(
        self, batch: Batch, profile_id: str, language: str, created_at: datetime
    ) -> None:
        rng = self.rng
        column = 0 if language == "en" else 1
        year = self.today.year
        batch.notifications.append(
            {
                "profile_id": profile_id,
                "text": data.NOTIFICATIONS[0][column],
                "issued_on": created_at.date(),
                "read": True,
            }
        )
        for texts in rng.few(data.NOTIFICATIONS[1:], rng.between(0, 2)):
            batch.notifications.append(
                {
                    "profile_id": profile_id,
                    "text": texts[column].format(year=year),
                    "issued_on": self.today - timedelta(days=rng.between(0, 200)),
                    "read": rng.random() < 0.6,
                }
            )


def unknown_code_digest(code_id: str) -> str:
    """The digest of a seeded active code that no code has: made without the server secret (the
    seed never has it), so no typed code's HMAC matches it, yet it is the same at every seed run
    and unique, as the digests' index requires."""
    return hashlib.sha256(
        b"helpdesk seeded access code, no code\x1f" + code_id.encode()
    ).hexdigest()

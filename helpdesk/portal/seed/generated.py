"""N generated demo profiles: Canadian names, places and fisheries, drawn from one seeded generator.

One stream of random numbers, profile after profile, so a seed of N profiles is the first N of a
seed of more (same clock). The mix, roughly: 75 % individual, 10 % joint, 15 % non-personal over
every subtype; 2 % locked now, 5 % with some failed attempts, 3 % with an active access code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import Dialect

from helpdesk.portal import search_keys
from helpdesk.portal.seed import data
from helpdesk.portal.seed.background import can_fork, in_background
from helpdesk.portal.seed.draws import (
    Person,
    QuickRandom,
    bare,
    fold_email,
    full_name,
    letters,
    recovery_number,
)
from helpdesk.portal.seed.pools import (
    ANSWER_SETS,
    AccessCodePool,
    AnswerHashes,
    answer_set_index,
)
from helpdesk.portal.seed.rows import (
    Batch,
    PreparedBatch,
    Row,
    hex_id,
    holder_row,
    permit_row,
    profile_row,
)
from helpdesk.portal.seed.training import TRAINING_CALLERS

CHUNK = 2_500  # profiles per transaction
BACKGROUND_FROM = 20_000  # profiles: below this a second process costs more than it saves
LOCK = timedelta(minutes=15)
SUBTYPES = ("business", "organization", "trust", "executor", "mandatary")
TWO_STEP_METHODS = ("authenticator_app", "sms", "email")

_CITY_WEIGHTS = list(accumulate(city.weight for city in data.CITIES))
_SIGN_IN_COUNT_WEIGHTS = list(accumulate((14, 22, 20, 14, 10, 7, 5, 4, 4)))
_GIVEN = {
    ("fr", "f"): data.GIVEN_FR_F,
    ("fr", "m"): data.GIVEN_FR_M,
    ("en", "f"): data.GIVEN_EN_F,
    ("en", "m"): data.GIVEN_EN_M,
    ("other", "f"): data.GIVEN_OTHER_F,
    ("other", "m"): data.GIVEN_OTHER_M,
}
_SURNAMES = {"fr": data.SURNAMES_FR, "en": data.SURNAMES_EN, "other": data.SURNAMES_OTHER}


def prepared_batches(
    now: datetime, count: int, dialect: Dialect, chunk: int = CHUNK
) -> Iterator[PreparedBatch]:
    """`count` profiles, batch by batch, ready to insert into a database of `dialect`.

    A large seed generates and prepares in a child process while this one inserts, so both cores
    work; the batches are the same either way, the generator being one seeded stream.
    """

    def prepare() -> Iterator[PreparedBatch]:
        for batch in generated_batches(now, count, chunk):
            yield batch.prepare(dialect)

    if count >= BACKGROUND_FROM and can_fork():
        yield from in_background(prepare, "demo seed")
    else:
        yield from prepare()


def generated_batches(now: datetime, count: int, chunk: int = CHUNK) -> Iterator[Batch]:
    """`count` profiles in batches of `chunk`, every hash filled in."""
    generator = _Generator(now)
    answer_hashes = AnswerHashes()
    for start in range(0, count, chunk):
        batch = Batch()
        for _ in range(min(chunk, count - start)):
            generator.add_profile(batch)
        # Hash only the pooled secrets this batch uses (a small seed hashes only a few).
        answer_hashes.ensure(generator.pending_answer_sets.values())
        for profile in batch.profiles:
            profile["answers_hash"] = answer_hashes[generator.pending_answer_sets[profile["id"]]]
        generator.pending_answer_sets.clear()
        generator.access_codes.ensure(generator.pending_access_codes.values())
        for code in batch.access_codes:
            code["code_hash"] = generator.access_codes[
                generator.pending_access_codes[code["id"]]
            ].code_hash
        generator.pending_access_codes.clear()
        yield batch


class _Generator:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = now.date()
        self.rng = QuickRandom("helpdesk demo profiles v1")
        self.access_codes = AccessCodePool(self.rng)
        self.recovery_numbers = {caller.recovery_number for caller in TRAINING_CALLERS}
        self.user_codes = {caller.user_code for caller in TRAINING_CALLERS}
        self.ids: set[str] = set()
        self._code_counters: dict[str, int] = {}
        # profile id -> index of its pooled answer set, until the batch's hashes are filled in
        self.pending_answer_sets: dict[str, int] = {}
        # access code id -> index of its pooled code, likewise
        self.pending_access_codes: dict[str, int] = {}

    # --- one profile ------------------------------------------------------------------------

    def add_profile(self, batch: Batch) -> None:
        rng = self.rng
        profile_id = self._unique(self.ids, lambda: hex_id(rng, "prf"))
        city = rng.weighted(data.CITIES, _CITY_WEIGHTS)
        language = "fr" if rng.random() < city.french else "en"
        # Some callers gave their answers in the other language.
        answer_language = language if rng.random() >= 0.10 else ("en" if language == "fr" else "fr")
        culture = self._culture(language, city)
        created_at = self.now - timedelta(days=rng.between(30, 4000), seconds=rng.between(0, 86399))

        kind_draw = rng.random()
        holders: list[Person] = []
        representatives: list[Row] = []
        subtype = organisation_name = None
        if kind_draw < 0.75:
            kind = "individual"
            holders = [self._person(culture, language, rng.pick("fm"))]
            contact = holders[0]
            display_name = full_name(contact)
            user_code = self._user_code(
                letters(contact["surname"], 5) + letters(contact["given_names"], 1), 2
            )
        elif kind_draw < 0.85:
            kind = "joint"
            holders = self._couple(culture, language)
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
            people = [self._person(culture, language, rng.pick("fm")) for _ in range(3)]
            organisation_name = self._organisation(subtype, language, city, people)
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
            user_code = self._user_code(letters(organisation_name, 4), 4)

        area_code = rng.pick(city.area_codes)
        phone = self._phone(area_code)
        mobile = self._phone(area_code) if rng.random() < 0.65 else None
        fax_share = 0.5 if kind == "non_personal" else 0.06
        fax = self._phone(area_code) if rng.random() < fax_share else None
        email = self._email(contact, organisation_name)
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
            postal_address=self._address(city, language),
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
        self.pending_answer_sets[profile_id] = pool_index
        batch.add_profile(
            profile,
            (
                holder_row(profile_id=profile_id, position=position, **holder)
                for position, holder in enumerate(holders, start=1)
            ),
            representatives,
        )
        credentials = self._credentials(batch, profile_id, kind, created_at)
        self._sign_ins_and_security(batch, profile, city, credentials)
        self._fishing(batch, profile_id, kind, city, language, contact)
        self._notifications(batch, profile_id, language, created_at)

    # --- people and names ---------------------------------------------------------------------

    def _culture(self, language: str, city: data.City) -> str:
        draw = self.rng.random()
        if language == "fr":
            return "fr" if draw < 0.9 else ("en" if draw < 0.96 else "other")
        french_surnames = 0.1 + city.french / 2  # Acadian and Quebec names in English too
        return "fr" if draw < french_surnames else ("other" if draw > 0.85 else "en")

    def _person(self, culture: str, language: str, sex: str, surname: str | None = None) -> Person:
        rng = self.rng
        given = rng.pick(_GIVEN[culture, sex])
        if rng.random() < 0.08:
            second = rng.pick(_GIVEN[culture, sex])
            if second != given and "-" not in given and " " not in given:
                given = f"{given} {second}"
        first_given = given.split(" ")[0]
        preferred = data.PREFERRED_NAMES.get(first_given) if rng.random() < 0.45 else None
        titles = data.TITLES[language][sex]
        return {
            "title": rng.pick(titles) if rng.random() < 0.85 else None,
            "given_names": given,
            "preferred_name": preferred,
            "surname": surname or rng.pick(_SURNAMES[culture]),
            "suffix": rng.pick(data.SUFFIXES) if sex == "m" and rng.random() < 0.02 else None,
        }

    def _couple(self, culture: str, language: str) -> list[Person]:
        rng = self.rng
        first = self._person(culture, language, rng.pick("fm"))
        # In Quebec spouses keep their own names; elsewhere many share one.
        shared = rng.random() < (0.25 if culture == "fr" else 0.6)
        second_sex = "f" if first["title"] in ("Mr.", "M.") or rng.random() < 0.5 else "m"
        second = self._person(culture, language, second_sex, first["surname"] if shared else None)
        return [first, second]

    def _organisation(
        self, subtype: str, language: str, city: data.City, people: list[Person]
    ) -> str:
        rng = self.rng
        template = rng.pick(data.ORGANISATIONS[subtype][language])
        # An estate, a trust or a mandate is usually in the family name of whoever acts for it.
        subject = people[0] if rng.random() < 0.7 else people[2]
        return template.format(
            surname=subject["surname"],
            given=rng.pick(_GIVEN[("fr" if language == "fr" else "en"), rng.pick("fm")]),
            place=city.name,
        )

    def _user_code(self, letters: str, width: int) -> str:
        """Letters of the name and a number, like the portal's: TREMBM01, PATL0042."""
        rng = self.rng
        while True:
            number = self._code_counters.get(letters, 0) + rng.between(1, 3)
            self._code_counters[letters] = number
            code = f"{letters}{number:0{width}d}"
            if code not in self.user_codes:
                self.user_codes.add(code)
                return code

    def _unique(self, seen: set[str], draw: Callable[[], str]) -> str:
        while True:
            value = draw()
            if value not in seen:
                seen.add(value)
                return value

    # --- contact details ----------------------------------------------------------------------

    def _phone(self, area_code: str) -> str:
        rng = self.rng
        exchange = rng.between(210, 989)
        if exchange in (311, 411, 555, 611, 911):
            exchange += 1
        return f"{area_code}-{exchange}-{rng.between(0, 9999):04d}"

    def _email(self, person: Person, organisation_name: str | None) -> str:
        rng = self.rng
        if organisation_name and rng.random() < 0.5:
            slug = "".join(
                w for w in search_keys.words(organisation_name) if w not in _LEGAL_WORDS
            )[:24]
            return f"{rng.pick(('info', 'admin', 'bureau'))}@{slug}.ca"
        given = bare(str(person["given_names"]).split(" ")[0])
        surname = bare(str(person["surname"]))
        local = rng.pick(
            (
                f"{given}.{surname}",
                f"{given}{surname}",
                f"{given[0]}{surname}",
                f"{given}_{surname}",
            )
        )
        if rng.random() < 0.3:
            local += str(rng.between(1, 99))
        return f"{local}@{rng.pick(data.EMAIL_DOMAINS)}"

    def _address(self, city: data.City, language: str) -> str:
        rng = self.rng
        number = rng.between(1, 2400)
        postal_code = (
            f"{rng.pick(city.districts)} {rng.between(0, 9)}"
            f"{rng.pick(data.POSTAL_LETTERS)}{rng.between(0, 9)}"
        )
        if city.province == "QC" or (language == "fr" and city.french > 0.5):
            street = f"{number}, {rng.pick(data.STREETS_FR)}"
            if rng.random() < 0.1:
                street += f", app. {rng.between(1, 12)}"
        else:
            street = f"{number} {rng.pick(data.STREETS_EN)}"
            if rng.random() < 0.1:
                street = f"Apt {rng.between(1, 12)}, {street}"
        return f"{street}\n{city.name} {city.province}  {postal_code}"

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
                    "source": _source(credential, f"{place.name}, {place.province}"),
                }
            )

        draw = rng.random()
        if draw < 0.02:
            # Locked within the last 15 minutes, so the lock ends within the next 15.
            locked_at = self.now - timedelta(seconds=rng.between(5, int(LOCK.total_seconds()) - 5))
            reason = "verification_failures" if rng.random() < 0.6 else "sign_in_failures"
            if reason == "sign_in_failures":
                credential = rng.pick(credentials)
                source = _source(credential, where)
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
            pooled = rng.randrange(len(self.access_codes))
            code_id = hex_id(rng, "acc")
            self.pending_access_codes[code_id] = pooled
            batch.access_codes.append(
                {
                    "id": code_id,
                    "profile_id": profile_id,
                    "locator": self.access_codes.locator(pooled),
                    "code_hash": None,
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
            description = (en if language == "en" else fr).format(area=rng.pick(areas))
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


_LEGAL_WORDS = {"inc", "ltd", "ltee", "co", "the", "of", "de", "des", "du", "la", "le", "les"}


def _source(credential: str, where: str) -> str:
    return f"{data.SIGN_IN_CREDENTIAL_LABELS[credential]} · {where}"

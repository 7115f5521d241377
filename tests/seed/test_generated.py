"""The generated demo profiles: the mix, the rules the data keeps, determinism, search keys."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from multiprocessing import get_all_start_methods
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Table, select
from sqlalchemy.dialects import sqlite

from helpdesk.clock import ManualClock
from helpdesk.portal import schema, search_keys, security
from helpdesk.portal.db import Database
from helpdesk.portal.questions import QUESTIONS
from helpdesk.portal.seed import generated, generated_answers, seed_demo
from helpdesk.portal.seed.people import french_of
from helpdesk.portal.seed.pools import AnswerHashes, Hashing
from helpdesk.portal.seed.rows import PreparedBatch
from tests.hash_cost import CHEAP
from tests.seed.conftest import BACKENDS, SEED_TIME, make_engine

COUNT = 2_000
ALPHABET = set(security.ACCESS_CODE_ALPHABET)
PHONE = re.compile(r"^\d{3}-\d{3}-\d{4}$")
POSTAL_CODE = re.compile(
    r"\b[ABCEGHJKLMNPRSTVXY]\d[ABCEGHJKLMNPRSTVWXYZ] \d[ABCEGHJKLMNPRSTVWXYZ]\d$"
)
TRAINING_NUMBERS = {"40718263", "52830917", "61492038", "73016584", "85207419"}


def _all(engine: Engine, table: Table) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(table)).all())


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One seed of 2,000 profiles per backend, read by every test of this module: in batches of
    500, so that what must be unique across batches is checked too."""
    for engine in make_engine(request.param, tmp_path_factory.mktemp("seeded"), "seeded"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(generated, "CHUNK", 500)
            seed_demo(engine, count=COUNT, clock=ManualClock(SEED_TIME), hash_cost=CHEAP)
        yield engine


def test_a_seed_of_2000_profiles(seeded: Engine, clock: ManualClock) -> None:
    now = clock.now()
    profiles = _all(seeded, schema.profiles)
    generated_profiles = [p for p in profiles if p.recovery_number not in TRAINING_NUMBERS]
    assert len(profiles) == COUNT + 5
    assert len(generated_profiles) == COUNT
    assert [(m.key, m.value) for m in _all(seeded, schema.portal_meta)] == [("seeded", "2000")]

    kinds = Counter(p.kind for p in generated_profiles)
    assert 0.70 < kinds["individual"] / COUNT < 0.80
    assert 0.07 < kinds["joint"] / COUNT < 0.13
    assert 0.12 < kinds["non_personal"] / COUNT < 0.18

    # Identifiers: unique, the recovery numbers from the access-code alphabet.
    assert len({p.recovery_number for p in profiles}) == len(profiles)
    assert len({p.user_code for p in profiles}) == len(profiles)
    assert len({p.id for p in profiles}) == len(profiles)
    for profile in generated_profiles:
        assert len(profile.recovery_number) == 8
        assert set(profile.recovery_number) <= ALPHABET
        assert re.fullmatch(r"[A-Z]{2,6}\d{2,}", profile.user_code), profile.user_code
        assert profile.id.startswith("prf_")

    # Contact details in Canadian formats.
    for profile in generated_profiles:
        assert profile.email and profile.email_norm == search_keys.fold(profile.email)
        assert PHONE.match(profile.phone)
        assert profile.mobile is None or PHONE.match(profile.mobile)
        assert profile.fax is None or PHONE.match(profile.fax)
        assert POSTAL_CODE.search(profile.postal_address), profile.postal_address
        assert f"{profile.city} {profile.province}" in profile.postal_address
        assert profile.question_keys and all(key in QUESTIONS for key in profile.question_keys)
        assert profile.answers_hash.startswith("$argon2id$")

    french = sum(p.preferred_language == "fr" for p in generated_profiles) / COUNT
    assert 0.25 < french < 0.65
    other_language = sum(p.answer_language != p.preferred_language for p in generated_profiles)
    assert 0.05 < other_language / COUNT < 0.15
    assert any("é" in (p.surname or "") or "ô" in (p.surname or "") for p in generated_profiles)

    # Security state: about 2 % locked now, 5 % with some failures, 3 % with an active code.
    locked = [p for p in generated_profiles if p.locked_until is not None]
    assert 10 <= len(locked) <= 70
    assert {p.lock_reason for p in locked} == {"verification_failures", "sign_in_failures"}
    for profile in locked:
        assert now - timedelta(minutes=15) <= profile.locked_at < now
        assert now < profile.locked_until <= now + timedelta(minutes=15)
        assert profile.locked_until - profile.locked_at == timedelta(minutes=15)
        assert profile.failed_attempts == 5
        assert profile.last_failure_source
    failing = [p for p in generated_profiles if p.locked_until is None and p.failed_attempts]
    assert 40 <= len(failing) <= 160
    assert all(1 <= p.failed_attempts <= 4 for p in failing)

    codes = _all(seeded, schema.access_codes)
    assert 25 <= len(codes) <= 100
    for code in codes:
        assert code.status == "active"
        assert now < code.expires_at <= now + timedelta(hours=24)
        assert code.expires_at - code.issued_at == timedelta(hours=24)
        assert code.code_digest == generated.unknown_code_digest(code.id)
    # Each its own: the digests' index is unique.
    assert len({code.code_digest for code in codes}) == len(codes)


def test_holders_and_representatives(seeded: Engine) -> None:
    profiles = {p.id: p for p in _all(seeded, schema.profiles)}
    holders = Counter(h.profile_id for h in _all(seeded, schema.holders))
    representatives: dict[str, list[Any]] = {}
    for representative in _all(seeded, schema.representatives):
        representatives.setdefault(representative.profile_id, []).append(representative)

    subtypes: Counter[str] = Counter()
    for profile_id, profile in profiles.items():
        expected_holders = {"individual": 1, "joint": 2, "non_personal": 0}[profile.kind]
        assert holders[profile_id] == expected_holders
        if profile.kind != "non_personal":
            assert profile_id not in representatives
            assert profile.subtype is None and profile.organisation_name is None
            continue
        subtypes[profile.subtype] += 1
        reps = representatives[profile_id]
        assert 1 <= len(reps) <= 3
        assert profile.display_name == profile.organisation_name
        assert any(f"{profile.given_names} {profile.surname}" == r.name for r in reps)
    assert set(subtypes) == {"business", "organization", "trust", "executor", "mandatary"}
    assert all(n >= 20 for n in subtypes.values()), subtypes
    roles = {r.role for reps in representatives.values() for r in reps}
    assert {"president", "executor", "trustee", "mandatary", "authorised representative"} <= roles


def test_search_keys_cover_every_profile(seeded: Engine) -> None:
    terms: dict[str, set[tuple[str, str]]] = {}
    for row in _all(seeded, schema.search_terms):
        terms.setdefault(row.profile_id, set()).add((row.term, row.field))
    phones: dict[str, set[tuple[str, str]]] = {}
    for row in _all(seeded, schema.phone_numbers):
        phones.setdefault(row.profile_id, set()).add((row.digits, row.digits_reversed))

    for profile in _all(seeded, schema.profiles):
        keys = terms[profile.id]
        for word in search_keys.words(profile.surname):
            assert (word, "name") in keys
        if profile.organisation_name:
            for word in search_keys.words(profile.organisation_name):
                assert (word, "org") in keys
        for number in (profile.phone, profile.fax, profile.mobile):
            if number:
                digits = search_keys.digits(number)
                assert (digits, digits[::-1]) in phones[profile.id]


def test_generated_answers_verify(seeded: Engine) -> None:
    profiles = [
        p for p in _all(seeded, schema.profiles) if p.recovery_number not in TRAINING_NUMBERS
    ]
    # One of each answer language, and one answering in the other language.
    samples = [
        next(p for p in profiles if p.answer_language == "en"),
        next(p for p in profiles if p.answer_language == "fr"),
        next(p for p in profiles if p.answer_language != p.preferred_language),
    ]
    for profile in samples:
        answers = generated_answers(seeded, profile.id)
        assert len(answers) == len(profile.question_keys) == 3
        assert security.verify_answer_set(profile.answers_hash, answers)
        assert not security.verify_answer_set(profile.answers_hash, [*answers[:2], "nope"])


def test_fishers_have_permits_and_vessels(seeded: Engine) -> None:
    permits = _all(seeded, schema.permits)
    vessels = _all(seeded, schema.vessels)
    assert len({p.profile_id for p in permits}) > COUNT / 4
    assert len({v.profile_id for v in vessels}) > COUNT / 10
    assert {p.status for p in permits} == {"active", "expired", "suspended"}
    # Held in both languages, the same licence in each: the console shows the agent's.
    assert all(p.description_en and p.description_fr for p in permits)
    crab = [p for p in permits if p.description_en.startswith("Snow crab – Area ")]
    assert crab and all(
        p.description_fr == p.description_en.replace("Snow crab – Area", "Crabe des neiges – Zone")
        for p in crab
    )
    assert all(p.valid_from < p.valid_to for p in permits)
    assert all(6 <= v.length_m <= 20 and v.registration_number.isdigit() for v in vessels)
    sign_ins = Counter(s.profile_id for s in _all(seeded, schema.sign_ins))
    assert max(sign_ins.values()) <= 8 + 5  # a history, and the failures that locked
    outcomes = {s.outcome for s in _all(seeded, schema.sign_ins)}
    assert outcomes == {"success", "failed"}
    credentials = {c.type for c in _all(seeded, schema.credentials)}
    assert credentials == {"gckey", "sign_in_partner", "user_code"}


def test_credentials_were_last_used_no_earlier_than_their_latest_successful_sign_in(
    seeded: Engine,
) -> None:
    latest: dict[tuple[str, str], Any] = {}
    for sign_in in _all(seeded, schema.sign_ins):
        key = (sign_in.profile_id, sign_in.credential)
        if sign_in.outcome == "success" and (key not in latest or latest[key] < sign_in.at):
            latest[key] = sign_in.at
    credentials = _all(seeded, schema.credentials)
    checked = 0
    for credential in credentials:
        success = latest.get((credential.profile_id, credential.type))
        if success is not None:
            checked += 1
            assert credential.last_used_at is not None and credential.last_used_at >= success
    assert checked > len(credentials) / 3


def test_sign_ins_say_where_from_not_the_credential_again(seeded: Engine) -> None:
    for sign_in in _all(seeded, schema.sign_ins):
        assert re.fullmatch(r"[\w. '-]+, [A-Z]{2}", sign_in.source), sign_in.source


def test_french_names_elide_de_before_a_vowel(seeded: Engine) -> None:
    """ "Mandat de protection d'Alexandre Roy", never "de Alexandre"."""
    french = [
        p.organisation_name
        for p in _all(seeded, schema.profiles)
        if p.organisation_name and p.preferred_language == "fr"
    ]
    assert not [name for name in french if re.search(r"\bde [AEIOUÀÂÉÈÊÎÔ]", name)]
    assert any(re.search(r"\bd'[AEIOUÀÂÉÈÊÎÔ]", name) for name in french)


@pytest.mark.parametrize(
    ("name", "with_de"),
    [
        ("Alexandre", "d'Alexandre"),
        ("Émilie", "d'Émilie"),
        ("Hélène", "d'Hélène"),
        ("Yves", "d'Yves"),
        ("Edmundston", "d'Edmundston"),
        ("Caraquet", "de Caraquet"),
        ("Yarmouth", "de Yarmouth"),
        ("Havre-Saint-Pierre", "de Havre-Saint-Pierre"),
    ],
)
def test_french_of(name: str, with_de: str) -> None:
    assert french_of(name) == with_de


# --- determinism ------------------------------------------------------------------------------

SALTED = {"answers_hash", "password_hash"}  # argon2 salts differ run to run
TABLES = [
    schema.agents, schema.profiles, schema.holders, schema.representatives, schema.credentials,
    schema.permits, schema.vessels, schema.notifications, schema.sign_ins, schema.access_codes,
    schema.search_terms, schema.phone_numbers, schema.portal_meta,
]  # fmt: skip


def _contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    contents = {}
    with engine.connect() as connection:
        for table in TABLES:
            columns = [c for c in table.columns if c.name not in SALTED]
            rows = connection.execute(select(*columns)).all()
            contents[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return contents


def test_same_count_and_clock_give_the_same_rows(
    engine: Engine, second_engine: Engine, clock: ManualClock
) -> None:
    seed_demo(engine, count=300, clock=clock, hash_cost=CHEAP)
    seed_demo(second_engine, count=300, clock=ManualClock(clock.now()), hash_cost=CHEAP)
    first, second = _contents(engine), _contents(second_engine)
    assert first == second
    assert len(first["profiles"]) == 305


def _without_salts(batches: list[PreparedBatch]) -> list[Any]:
    """The prepared SQLite statements and values, each argon2 hash replaced by a mark."""

    def plain(value: Any) -> Any:
        return "<argon2>" if isinstance(value, str) and value.startswith("$argon2") else value

    return [
        (
            step.how,
            step.table,
            step.statement,
            [tuple(map(plain, values)) for values in step.values],
        )
        for batch in batches
        for step in batch.steps
    ]


def test_the_first_batch_is_what_the_one_stream_drew(seeded: Engine) -> None:
    """The first batch's profiles are those the seed drew before it had a stream per batch (the
    console's tests show some of them)."""
    query = select(schema.profiles.c.user_code, schema.profiles.c.recovery_number)
    with seeded.connect() as connection:
        first = connection.execute(query.where(schema.profiles.c.id == "prf_e0c8f947c92c")).one()
        codes = connection.execute(
            query.where(schema.profiles.c.id.in_(["prf_251069d01dee", "prf_d82fa68d436d"]))
        ).all()
    assert tuple(first) == ("SHAHV03", "4NJS5YX2")
    assert sorted(code for code, _ in codes) == ["DENTRH03", "SALEHY03"]


def test_batches_that_drew_the_same_values_are_settled_apart(clock: ManualClock) -> None:
    """Two batches from the same stream: every id, recovery number and user code of the second
    is drawn again or counted on, and its rows follow their profile's new id."""
    dialect = sqlite.dialect()
    settle, hashing = generated._Settle(), Hashing(CHEAP)
    try:
        batches = [
            settle(generated.make_batch(clock.now(), 0, 200, dialect), AnswerHashes(hashing))
            for _ in range(2)
        ]
    finally:
        hashing.close()
    rows: dict[str, list[dict[str, Any]]] = {}
    for batch in batches:
        for step in batch.steps:
            rows.setdefault(step.table, [])
            rows[step.table] += [dict(zip(step.columns, v, strict=True)) for v in step.values]
    profiles = rows["profiles"]
    assert len(profiles) == 400
    for column in ("id", "recovery_number", "user_code"):
        assert len({p[column] for p in profiles}) == 400, column
    assert all(p["answers_hash"].startswith("$argon2") for p in profiles)
    ids = {p["id"] for p in profiles}
    for table, table_rows in rows.items():
        assert {r["profile_id"] for r in table_rows if "profile_id" in r} <= ids, table
    for table in ("representatives", "access_codes"):
        assert len({r["id"] for r in rows[table]}) == len(rows[table]) > 0, table
    digests = [r["code_digest"] for r in rows["access_codes"]]
    assert digests == [generated.unknown_code_digest(r["id"]) for r in rows["access_codes"]]
    # A user code counts on from the first batch's highest number for its letters.
    assert profiles[200]["user_code"] != profiles[0]["user_code"]
    assert profiles[200]["user_code"][:-2] == profiles[0]["user_code"][:-2]


def test_generating_in_a_second_process_gives_the_same_batches(
    clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialect = sqlite.dialect()
    here = list(generated.prepared_batches(clock.now(), 1_200, dialect, CHEAP, chunk=500))
    monkeypatch.setattr(generated, "BACKGROUND_FROM", 1_000)
    # Whatever the cores of the machine running the tests, as long as it can fork at all.
    monkeypatch.setattr(generated, "can_fork", lambda: "fork" in get_all_start_methods())
    there = list(generated.prepared_batches(clock.now(), 1_200, dialect, CHEAP, chunk=500))
    assert len(there) == 3
    assert _without_salts(here) == _without_salts(there)
    profiles = [step.values for batch in there for step in batch.steps if step.table == "profiles"]
    assert [len(rows) for rows in profiles] == [500, 500, 200]


def test_seeding_through_the_portals_own_engine(tmp_path: Path, clock: ManualClock) -> None:
    """WAL, foreign keys, explicit BEGIN: the seed's bulk settings work there and are put back."""
    database = Database.from_url(f"sqlite:///{tmp_path / 'portal.db'}")
    database.create_schema()
    try:
        seed_demo(database.engine, count=300, clock=clock, hash_cost=CHEAP)
        with database.read() as connection:
            assert len(connection.execute(select(schema.profiles.c.id)).all()) == 305
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
    finally:
        database.dispose()


def test_a_half_seeded_database_is_refused(engine: Engine, clock: ManualClock) -> None:
    seed_demo(engine, count=0, clock=clock, hash_cost=CHEAP)
    with engine.begin() as connection:
        connection.execute(schema.portal_meta.delete())
    with pytest.raises(RuntimeError, match="never fully seeded"):
        seed_demo(engine, count=10, clock=clock, hash_cost=CHEAP)

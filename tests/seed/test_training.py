"""The demo agents and the five training callers, exactly as the contract's demo table has them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from helpdesk.clock import ManualClock
from helpdesk.portal import schema, security
from helpdesk.portal.seed import generated_answers, seed_demo
from tests.hash_cost import CHEAP
from tests.seed.conftest import BACKENDS, SEED_TIME, make_engine

DFO_QUESTIONS = ["first_vehicle_learned", "first_car_driven", "favourite_school_subject"]

# recovery number: (user code, kind, subtype, display name, city, province, preferred, answer
# language, answers)
CONTRACT = {
    "40718263": ("TREMBM01", "individual", None, "Marie Tremblay", "Rimouski", "QC", "fr", "fr",
                 ["Toyota", "Honda", "Mathématiques"]),
    "52830917": ("SMITHJ02", "individual", None, "Jonathan Smith", "Halifax", "NS", "en", "en",
                 ["Ford", "Chevrolet", "History"]),
    "61492038": ("GAGNRL03", "joint", None, "Luc Gagnon & Sophie Roy", "Moncton", "NB", "en", "fr",
                 ["Mazda", "Subaru", "Géographie"]),
    "73016584": ("PATL0042", "non_personal", "business", "Pêcheries Atlantique Inc.", "Caraquet",
                 "NB", "fr", "fr", ["Volvo", "Saab", "Chimie"]),
    "85207419": ("LEBLJE05", "non_personal", "executor", "Estate of Jean Leblanc", "Charlottetown",
                 "PE", "en", "en", ["Dodge", "Plymouth", "English"]),
}  # fmt: skip


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo agents and training callers, once per backend, read by every test here."""
    for engine in make_engine(request.param, tmp_path_factory.mktemp("training"), "training"):
        seed_demo(engine, count=0, clock=ManualClock(SEED_TIME), hash_cost=CHEAP)
        yield engine


def _profile(engine: Engine, recovery_number: str):  # type: ignore[no-untyped-def]
    query = select(schema.profiles).where(schema.profiles.c.recovery_number == recovery_number)
    with engine.connect() as connection:
        return connection.execute(query).one()


def _rows(engine: Engine, table, profile_id: str):  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(select(table).where(table.c.profile_id == profile_id)).all()


@pytest.mark.parametrize("recovery_number", sorted(CONTRACT))
def test_training_caller_is_the_contracts(seeded: Engine, recovery_number: str) -> None:
    user_code, kind, subtype, name, city, province, preferred, answer_language, answers = CONTRACT[
        recovery_number
    ]
    profile = _profile(seeded, recovery_number)
    assert (profile.user_code, profile.kind, profile.subtype) == (user_code, kind, subtype)
    assert (profile.display_name, profile.city, profile.province) == (name, city, province)
    assert (profile.preferred_language, profile.answer_language) == (preferred, answer_language)
    assert profile.id.startswith("prf_")
    assert profile.question_keys == DFO_QUESTIONS
    assert profile.email and profile.phone and profile.postal_address
    assert profile.email_norm == profile.email.casefold()
    assert city in profile.postal_address
    assert profile.failed_attempts == 0
    assert profile.locked_at is profile.locked_until is profile.lock_reason is None
    assert _rows(seeded, schema.access_codes, profile.id) == []
    assert _rows(seeded, schema.credentials, profile.id)
    assert _rows(seeded, schema.notifications, profile.id)
    assert _rows(seeded, schema.sign_ins, profile.id)

    assert security.verify_answer_set(profile.answers_hash, answers)
    assert generated_answers(seeded, profile.id) == answers
    # As a caller would say them: other case, no accents, stray spaces.
    spoken = [f"  {answer.upper()} " for answer in answers]
    spoken = [a.replace("É", "E").replace("Ê", "E") for a in spoken]
    assert security.verify_answer_set(profile.answers_hash, spoken)
    assert not security.verify_answer_set(profile.answers_hash, [*answers[:2], "Art"])


def test_joint_account_has_both_holders(seeded: Engine) -> None:
    profile = _profile(seeded, "61492038")
    holders = sorted(_rows(seeded, schema.holders, profile.id), key=lambda h: h.position)
    assert [(h.given_names, h.surname) for h in holders] == [("Luc", "Gagnon"), ("Sophie", "Roy")]
    assert (profile.given_names, profile.surname) == ("Luc", "Gagnon")


def test_individual_has_preferred_name(seeded: Engine) -> None:
    profile = _profile(seeded, "52830917")
    assert (profile.given_names, profile.preferred_name, profile.surname) == (
        "Jonathan",
        "John",
        "Smith",
    )
    (holder,) = _rows(seeded, schema.holders, profile.id)
    assert holder.preferred_name == "John"


@pytest.mark.parametrize(
    ("recovery_number", "representatives"),
    [
        (
            "73016584",
            {("Denis Cormier", "president"), ("Julie Arsenault", "authorised representative")},
        ),
        ("85207419", {("Anne Leblanc", "executor")}),
    ],
)
def test_non_personal_accounts_have_their_representatives(
    seeded: Engine, recovery_number: str, representatives: set[tuple[str, str]]
) -> None:
    profile = _profile(seeded, recovery_number)
    rows = _rows(seeded, schema.representatives, profile.id)
    assert {(r.name, r.role) for r in rows} == representatives
    assert all(r.id.startswith("rep_") for r in rows)
    assert profile.organisation_name == profile.display_name
    assert _rows(seeded, schema.holders, profile.id) == []
    # The person fields are the main representative's.
    main = next(r for r in rows if r.role in ("president", "executor"))
    assert f"{profile.given_names} {profile.surname}" == main.name


def test_fishers_have_permits_and_vessels(seeded: Engine) -> None:
    profile = _profile(seeded, "73016584")
    permits = _rows(seeded, schema.permits, profile.id)
    assert sum(p.description_fr == "Crabe des neiges – Zone 12" for p in permits) == 2
    assert sum(p.description_en == "Snow crab – Area 12" for p in permits) == 2
    vessels = _rows(seeded, schema.vessels, profile.id)
    assert {v.name for v in vessels} == {"Cap Lumière", "Marie-Soleil II"}
    assert all(v.registration_number.isdigit() for v in vessels)
    texts = {n.text for n in _rows(seeded, schema.notifications, profile.id)}
    assert "Bienvenue sur le Système national d'émission de permis en ligne" in texts
    english = _profile(seeded, "52830917")
    texts = {n.text for n in _rows(seeded, schema.notifications, english.id)}
    assert "Welcome to the National Online Licensing System" in texts


def test_an_english_callers_permits_are_held_in_french_too(seeded: Engine) -> None:
    profile = _profile(seeded, "52830917")
    permits = {
        p.number: (p.description_en, p.description_fr)
        for p in _rows(seeded, schema.permits, profile.id)
    }
    assert permits == {
        "331406": ("Lobster – LFA 33 – Commercial", "Homard – ZPH 33 – Commercial"),
        "331977": ("Atlantic mackerel – Bait", "Maquereau bleu – Appât"),
    }


@pytest.mark.parametrize("recovery_number", sorted(CONTRACT))
def test_credentials_were_last_used_at_their_latest_successful_sign_in(
    seeded: Engine, recovery_number: str
) -> None:
    profile = _profile(seeded, recovery_number)
    sign_ins = _rows(seeded, schema.sign_ins, profile.id)
    for credential in _rows(seeded, schema.credentials, profile.id):
        successes = [
            s.at for s in sign_ins if s.credential == credential.type and s.outcome == "success"
        ]
        assert credential.last_used_at == max(successes, default=None), credential.type
        assert credential.linked_at < min(s.at for s in sign_ins if s.credential == credential.type)


@pytest.mark.parametrize("recovery_number", sorted(CONTRACT))
def test_sign_ins_say_where_from_not_the_credential_again(
    seeded: Engine, recovery_number: str
) -> None:
    """The credential has its own column, which the console words; an English "GCKey ·" in the
    source was left untranslated in a French session."""
    profile = _profile(seeded, recovery_number)
    for sign_in in _rows(seeded, schema.sign_ins, profile.id):
        assert re.fullmatch(r"[\w. '-]+, [A-Z]{2}", sign_in.source), sign_in.source


def test_search_keys_of_a_training_caller(seeded: Engine) -> None:
    tremblay = _profile(seeded, "40718263")
    atlantique = _profile(seeded, "73016584")
    with seeded.connect() as connection:
        terms = set(connection.execute(select(schema.search_terms)).all())
        phones = connection.execute(
            select(schema.phone_numbers).where(schema.phone_numbers.c.profile_id == tremblay.id)
        ).all()
    assert ("tremblay", tremblay.id, "name") in terms
    assert ("marie", tremblay.id, "name") in terms
    assert ("pecheries", atlantique.id, "org") in terms
    assert ("julie", atlantique.id, "name") in terms
    assert {p.digits for p in phones} == {"4187234821", "4187302217"}
    assert {p.digits_reversed for p in phones} == {"1284327814", "7122037814"}


def test_agents_passwords_verify(seeded: Engine) -> None:
    with seeded.connect() as connection:
        agents = {a.username: a for a in connection.execute(select(schema.agents)).all()}
    assert set(agents) == {"agent", "supervisor"}
    # A person's name, as a real portal holds it: nothing the console would have to translate.
    assert (agents["agent"].role, agents["agent"].display_name) == ("agent", "Chantal Doucet")
    assert (agents["supervisor"].role, agents["supervisor"].display_name) == (
        "supervisor",
        "Robert MacNeil",
    )
    assert security.verify_secret(agents["agent"].password_hash, "demo-pass-agent")
    assert security.verify_secret(agents["supervisor"].password_hash, "demo-pass-supervisor")
    assert not security.verify_secret(agents["agent"].password_hash, "demo-pass-supervisor")


def test_seeding_twice_changes_nothing(seeded: Engine, clock: ManualClock) -> None:
    seed_demo(seeded, count=10, clock=clock, hash_cost=CHEAP)
    with seeded.connect() as connection:
        assert connection.execute(select(func.count()).select_from(schema.profiles)).scalar() == 5
        meta = connection.execute(select(schema.portal_meta)).all()
    assert [(m.key, m.value) for m in meta] == [("seeded", "0")]

"""The portal tests' own small data set, written straight through the schema (not the demo seed).

Hashes are computed once per test session: argon2id costs about 40 ms each.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from helpdesk.portal import schema, search_keys, security
from helpdesk.portal.questions import DFO_QUESTION_KEYS
from tests.hash_cost import CHEAP

PASSWORDS = {"alice": "alice-secret-pass", "bob": "bob-secret-pass", "sam": "sam-secret-pass"}
ROLES = {"alice": "agent", "bob": "agent", "sam": "supervisor"}


@dataclass(frozen=True)
class Caller:
    id: str
    kind: str
    recovery_number: str
    user_code: str
    display_name: str
    language: str
    answers: tuple[str, str, str]
    city: str
    email: str | None
    phone: str | None
    postal_address: str | None
    holders: tuple[tuple[str, str, str | None], ...] = ()  # (given names, surname, preferred)
    organisation_name: str | None = None
    subtype: str | None = None
    representatives: tuple[tuple[str, str, str], ...] = ()  # (id, name, role)
    extra: dict[str, Any] = field(default_factory=dict)


MARIE = Caller(
    id="prf_marie",
    kind="individual",
    recovery_number="40718263",
    user_code="TREMBM01",
    display_name="Marie Tremblay",
    language="fr",
    answers=("Toyota", "Honda", "Mathématiques"),
    city="Rimouski",
    email="marie.tremblay@videotron.ca",
    phone="418-723-4821",
    postal_address="218, rue Saint-Germain Est\nRimouski QC  G5L 1B7",
    holders=(("Marie", "Tremblay", None),),
)
JOHN = Caller(
    id="prf_john",
    kind="individual",
    recovery_number="52830917",
    user_code="SMITHJ02",
    display_name="Jonathan Smith",
    language="en",
    answers=("Ford", "Chevrolet", "History"),
    city="Halifax",
    email="john.smith@example.ca",
    phone="(902) 555-0142",
    postal_address="12 Spring Garden Road\nHalifax NS  B3J 1A1",
    holders=(("Jonathan", "Smith", "John"),),
)
JOINT = Caller(
    id="prf_joint",
    kind="joint",
    recovery_number="61492038",
    user_code="GAGNRL03",
    display_name="Luc Gagnon and Sophie Roy",
    language="en",
    answers=("Mazda", "Subaru", "Géographie"),
    city="Moncton",
    email="gagnon.roy@example.ca",
    phone="506-555-7733",
    postal_address="44 Main Street\nMoncton NB  E1C 1B3",
    holders=(("Luc", "Gagnon", None), ("Sophie", "Roy", None)),
)
PECHERIES = Caller(
    id="prf_pecheries",
    kind="non_personal",
    subtype="business",
    recovery_number="73016584",
    user_code="PATL0042",
    display_name="Pêcheries Atlantique Inc.",
    language="fr",
    answers=("Volvo", "Saab", "Chimie"),
    city="Caraquet",
    email="info@pecheries-atlantique.ca",
    phone="506-727-1234",
    postal_address="5, boulevard Saint-Pierre Ouest\nCaraquet NB  E1W 1B6",
    organisation_name="Pêcheries Atlantique Inc.",
    representatives=(
        ("rep_denis", "Denis Cormier", "president"),
        ("rep_julie", "Julie Arsenault", "authorised representative"),
    ),
)
NO_EMAIL = Caller(
    id="prf_noemail",
    kind="non_personal",
    subtype="executor",
    recovery_number="85207419",
    user_code="LEBLJE05",
    display_name="Estate of Jean Leblanc",
    language="en",
    answers=("Dodge", "Plymouth", "English"),
    city="Charlottetown",
    email=None,
    phone="902-555-9876",
    postal_address="7 Queen Street\nCharlottetown PE  C1A 4A2",
    organisation_name="Estate of Jean Leblanc",
    representatives=(("rep_anne", "Anne Leblanc", "executor"),),
)
CALLERS = (MARIE, JOHN, JOINT, PECHERIES, NO_EMAIL)
OTHER_PROFILE_ANSWERS = ("Kia", "Ford", "Art")


@functools.cache
def password_hashes() -> dict[str, str]:
    return {name: security.hash_secret(password, CHEAP) for name, password in PASSWORDS.items()}


@functools.cache
def answer_hashes() -> dict[str, str]:
    hashes = {caller.id: security.hash_answer_set(caller.answers, CHEAP) for caller in CALLERS}
    hashes["other"] = security.hash_answer_set(OTHER_PROFILE_ANSWERS, CHEAP)
    return hashes


def insert_agents(connection: Connection, now: datetime) -> None:
    connection.execute(
        schema.agents.insert(),
        [
            {
                "id": f"agt_{name}",
                "username": name,
                "display_name": name.title(),
                "role": ROLES[name],
                "password_hash": password_hashes()[name],
                "created_at": now,
            }
            for name in PASSWORDS
        ],
    )


def insert_caller(connection: Connection, caller: Caller, now: datetime) -> None:
    first = caller.holders[0] if caller.holders else None
    connection.execute(
        schema.profiles.insert().values(
            id=caller.id,
            kind=caller.kind,
            subtype=caller.subtype,
            recovery_number=caller.recovery_number,
            user_code=caller.user_code,
            display_name=caller.display_name,
            given_names=first[0] if first else None,
            surname=first[1] if first else None,
            preferred_name=first[2] if first else None,
            preferred_language=caller.language,
            email=caller.email,
            email_norm=search_keys.fold(caller.email) if caller.email else None,
            postal_address=caller.postal_address,
            city=caller.city,
            phone=caller.phone,
            organisation_name=caller.organisation_name,
            question_keys=list(DFO_QUESTION_KEYS),
            answers_hash=answer_hashes()[caller.id],
            answer_language=caller.language,
            failed_attempts=0,
            created_at=now - timedelta(days=400),
            **caller.extra,
        )
    )
    for position, (given, surname, preferred) in enumerate(caller.holders, start=1):
        connection.execute(
            schema.holders.insert().values(
                profile_id=caller.id,
                position=position,
                given_names=given,
                surname=surname,
                preferred_name=preferred,
            )
        )
    for rep_id, name, role in caller.representatives:
        connection.execute(
            schema.representatives.insert().values(
                id=rep_id, profile_id=caller.id, name=name, role=role
            )
        )
    names = [part for holder in caller.holders for part in holder if part]
    names += [name for _, name, _ in caller.representatives]
    terms = {("name", term) for term in search_keys.name_terms(*names)}
    if caller.organisation_name:
        terms |= {("org", word) for word in search_keys.words(caller.organisation_name)}
    if terms:
        connection.execute(
            schema.search_terms.insert(),
            [{"term": t, "profile_id": caller.id, "field": f} for f, t in sorted(terms)],
        )
    if caller.phone:
        digits = search_keys.digits(caller.phone)
        connection.execute(
            schema.phone_numbers.insert().values(
                profile_id=caller.id, digits=digits, digits_reversed=digits[::-1]
            )
        )
    connection.execute(
        schema.sign_ins.insert(),
        [
            {
                "profile_id": caller.id,
                "at": now - timedelta(days=days),
                "outcome": "success",
                "credential": "gckey",
                "source": f"{caller.city}",
            }
            for days in (30, 2, 10)
        ],
    )


def insert_many(connection: Connection, count: int, now: datetime, surname: str) -> list[str]:
    """``count`` individual profiles called ``Person{i} {surname}``, for search limits."""
    rows, terms = [], []
    for i in range(count):
        profile_id = f"prf_{surname.lower()}_{i:04d}"
        rows.append(
            {
                "id": profile_id,
                "kind": "individual",
                "recovery_number": f"X{i:07d}",
                "user_code": f"GEN{surname[:3].upper()}{i:04d}",
                "display_name": f"Person{i} {surname}",
                "given_names": f"Person{i}",
                "surname": surname,
                "preferred_language": "en",
                "question_keys": list(DFO_QUESTION_KEYS),
                "answers_hash": answer_hashes()["other"],
                "answer_language": "en",
                "failed_attempts": 0,
                "two_step_enrolled": False,
                "created_at": now,
            }
        )
        for term in search_keys.name_terms(f"Person{i}", surname):
            terms.append({"term": term, "profile_id": profile_id, "field": "name"})
    connection.execute(schema.profiles.insert(), rows)
    connection.execute(schema.search_terms.insert(), terms)
    return [row["id"] for row in rows]


def populate(connection: Connection, now: datetime) -> None:
    insert_agents(connection, now)
    for caller in CALLERS:
        insert_caller(connection, caller, now)

"""The five training callers of the contract's demo table, exactly, with the DFO details a trainee
sees on their profiles (permits, vessels, credentials, sign-ins, notifications).

Their ids come from a generator of their own, so they are the same in every demo database whatever
the count and the clock; their dates are relative to the clock, so the demo always looks current.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from helpdesk.portal import search_keys
from helpdesk.portal.seed import data
from helpdesk.portal.seed.rows import (
    Batch,
    Row,
    hex_id,
    holder_row,
    permit_row,
    profile_row,
    settle_last_use,
)


@dataclass(frozen=True)
class TrainingCaller:
    recovery_number: str
    user_code: str
    kind: str
    subtype: str | None
    display_name: str
    preferred_language: str
    answer_language: str
    answers: tuple[str, str, str]
    city: str
    province: str
    email: str
    phone: str
    postal_address: str
    holders: tuple[dict[str, str | None], ...]  # the people who hold it, first one first
    representatives: tuple[tuple[str, str], ...] = ()  # (name, role), main one first
    organisation_name: str | None = None
    fax: str | None = None
    mobile: str | None = None
    two_step_method: str | None = None
    # (type, linked days ago); each was last used at its latest successful sign-in, if any
    credentials: tuple[tuple[str, int], ...] = ()
    # (English, French, number, status); "{year}" is the current season.
    permits: tuple[tuple[str, str, str, str], ...] = ()
    vessels: tuple[tuple[str, str, float], ...] = ()  # (name, registration number, length)
    sign_ins: tuple[tuple[int, str, str, str], ...] = ()  # (days ago, outcome, credential, where)
    notifications: tuple[tuple[int, int, bool], ...] = ()  # (text index, days ago, read)
    created_days_ago: int = 1500


def _person(
    title: str, given: str, surname: str, preferred: str | None = None
) -> dict[str, str | None]:
    return {"title": title, "given_names": given, "preferred_name": preferred, "surname": surname}


TRAINING_CALLERS: tuple[TrainingCaller, ...] = (
    TrainingCaller(
        recovery_number="40718263",
        user_code="TREMBM01",
        kind="individual",
        subtype=None,
        display_name="Marie Tremblay",
        preferred_language="fr",
        answer_language="fr",
        answers=("Toyota", "Honda", "Mathématiques"),
        city="Rimouski",
        province="QC",
        email="marie.tremblay@videotron.ca",
        phone="418-723-4821",
        mobile="418-730-2217",
        postal_address="218, rue Saint-Germain Est\nRimouski QC  G5L 1B7",
        holders=(_person("Mme", "Marie", "Tremblay"),),
        two_step_method="sms",
        credentials=(("gckey", 1100),),
        permits=(("Fisher registration", "Enregistrement de pêcheur", "412087", "active"),),
        sign_ins=(
            (12, "success", "gckey", "Rimouski, QC"),
            (47, "success", "gckey", "Rimouski, QC"),
            (95, "success", "gckey", "Québec, QC"),
        ),
        notifications=((0, 1100, True), (1, 20, False)),
        created_days_ago=1100,
    ),
    TrainingCaller(
        recovery_number="52830917",
        user_code="SMITHJ02",
        kind="individual",
        subtype=None,
        display_name="Jonathan Smith",
        preferred_language="en",
        answer_language="en",
        answers=("Ford", "Chevrolet", "History"),
        city="Halifax",
        province="NS",
        email="john.smith@eastlink.ca",
        phone="902-455-1934",
        mobile="902-229-6410",
        postal_address="47 Ocean View Drive\nHalifax NS  B3M 2H4",
        holders=(_person("Mr.", "Jonathan", "Smith", preferred="John"),),
        two_step_method="authenticator_app",
        credentials=(("gckey", 2300), ("sign_in_partner", 390)),
        permits=(
            ("Lobster – LFA 33 – Commercial", "Homard – ZPH 33 – Commercial", "331406", "active"),
            ("Atlantic mackerel – Bait", "Maquereau bleu – Appât", "331977", "expired"),
        ),
        vessels=(("Mary Ellen II", "104233", 13.7),),
        sign_ins=(
            (3, "success", "sign_in_partner", "Halifax, NS"),
            (3, "failed", "sign_in_partner", "Halifax, NS"),
            (31, "success", "sign_in_partner", "Halifax, NS"),
            (400, "success", "gckey", "Dartmouth, NS"),
        ),
        notifications=((0, 2300, True), (2, 60, True), (3, 9, False)),
        created_days_ago=2300,
    ),
    TrainingCaller(
        recovery_number="61492038",
        user_code="GAGNRL03",
        kind="joint",
        subtype=None,
        display_name="Luc Gagnon & Sophie Roy",
        preferred_language="en",
        answer_language="fr",
        answers=("Mazda", "Subaru", "Géographie"),
        city="Moncton",
        province="NB",
        email="luc.gagnon@rogers.com",
        phone="506-858-3307",
        mobile="506-961-7745",
        postal_address="85 Highfield Street\nMoncton NB  E1C 5N3",
        holders=(_person("Mr.", "Luc", "Gagnon"), _person("Ms.", "Sophie", "Roy")),
        two_step_method="email",
        credentials=(("gckey", 900),),
        permits=(
            ("Lobster – LFA 25 – Commercial", "Homard – ZPH 25 – Commercial", "254318", "active"),
        ),
        vessels=(("Le Goéland", "098765", 11.3),),
        sign_ins=((26, "success", "gckey", "Moncton, NB"), (88, "success", "gckey", "Shediac, NB")),
        notifications=((0, 900, True), (4, 70, True)),
        created_days_ago=900,
    ),
    TrainingCaller(
        recovery_number="73016584",
        user_code="PATL0042",
        kind="non_personal",
        subtype="business",
        display_name="Pêcheries Atlantique Inc.",
        organisation_name="Pêcheries Atlantique Inc.",
        preferred_language="fr",
        answer_language="fr",
        answers=("Volvo", "Saab", "Chimie"),
        city="Caraquet",
        province="NB",
        email="info@pecheriesatlantique.ca",
        phone="506-727-4410",
        fax="506-727-4411",
        mobile="506-726-1188",
        postal_address="12, boulevard Saint-Pierre Ouest\nCaraquet NB  E1W 1B6",
        holders=(_person("M.", "Denis", "Cormier"),),
        representatives=(
            ("Denis Cormier", "president"),
            ("Julie Arsenault", "authorised representative"),
        ),
        two_step_method="authenticator_app",
        credentials=(("gckey", 3000), ("user_code", 3000)),
        permits=(
            ("Snow crab – Area 12", "Crabe des neiges – Zone 12", "120514", "active"),
            ("Snow crab – Area 12", "Crabe des neiges – Zone 12", "120515", "active"),
            (
                "Atlantic herring – Fixed gear",
                "Hareng de l'Atlantique – Engins fixes",
                "160233",
                "active",
            ),
        ),
        vessels=(("Cap Lumière", "178342", 19.8), ("Marie-Soleil II", "163015", 14.9)),
        sign_ins=(
            (5, "success", "gckey", "Caraquet, NB"),
            (6, "success", "gckey", "Caraquet, NB"),
            (140, "success", "user_code", "Shippagan, NB"),
        ),
        notifications=((0, 3000, True), (1, 30, True), (3, 4, False)),
        created_days_ago=3000,
    ),
    TrainingCaller(
        recovery_number="85207419",
        user_code="LEBLJE05",
        kind="non_personal",
        subtype="executor",
        display_name="Estate of Jean Leblanc",
        organisation_name="Estate of Jean Leblanc",
        preferred_language="en",
        answer_language="en",
        answers=("Dodge", "Plymouth", "English"),
        city="Charlottetown",
        province="PE",
        email="anne.leblanc@eastlink.ca",
        phone="902-566-2085",
        postal_address="32 Kent Street\nCharlottetown PE  C1A 1M7",
        holders=(_person("Mrs.", "Anne", "Leblanc"),),
        representatives=(("Anne Leblanc", "executor"),),
        credentials=(("user_code", 200),),
        permits=(
            (
                "Lobster – LFA 24 – Commercial",
                "Homard – ZPH 24 – Commercial",
                "240871",
                "suspended",
            ),
        ),
        vessels=(("Jean & Anne", "087412", 11.9),),
        sign_ins=((15, "success", "user_code", "Charlottetown, PE"),),
        notifications=((0, 200, True), (2, 15, False)),
        created_days_ago=200,
    ),
)


def training_batch(now: datetime, answers_hashes: list[str]) -> Batch:
    """The training callers' rows; `answers_hashes` are their answer sets' hashes, in order."""
    rng = random.Random("helpdesk demo training callers v1")
    batch = Batch()
    today = now.date()
    for caller, answers_hash in zip(TRAINING_CALLERS, answers_hashes, strict=True):
        profile_id = hex_id(rng, "prf")
        english = caller.preferred_language == "en"
        first = caller.holders[0]
        profile = profile_row(
            id=profile_id,
            kind=caller.kind,
            subtype=caller.subtype,
            recovery_number=caller.recovery_number,
            user_code=caller.user_code,
            display_name=caller.display_name,
            preferred_language=caller.preferred_language,
            email=caller.email,
            email_norm=search_keys.fold(caller.email),
            postal_address=caller.postal_address,
            city=caller.city,
            province=caller.province,
            phone=caller.phone,
            fax=caller.fax,
            mobile=caller.mobile,
            organisation_name=caller.organisation_name,
            two_step_enrolled=caller.two_step_method is not None,
            two_step_method=caller.two_step_method,
            question_keys=list(data.DFO_QUESTIONS),
            answers_hash=answers_hash,
            answer_language=caller.answer_language,
            created_at=now - timedelta(days=caller.created_days_ago),
            **first,
        )
        # A non-personal account has representatives, not holders; its person fields are the
        # main representative's.
        holders: list[Row] = []
        if caller.kind != "non_personal":
            holders = [
                holder_row(profile_id=profile_id, position=position, **person)
                for position, person in enumerate(caller.holders, start=1)
            ]
        representatives = [
            {"id": hex_id(rng, "rep"), "profile_id": profile_id, "name": name, "role": role}
            for name, role in caller.representatives
        ]
        batch.add_profile(profile, holders, representatives)
        credentials = [
            {
                "profile_id": profile_id,
                "type": kind,
                "linked_at": now - timedelta(days=linked),
                "last_used_at": None,
            }
            for kind, linked in caller.credentials
        ]
        batch.permits.extend(
            permit_row(profile_id, (en, fr), number, status, today)
            for en, fr, number, status in caller.permits
        )
        batch.vessels.extend(
            {
                "profile_id": profile_id,
                "name": name,
                "registration_number": number,
                "length_m": length,
            }
            for name, number, length in caller.vessels
        )
        sign_ins = [
            {
                "profile_id": profile_id,
                "at": now - timedelta(days=days, hours=3, minutes=12 * index),
                "outcome": outcome,
                "credential": credential,
                "source": where,
            }
            for index, (days, outcome, credential, where) in enumerate(caller.sign_ins)
        ]
        settle_last_use(credentials, sign_ins)
        batch.credentials.extend(credentials)
        batch.sign_ins.extend(sign_ins)
        batch.notifications.extend(
            {
                "profile_id": profile_id,
                "text": data.NOTIFICATIONS[text][0 if english else 1].format(year=today.year),
                "issued_on": today - timedelta(days=days),
                "read": read,
            }
            for text, days, read in caller.notifications
        )
    return batch

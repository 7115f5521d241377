"""Notices to the account holder: written to the outbox table, in the profile's language, to the
e-mail on file (the postal address when there is none). Each says what was done and whom to call
if it was not them. Only ``user_code_sent`` carries a secret: the user code of a non-personal
account, to its own contact on file — the one place that code ever goes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, select

from helpdesk.api.models import Notice, NoticeChannel, NoticeKind, NoticeSent
from helpdesk.portal import schema
from helpdesk.portal.rules.masking import mask_email, mask_postal_one_line

HELP_LINE = "1-866-000-0000"

_CALL_US = {
    "en": f"If you did not ask for this, call the portal help desk at {HELP_LINE} right away.",
    "fr": (
        f"Si vous n'avez pas fait cette demande, appelez immédiatement le service d'aide du "
        f"portail au {HELP_LINE}."
    ),
}

# kind → language → (subject, what was done)
_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "unlock": {
        "en": (
            "Your account was unlocked",
            "A supervisor of the help desk unlocked your account on {date}. You can sign in again.",
        ),
        "fr": (
            "Votre compte a été déverrouillé",
            "Un superviseur du service d'aide a déverrouillé votre compte le {date}. "
            "Vous pouvez de nouveau ouvrir une session.",
        ),
    },
    "access_code_issued": {
        "en": (
            "An access code was issued for your account",
            "An agent of the help desk issued a DFO access code for your account on {date}, "
            "after verifying your identity by telephone. The code was read out to the caller; "
            "it is valid for {lifetime} and can be used once.",
        ),
        "fr": (
            "Un code d'accès a été émis pour votre compte",
            "Un agent du service d'aide a émis un code d'accès du MPO pour votre compte le "
            "{date}, après avoir vérifié votre identité par téléphone. Le code a été lu à la "
            "personne qui appelait; il est valide {lifetime} et ne peut servir qu'une fois.",
        ),
    },
    "user_code_recovery_opened": {
        "en": (
            "A request to recover your user code was opened",
            "The help desk opened case {case_number} on {date} to recover the user code of "
            "your organisation's account. If it is approved, the code will be sent to this "
            "contact on file only.",
        ),
        "fr": (
            "Une demande de récupération de votre code d'utilisateur a été ouverte",
            "Le service d'aide a ouvert le dossier {case_number} le {date} pour récupérer le "
            "code d'utilisateur du compte de votre organisation. Si la demande est approuvée, "
            "le code sera envoyé uniquement à ces coordonnées au dossier.",
        ),
    },
    "user_code_sent": {
        "en": (
            "Your user code",
            "As requested in case {case_number}, the user code of your organisation's account "
            "is: {user_code}",
        ),
        "fr": (
            "Votre code d'utilisateur",
            "Comme demandé dans le dossier {case_number}, le code d'utilisateur du compte de "
            "votre organisation est : {user_code}",
        ),
    },
}


# language → (seconds, one, several), largest first: a length is written in the largest unit that
# divides it exactly, so a notice never rounds the policy it states (24 h stays "24 hours").
_UNITS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "en": ((3600, "hour", "hours"), (60, "minute", "minutes"), (1, "second", "seconds")),
    "fr": ((3600, "heure", "heures"), (60, "minute", "minutes"), (1, "seconde", "secondes")),
}


def length_of_time(length: timedelta, language: str) -> str:
    """``24 hours`` / ``24 heures``, ``90 minutes`` / ``90 minutes``."""
    seconds = int(length.total_seconds())
    unit, one, several = next(each for each in _UNITS[language] if seconds % each[0] == 0)
    count = seconds // unit
    return f"{count} {one if count == 1 else several}"


def contact(profile: Row[Any], delivery: NoticeChannel | None = None) -> tuple[str, str, str]:
    """(channel, address, masked address): the e-mail on file, else the postal address. A
    ``delivery`` of ``mail`` asks for the postal address even when there is an e-mail."""
    if profile.email and delivery != "mail":
        return "email", profile.email, mask_email(profile.email)
    if profile.postal_address:
        return "mail", profile.postal_address, mask_postal_one_line(profile.postal_address)
    if profile.email:
        return "email", profile.email, mask_email(profile.email)
    # Nothing on file: the notice stays in the outbox with no address, for the mail room.
    return "mail", "", ""


def send(
    connection: Connection,
    profile: Row[Any],
    kind: NoticeKind,
    now: datetime,
    *,
    delivery: NoticeChannel | None = None,
    **values: str | timedelta,
) -> NoticeSent:
    """Writes the notice; a ``timedelta`` among ``values`` is written in the notice's language."""
    language = profile.preferred_language if profile.preferred_language in ("en", "fr") else "en"
    channel, address, masked = contact(profile, delivery)
    subject, what = _TEMPLATES[kind][language]
    fields = {
        name: length_of_time(value, language) if isinstance(value, timedelta) else value
        for name, value in values.items()
    }
    body = what.format(date=now.strftime("%Y-%m-%d %H:%M UTC"), **fields)
    body = f"{body}\n\n{_CALL_US[language]}"
    connection.execute(
        schema.notices.insert().values(
            profile_id=profile.id,
            at=now,
            kind=kind,
            channel=channel,
            to_address=address,
            to_masked=masked,
            language=language,
            subject=subject,
            body=body,
        )
    )
    return NoticeSent(channel=channel, to_masked=masked)  # type: ignore[arg-type]


def list_notices(connection: Connection, profile_id: str) -> list[Notice]:
    table = schema.notices
    rows = connection.execute(
        select(table)
        .where(table.c.profile_id == profile_id)
        .order_by(table.c.at.desc(), table.c.id.desc())
    ).all()
    return [
        Notice(
            at=row.at,
            kind=row.kind,
            channel=row.channel,
            to_masked=row.to_masked,
            language=row.language,
        )
        for row in rows
    ]

"""Reading a profile as an agent may see it: masked without a live grant, the user code of a
non-personal account masked always."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, select

from helpdesk.api.errors import NotFound
from helpdesk.api.models import (
    BilingualText,
    Holder,
    LinkedCredential,
    Notification,
    Permit,
    Profile,
    QuestionText,
    RecoveryQuestion,
    RecoveryQuestions,
    Representative,
    SignIn,
    TwoStep,
    Vessel,
)
from helpdesk.portal import schema
from helpdesk.portal.questions import question_text
from helpdesk.portal.rules import grants, lockout
from helpdesk.portal.rules.calls import Call
from helpdesk.portal.rules.masking import (
    mask_email,
    mask_phone,
    mask_postal_address,
    mask_user_code,
)


def find(connection: Connection, profile_id: str) -> Row[Any]:
    profiles = schema.profiles
    row = connection.execute(select(profiles).where(profiles.c.id == profile_id)).first()
    if row is None:
        raise NotFound("no such profile", {"profile_id": profile_id})
    return row


def _rows(connection: Connection, table: Any, profile_id: str, *order: Any) -> list[Row[Any]]:
    statement = select(table).where(table.c.profile_id == profile_id)
    return list(connection.execute(statement.order_by(*order)).all())


def view(connection: Connection, call: Call, profile_id: str) -> Profile:
    row = find(connection, profile_id)
    now = call.now()
    grant_expires_at = grants.live_grant(connection, call.actor, profile_id, now)
    masked = grant_expires_at is None

    def hide(value: str | None, mask: Any) -> str | None:
        return mask(value) if masked and value else value

    user_code = row.user_code
    if masked or row.kind == "non_personal":
        user_code = mask_user_code(user_code)
    holders = _rows(connection, schema.holders, profile_id, schema.holders.c.position)
    return Profile(
        id=row.id,
        kind=row.kind,
        subtype=row.subtype,
        recovery_number=row.recovery_number,
        user_code=user_code,
        display_name=row.display_name,
        title=row.title,
        given_names=row.given_names,
        preferred_name=row.preferred_name,
        surname=row.surname,
        suffix=row.suffix,
        holders=[
            Holder(
                title=h.title,
                given_names=h.given_names,
                preferred_name=h.preferred_name,
                surname=h.surname,
                suffix=h.suffix,
            )
            for h in holders
        ],
        preferred_language=row.preferred_language,
        email=hide(row.email, mask_email),
        postal_address=hide(row.postal_address, mask_postal_address),
        city=row.city,
        phone=hide(row.phone, mask_phone),
        fax=hide(row.fax, mask_phone),
        mobile=hide(row.mobile, mask_phone),
        organisation_name=row.organisation_name,
        representatives=[
            Representative(id=r.id, name=r.name, role=r.role)
            for r in _rows(connection, schema.representatives, profile_id, "id")
        ],
        credentials=[
            LinkedCredential(type=c.type, linked_at=c.linked_at, last_used_at=c.last_used_at)
            for c in _rows(connection, schema.credentials, profile_id, "linked_at")
        ],
        two_step=TwoStep(enrolled=bool(row.two_step_enrolled), method=row.two_step_method),
        permits=[
            Permit(
                number=p.number,
                description=BilingualText(en=p.description_en, fr=p.description_fr),
                status=p.status,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
            )
            for p in _rows(connection, schema.permits, profile_id, "valid_from", "number")
        ],
        vessels=[
            Vessel(name=v.name, registration_number=v.registration_number, length_m=v.length_m)
            for v in _rows(connection, schema.vessels, profile_id, "name")
        ],
        notifications=[
            Notification(text=n.text, issued_on=n.issued_on, read=n.read)
            for n in _rows(
                connection,
                schema.notifications,
                profile_id,
                schema.notifications.c.issued_on.desc(),
            )
        ],
        security=lockout.security_of(row, now, call.policy),
        masked=masked,
        grant_expires_at=grant_expires_at,
    )


def sign_ins(connection: Connection, profile_id: str) -> list[SignIn]:
    find(connection, profile_id)
    table = schema.sign_ins
    rows = _rows(connection, table, profile_id, table.c.at.desc(), table.c.id.desc())
    return [
        SignIn(at=r.at, outcome=r.outcome, credential=r.credential, source=r.source) for r in rows
    ]


def recovery_questions(connection: Connection, profile_id: str) -> RecoveryQuestions:
    row = find(connection, profile_id)
    questions = []
    for number, key in enumerate(row.question_keys, start=1):
        text = question_text(key)
        questions.append(RecoveryQuestion(number=number, text=QuestionText(en=text.en, fr=text.fr)))
    return RecoveryQuestions(answer_language=row.answer_language, questions=questions)

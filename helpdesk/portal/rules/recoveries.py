"""Manual user-code recovery for non-personal accounts. The user code never appears in a
response: when a case is sent, the code goes in an outbox notice to the contact on file only.

Cases move open → approved | rejected (supervisors), approved → sent, sent → closed (any agent).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, Row, func, select, update

from helpdesk.api.errors import Conflict, NotFound, NotNonPersonal, ValidationFailed
from helpdesk.api.models import NewUserCodeRecovery, NoticeSent, UserCodeRecovery
from helpdesk.portal import schema
from helpdesk.portal.db import lock_name, lock_profile
from helpdesk.portal.rules import notices
from helpdesk.portal.rules.calls import Call, Outcome
from helpdesk.portal.rules.roles import require_supervisor

# (from, to) → needs a supervisor
TRANSITIONS: dict[tuple[str, str], bool] = {
    ("open", "approved"): True,
    ("open", "rejected"): True,
    ("approved", "sent"): False,
    ("sent", "closed"): False,
}
SUPERVISOR_TARGETS = {"approved", "rejected"}


def open_case(
    connection: Connection, call: Call, note: Outcome, case: NewUserCodeRecovery
) -> UserCodeRecovery:
    profile = lock_profile(connection, case.profile_id)
    if profile is None:
        raise NotFound("no such profile", {"profile_id": case.profile_id})
    note.profile_id = profile.id
    if profile.kind != "non_personal":
        raise NotNonPersonal(
            "individual and joint accounts recover their user code through self-service"
        )
    reps = schema.representatives
    representative = connection.execute(
        select(reps.c.id).where(
            reps.c.id == case.representative_id, reps.c.profile_id == profile.id
        )
    ).first()
    if representative is None:
        raise ValidationFailed.field(
            "representative_id", "not one of this account's representatives"
        )
    if case.delivery == "email" and not profile.email:
        raise ValidationFailed.field("delivery", "there is no e-mail address on file")
    if case.delivery == "mail" and not profile.postal_address:
        raise ValidationFailed.field("delivery", "there is no postal address on file")
    now = call.now()
    table = schema.user_code_recoveries
    lock_name(connection, "user-code-recovery-case-numbers")
    count = connection.execute(select(func.count()).select_from(table)).scalar_one()
    case_number = f"UCR-{count + 1:06d}"
    case_id = "ucr_" + uuid.uuid4().hex
    connection.execute(
        table.insert().values(
            id=case_id,
            case_number=case_number,
            profile_id=profile.id,
            caller_name=case.caller_name,
            representative_id=case.representative_id,
            evidence=list(case.evidence),
            delivery=case.delivery,
            note=case.note or None,
            status="open",
            opened_by=call.actor.name,
            opened_at=now,
            updated_at=now,
        )
    )
    notice = notices.send(
        connection, profile, "user_code_recovery_opened", now, case_number=case_number
    )
    return get_case(connection, case_id, notice=notice)


def get_case(
    connection: Connection, case_id: str, notice: NoticeSent | None = None
) -> UserCodeRecovery:
    table, profiles = schema.user_code_recoveries, schema.profiles
    row = connection.execute(
        select(table, profiles.c.display_name)
        .join(profiles, profiles.c.id == table.c.profile_id)
        .where(table.c.id == case_id)
    ).first()
    if row is None:
        raise NotFound("no such user-code recovery case", {"case_id": case_id})
    return _case(row, notice)


def _case(row: Row[Any], notice: NoticeSent | None = None) -> UserCodeRecovery:
    return UserCodeRecovery(
        id=row.id,
        case_number=row.case_number,
        profile_id=row.profile_id,
        display_name=row.display_name,
        caller_name=row.caller_name,
        representative_id=row.representative_id,
        evidence=list(row.evidence or []),
        delivery=row.delivery,
        note=row.note,
        status=row.status,
        opened_by=row.opened_by,
        opened_at=row.opened_at,
        updated_at=row.updated_at,
        notice=notice,
    )


def list_cases(
    connection: Connection, status: str | None, profile_id: str | None
) -> list[UserCodeRecovery]:
    table, profiles = schema.user_code_recoveries, schema.profiles
    statement = select(table, profiles.c.display_name).join(
        profiles, profiles.c.id == table.c.profile_id
    )
    if status is not None:
        statement = statement.where(table.c.status == status)
    if profile_id is not None:
        statement = statement.where(table.c.profile_id == profile_id)
    rows = connection.execute(statement.order_by(table.c.opened_at.desc(), table.c.id)).all()
    return [_case(row) for row in rows]


def transition(
    connection: Connection,
    call: Call,
    note: Outcome,
    case_id: str,
    to: str,
    transition_note: str | None,
) -> UserCodeRecovery:
    current = get_case(connection, case_id)
    note.profile_id = current.profile_id
    if to in SUPERVISOR_TARGETS:
        require_supervisor(call, f"move a case to {to}")
    profile = lock_profile(connection, current.profile_id)
    assert profile is not None
    table = schema.user_code_recoveries
    # Re-read under the profile's lock: two agents moving one case cannot both succeed.
    status = connection.execute(select(table.c.status).where(table.c.id == case_id)).scalar_one()
    if (status, to) not in TRANSITIONS:
        raise Conflict(f"a case cannot move from {status} to {to}")
    now = call.now()
    values: dict[str, Any] = {"status": to, "updated_at": now}
    if transition_note:
        values["note"] = transition_note
    connection.execute(update(table).where(table.c.id == case_id).values(**values))
    note.reason = f"{status}->{to}"
    notice = None
    if to == "sent":
        notice = notices.send(
            connection,
            profile,
            "user_code_sent",
            now,
            delivery=current.delivery,
            case_number=current.case_number,
            user_code=profile.user_code,
        )
    return get_case(connection, case_id, notice=notice)

"""Caller verification: all three recovery answers right, or a failure that counts.

The profile's row is locked for the whole evaluation (``SELECT … FOR UPDATE`` on PostgreSQL, the
write lock on SQLite), so a burst of concurrent attempts is evaluated one at a time and never gets
more than the remaining attempts. The answers themselves are compared only as argon2id hashes and
never stored; a failed set is remembered as a fresh salted hash to recognise a repeat. The counter
and the lock are :mod:`~helpdesk.portal.rules.lockout`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, select

from helpdesk.api.errors import NotFound, ProfileLocked, ValidationFailed
from helpdesk.api.models import VerificationResult
from helpdesk.portal import schema, security
from helpdesk.portal.db import lock_profile
from helpdesk.portal.rules import grants, lockout
from helpdesk.portal.rules.calls import Call, Outcome


def verify(
    connection: Connection, call: Call, note: Outcome, profile_id: str, answers: Sequence[str]
) -> VerificationResult:
    for number, answer in enumerate(answers):
        if not security.normalise_answer(answer):
            raise ValidationFailed.field(f"answers[{number}]", "an answer cannot be empty")
    profile = lock_profile(connection, profile_id)
    if profile is None:
        raise NotFound("no such profile", {"profile_id": profile_id})
    now = call.now()
    policy = call.policy
    until = lockout.locked_until(profile, now)
    if until is not None:
        raise ProfileLocked(
            "the profile is locked", {"locked_until": until.isoformat().replace("+00:00", "Z")}
        )
    lockout.lapse(connection, profile, now)

    if security.verify_answer_set(profile.answers_hash, answers):
        lockout.clear(connection, profile_id)
        expires_at = now + policy.grant_duration
        grants.create_grant(connection, call.actor, profile_id, now, expires_at)
        return VerificationResult(verified=True, grant_expires_at=expires_at)

    sets = schema.failed_answer_sets
    remembered = connection.execute(
        select(sets.c.id, sets.c.answers_hash)
        .where(sets.c.profile_id == profile_id)
        .order_by(sets.c.id.desc())
        .limit(policy.remembered_failed_sets)
    ).all()
    if any(security.verify_answer_set(row.answers_hash, answers) for row in remembered):
        note.failed("repeated_answer_set")
        return VerificationResult(
            verified=False,
            attempts_remaining=_remaining(lockout.failed_attempts(profile, now), call),
            repeated=True,
        )

    note.failed("wrong_answers")
    failure = lockout.record_failure(
        connection,
        profile,
        now,
        policy,
        reason="verification_failures",
        source=f"helpdesk:{call.actor.name}",
    )
    if failure.locked_until is not None:
        note.reason = "wrong_answers_locked"
    connection.execute(
        sets.insert().values(
            profile_id=profile_id,
            at=now,
            answers_hash=security.hash_answer_set(answers, policy.hash_cost),
        )
    )
    newest = connection.execute(
        select(sets.c.id)
        .where(sets.c.profile_id == profile_id)
        .order_by(sets.c.id.desc())
        .limit(policy.remembered_failed_sets)
    ).scalars()
    connection.execute(
        delete(sets).where(sets.c.profile_id == profile_id, sets.c.id.not_in(list(newest)))
    )
    return VerificationResult(
        verified=False,
        attempts_remaining=_remaining(failure.failed_attempts, call),
        locked_until=failure.locked_until,
    )


def _remaining(failed_attempts: int, call: Call) -> int:
    return max(call.policy.max_failed_attempts - failed_attempts, 0)

"""Caller verification: all three recovery answers right, or a failure that counts.

The profile's row is locked for the whole evaluation (``SELECT … FOR UPDATE`` on PostgreSQL, the
write lock on SQLite), so a burst of concurrent attempts is evaluated one at a time and never gets
more than the remaining attempts. The answers themselves are compared only as argon2id hashes and
never stored; a failed set is remembered as a fresh salted hash to recognise a repeat. The counter
and the lock are :mod:`~helpdesk.portal.rules.lockout`'s.

The argon2id work (one to five hashes, about 40 ms each) is done before the lock
(:func:`check_answers`) against the hashes read then; under the lock :func:`verify` uses it for
the hashes that are still the profile's, and hashes again only for what changed in between. On
SQLite the write lock is the whole database's: hashing under it made every other change (an audit
event, an access code, an unlock) wait behind each verification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, select

from helpdesk.api.errors import NotFound, ProfileLocked, ValidationFailed
from helpdesk.api.models import VerificationResult
from helpdesk.portal import schema, security
from helpdesk.portal.db import Database, lock_profile
from helpdesk.portal.rules import grants, lockout
from helpdesk.portal.rules.calls import Call, Outcome


@dataclass
class CheckedAnswers:
    """What the answers were found to match, before the lock: the stored hashes they were
    compared with, and a fresh hash of them to remember them by if they are wrong."""

    answers: tuple[str, ...]
    matches: dict[str, bool] = field(default_factory=dict)  # stored hash -> the answers match it
    failed_hash: str | None = None

    def match(self, stored_hash: str) -> bool:
        if stored_hash not in self.matches:  # changed since the check: hashed under the lock
            self.matches[stored_hash] = security.verify_answer_set(stored_hash, self.answers)
        return self.matches[stored_hash]


def check_answers(
    database: Database, call: Call, profile_id: str, answers: Sequence[str]
) -> CheckedAnswers:
    """The slow part of :func:`verify`, without any lock: the answers against the profile's hash
    and, when wrong, against its remembered failed sets, and a hash to remember them by. Nothing
    is hashed for answers :func:`verify` refuses anyway (an empty one, a locked profile)."""
    checked = CheckedAnswers(tuple(answers))
    if not all(security.normalise_answer(answer) for answer in answers):
        return checked
    with database.read() as connection:
        profile = connection.execute(
            select(schema.profiles).where(schema.profiles.c.id == profile_id)
        ).first()
        if profile is None or lockout.locked_until(profile, call.now()) is not None:
            return checked
        if checked.match(profile.answers_hash):
            return checked
        for stored_hash in _remembered(connection, profile_id, call).values():
            if checked.match(stored_hash):
                return checked
    checked.failed_hash = security.hash_answer_set(answers, call.policy.hash_cost)
    return checked


def verify(
    connection: Connection, call: Call, note: Outcome, profile_id: str, checked: CheckedAnswers
) -> VerificationResult:
    for number, answer in enumerate(checked.answers):
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

    if checked.match(profile.answers_hash):
        lockout.clear(connection, profile_id)
        expires_at = now + policy.grant_duration
        grants.create_grant(connection, call.actor, profile_id, now, expires_at)
        return VerificationResult(verified=True, grant_expires_at=expires_at)

    if any(checked.match(h) for h in _remembered(connection, profile_id, call).values()):
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
    sets = schema.failed_answer_sets
    failed_hash = checked.failed_hash or security.hash_answer_set(checked.answers, policy.hash_cost)
    connection.execute(
        sets.insert().values(profile_id=profile_id, at=now, answers_hash=failed_hash)
    )
    newest = _remembered(connection, profile_id, call)
    connection.execute(
        delete(sets).where(sets.c.profile_id == profile_id, sets.c.id.not_in(list(newest)))
    )
    return VerificationResult(
        verified=False,
        attempts_remaining=_remaining(failure.failed_attempts, call),
        locked_until=failure.locked_until,
    )


def _remembered(connection: Connection, profile_id: str, call: Call) -> dict[int, str]:
    """The profile's latest failed answer sets: id -> hash."""
    sets = schema.failed_answer_sets
    rows = connection.execute(
        select(sets.c.id, sets.c.answers_hash)
        .where(sets.c.profile_id == profile_id)
        .order_by(sets.c.id.desc())
        .limit(call.policy.remembered_failed_sets)
    ).all()
    return {row.id: row.answers_hash for row in rows}


def _remaining(failed_attempts: int, call: Call) -> int:
    return max(call.policy.max_failed_attempts - failed_attempts, 0)

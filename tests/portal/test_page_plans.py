"""Each page of a paged list is one index range read in the list's order, from the cursor on:
never a scan of the table, never a sort of everything that matches, so the thousandth page of a
national floor's lockouts costs what the first does. Checked on the query plans of SQLite (as
the portal leaves it, without statistics: the index named) and of PostgreSQL (analysed, as
autovacuum leaves it, over more matching rows than a page holds: its planner picks among the
indexes that serve the order; on fewer it may rightly sort them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Select

from helpdesk.portal import schema
from helpdesk.portal.db import Database
from helpdesk.portal.rules import audit, lockout, pages, unlock
from helpdesk.portal.rules.audit import AuditQuery
from tests.portal.conftest import START
from tests.portal.fixture_data import insert_many

PROFILES = 4000
LATER = START + timedelta(minutes=7)
MIDDLE = START - timedelta(minutes=50)
EARLY = START - timedelta(hours=2)
EVENTS = 20000
ACTIONS = ["verification.attempt"] * 6 + ["session.create", "profile.unlock", "access_code.issue"]

STATEMENTS: dict[str, tuple[Callable[[], Select[Any]], str]] = {
    "lockouts": (
        lambda: lockout.lockouts_statement(START, None, 50),
        "ix_profiles_locked_until_id",
    ),
    "lockouts, next page": (
        lambda: lockout.lockouts_statement(START, pages.Position(LATER, "prf_x"), 50),
        "ix_profiles_locked_until_id",
    ),
    "unlock requests": (
        lambda: unlock.requests_statement(None, None, 50),
        "ix_unlock_requests_requested",
    ),
    "unlock requests, next page": (
        lambda: unlock.requests_statement(None, pages.Position(MIDDLE, "unl_x"), 50),
        "ix_unlock_requests_requested",
    ),
    "pending requests": (
        lambda: unlock.requests_statement("pending", None, 50),
        "ix_unlock_requests_status_requested",
    ),
    "pending requests, next page": (
        lambda: unlock.requests_statement("pending", pages.Position(MIDDLE, "unl_x"), 50),
        "ix_unlock_requests_status_requested",
    ),
    "audit": (lambda: audit.statement(AuditQuery()), "ix_audit_at_seq"),
    "audit, next page": (
        lambda: audit.statement(AuditQuery(cursor=pages.encode(MIDDLE, "3000"))),
        "ix_audit_at_seq",
    ),
    "audit of a time window, next page": (
        lambda: audit.statement(
            AuditQuery(since=EARLY, until=START, cursor=pages.encode(MIDDLE, "3000"))
        ),
        "ix_audit_at_seq",
    ),
    "audit of an agent in a time window, next page": (
        lambda: audit.statement(
            AuditQuery(actor="agent7", since=EARLY, cursor=pages.encode(MIDDLE, "3000"))
        ),
        "ix_audit_actor_at",
    ),
    "audit of an action, next page": (
        lambda: audit.statement(
            AuditQuery(action="profile.unlock", cursor=pages.encode(MIDDLE, "3000"))
        ),
        "ix_audit_action_at",
    ),
    "audit of an outcome, next page": (
        lambda: audit.statement(AuditQuery(outcome="refused", cursor=pages.encode(MIDDLE, "3000"))),
        "ix_audit_outcome_at",
    ),
    "audit of a profile in a time window, next page": (
        lambda: audit.statement(
            AuditQuery(profile_id="prf_plan_0007", since=EARLY, cursor=pages.encode(MIDDLE, "3000"))
        ),
        "ix_audit_profile_at",
    ),
}


def _fill(database: Database) -> None:
    """A floor: a quarter of the profiles locked, an unlock request for each profile, decided but
    for one in ten (a queue is shorter than its history), all at different times; an audit
    trail."""
    with database.write() as connection:
        ids = insert_many(connection, PROFILES, START, "Plan")
        locked = ids[: PROFILES // 4]
        for n, profile_id in enumerate(locked):
            connection.execute(
                schema.profiles.update()
                .where(schema.profiles.c.id == profile_id)
                .values(
                    failed_attempts=5,
                    locked_at=START - timedelta(seconds=n),
                    locked_until=START + timedelta(minutes=15, seconds=-n),
                    lock_reason="verification_failures",
                )
            )
        connection.execute(
            schema.unlock_requests.insert(),
            [
                {
                    "id": f"unl_{n:06d}",
                    "profile_id": profile_id,
                    "status": "pending" if n % 10 == 0 else ("approved", "denied")[n % 2],
                    "reason": "caller has ID",
                    "requested_by": "alice",
                    "requested_at": START - timedelta(seconds=n),
                }
                for n, profile_id in enumerate(ids)
            ],
        )
        # One event a second, newest at START, by 10 agents on 20 profiles: each filter matches
        # many more events than a page holds.
        connection.execute(
            schema.audit_events.insert(),
            [
                {
                    "id": f"evt_{n:06d}",
                    "at": START - timedelta(seconds=EVENTS - n),
                    "actor": f"agent{n % 10}",
                    "role": "agent",
                    "action": ACTIONS[n % len(ACTIONS)],
                    "profile_id": ids[n % 20],
                    "outcome": ("ok", "ok", "ok", "ok", "failed", "ok", "refused")[n % 7],
                    "request_id": f"req_{n}",
                }
                for n in range(EVENTS)
            ],
        )
    if database.is_postgresql:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


def _plan(database: Database, statement: Select[Any]) -> list[str]:
    compiled = statement.compile(database.engine, compile_kwargs={"literal_binds": True})
    explain = "EXPLAIN" if database.is_postgresql else "EXPLAIN QUERY PLAN"
    with database.read() as connection:
        return [str(row[-1]) for row in connection.exec_driver_sql(f"{explain} {compiled}")]


def test_each_page_is_an_index_range_in_order(database: Database) -> None:
    _fill(database)
    for name, (statement, index) in STATEMENTS.items():
        plan = _plan(database, statement())
        text = "\n".join(plan)
        if database.is_postgresql:
            # Its planner weighs the indexes by their statistics: any that serves the order.
            assert "Index Scan" in text, (name, text)
            assert "Sort" not in text, (name, text)
            assert "Seq Scan" not in text, (name, text)
            ranges = [step for step in plan if "Index Cond:" in step]
        else:
            assert index in text, (name, text)
            assert "TEMP B-TREE" not in text, (name, text)
            # A scan is only ever of an index, in its order, stopped by the LIMIT.
            assert all("INDEX" in step for step in plan if step.startswith("SCAN")), (name, text)
            ranges = [step for step in plan if index in step]
        if "next page" in name:
            # The cursor bounds the index range itself: rows before it are never read.
            assert any(_bounded(database, step) for step in ranges), (name, text)


def _bounded(database: Database, condition: str) -> bool:
    """Whether an index range is bounded by a cursor: a row comparison, which SQLite may narrow to
    its first column when another bound is on it too ("at>? AND at<?"); a cursor's next page
    then reads at most the rows of the cursor's own instant before its first."""
    if database.is_postgresql:
        return "ROW(" in condition
    return ">(?,?)" in condition or "<(?,?)" in condition or "at<?" in condition

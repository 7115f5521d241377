"""Each page of a paged list is one index range read in the list's order, from the cursor on:
never a scan of the table, never a sort of everything that matches, so the thousandth page of a
national floor's lockouts costs what the first does. Checked on the query plans of SQLite (as
the portal leaves it, without statistics) and of PostgreSQL (analysed, as autovacuum leaves it,
over enough rows that a scan would be cheaper if the index did not serve the order)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Select

from helpdesk.portal import schema
from helpdesk.portal.db import Database
from helpdesk.portal.rules import lockout, pages, unlock
from tests.portal.conftest import START
from tests.portal.fixture_data import insert_many

PROFILES = 4000
LATER = START + timedelta(minutes=7)
MIDDLE = START - timedelta(minutes=50)

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
}


def _fill(database: Database) -> None:
    """A floor: a quarter of the profiles locked, an unlock request for each profile, decided but
    for one in ten (a queue is shorter than its history), all at different times."""
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
        assert index in text, (name, text)
        if database.is_postgresql:
            assert "Sort" not in text, (name, text)
            assert "Seq Scan" not in text, (name, text)
        else:
            assert "TEMP B-TREE" not in text, (name, text)
            # A scan is only ever of an index, in its order, stopped by the LIMIT.
            assert all("INDEX" in step for step in plan if step.startswith("SCAN")), (name, text)
        if "next page" in name:
            # The cursor bounds the index range itself: rows before it are never read.
            bound = "ROW(" if database.is_postgresql else ">(?,?)"
            assert bound in _range_of(plan, index), (name, text)


def _range_of(plan: list[str], index: str) -> str:
    """The range the step reading ``index`` reads: on SQLite in its own line ("SEARCH t USING
    INDEX ix (a=? AND (b,c)>(?,?))"), on PostgreSQL in the "Index Cond" line below it."""
    [at] = [n for n, step in enumerate(plan) if index in step]
    return " ".join(plan[at : at + 2])

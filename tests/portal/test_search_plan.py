"""Search stays fast on a million profiles because every part is an index range scan in index
order with a LIMIT: checked here on SQLite's query plans (no table scan, no sort of the match
set), which is what `make bench` measures on a large database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Select

from helpdesk.portal.db import Database
from helpdesk.portal.rules import search

STATEMENTS = {
    "email": search.email_statement("m", 25),
    "phone start": search.phone_statement("418", 25, reverse=False),
    "phone end": search.phone_statement("4821", 25, reverse=True),
    "one word": search.name_statement(["t"]),
    "one word, next batch": search.name_statement(["t"], ("tremblay", "prf_x")),
    "two words": search.name_statement(["m", "tremblay"]),
}


@pytest.fixture
def sqlite(tmp_path: Path) -> Database:
    database = Database.from_url(f"sqlite:///{tmp_path / 'plan.db'}")
    database.create_schema()
    return database


@pytest.mark.parametrize("name", list(STATEMENTS))
def test_search_is_an_index_range_scan_without_a_sort(sqlite: Database, name: str) -> None:
    statement: Select[object] = STATEMENTS[name]  # type: ignore[assignment]
    compiled = statement.compile(sqlite.engine, compile_kwargs={"literal_binds": True})
    with sqlite.read() as connection:
        plan = " | ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        )
    assert "USING" in plan and "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    for step in plan.split(" | "):
        if step.startswith("SCAN"):
            assert "INDEX" in step, plan

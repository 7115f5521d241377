"""The upgrades to schema versions 4 and 5 as docs/API.md gives them, run on a database of the
version before (SQLite, and PostgreSQL when the suite runs on it): the portal then serves it and
its tables are today's. At 4, the codes active at the upgrade are revoked (their HMAC cannot be
made without the code)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from helpdesk.portal import schema
from helpdesk.portal.db import Database, stored_schema_version
from tests.portal.conftest import DATABASES, START
from tests.portal.fixture_data import MARIE, populate
from tests.portal.helpers import new_database_url

ROOT = Path(__file__).resolve().parents[2]
# How the portal's UTC times read in both databases' columns (a string either parses as).
_STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _upgrade_statements(version: int, dialect: str) -> list[str]:
    text = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith(f"| {version} |")]
    upgrade = row.strip(" |").split(" | ")[2]  # the third cell: the statements
    parts = upgrade.split(" — ")
    other = "PostgreSQL:" if dialect == "sqlite" else "SQLite:"
    chosen = [p for p in parts if not p.startswith(other)]  # in the document's order
    return [s for part in chosen for s in re.findall(r"`([^`]+;)`", part)]


@pytest.fixture(params=DATABASES)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _make_version_3(url: str) -> None:
    database = Database.from_url(url)
    try:
        database.create_schema()
        with database.write() as connection:
            populate(connection, START)
            connection.exec_driver_sql("DROP TABLE sign_in_failures")
            connection.exec_driver_sql("DROP INDEX ix_access_codes_code_digest")
            connection.exec_driver_sql("ALTER TABLE access_codes DROP COLUMN code_digest")
            connection.exec_driver_sql(
                "ALTER TABLE access_codes ADD COLUMN locator VARCHAR(4) NOT NULL DEFAULT ''"
            )
            connection.exec_driver_sql(
                "ALTER TABLE access_codes ADD COLUMN code_hash VARCHAR(200) NOT NULL DEFAULT ''"
            )
            connection.exec_driver_sql(
                "CREATE INDEX ix_access_codes_locator ON access_codes (locator, status)"
            )
            for code_id, expires_at in (
                ("acc_live", START + timedelta(days=3650)),  # active whenever the test runs
                ("acc_lapsed", START - timedelta(hours=1)),
            ):
                connection.execute(
                    text(
                        "INSERT INTO access_codes (id, profile_id, locator, code_hash, issued_at,"
                        " issued_by, expires_at, status) VALUES (:id, :profile, 'ABCD',"
                        " '$argon2id$x', :issued, 'alice', :expires, 'active')"
                    ),
                    {
                        "id": code_id,
                        "profile": MARIE.id,
                        "issued": (expires_at - timedelta(hours=24)).strftime(_STORED_TIME),
                        "expires": expires_at.strftime(_STORED_TIME),
                    },
                )
            meta = schema.portal_meta
            connection.execute(
                meta.update().where(meta.c.key == schema.SCHEMA_VERSION_KEY).values(value="3")
            )
    finally:
        database.dispose()


def test_the_documented_upgrades_to_versions_4_and_5(kind: str, tmp_path: Path) -> None:
    url = new_database_url(kind, tmp_path, "v3")
    _make_version_3(url)
    database = Database.from_url(url)
    try:
        with database.write() as connection:
            for statement in _upgrade_statements(4, kind):
                connection.exec_driver_sql(statement)
            for statement in _upgrade_statements(5, kind):
                connection.exec_driver_sql(statement)
        database.create_schema()  # refuses any version but today's
        with database.read() as connection:
            assert stored_schema_version(connection) == schema.SCHEMA_VERSION == 5
            inspector = inspect(connection)
            columns = {c["name"] for c in inspector.get_columns("access_codes")}
            indexes = {
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes("access_codes")
            }
            table = schema.access_codes
            rows = {r.id: r for r in connection.execute(select(table))}
        assert columns == set(table.c.keys())
        assert ("ix_access_codes_code_digest", ("code_digest",), True) in indexes
        assert rows["acc_live"].status == "revoked" and rows["acc_live"].ended_at is not None
        assert rows["acc_live"].code_digest is None
        # One that had run out stays as it was: listed as expired, not revoked.
        assert rows["acc_lapsed"].status == "active" and rows["acc_lapsed"].ended_at is None
    finally:
        database.dispose()


def test_the_documented_upgrade_to_version_5_makes_todays_table(kind: str, tmp_path: Path) -> None:
    database = Database.from_url(new_database_url(kind, tmp_path, "v4"))
    try:
        database.create_schema()
        made = _shape(database, "sign_in_failures")
        with database.write() as connection:
            connection.exec_driver_sql("DROP TABLE sign_in_failures")
            meta = schema.portal_meta
            connection.execute(
                meta.update().where(meta.c.key == schema.SCHEMA_VERSION_KEY).values(value="4")
            )
            for statement in _upgrade_statements(5, kind):
                connection.exec_driver_sql(statement)
        database.create_schema()
        assert _shape(database, "sign_in_failures") == made
    finally:
        database.dispose()


def _shape(database: Database, table: str) -> tuple[object, ...]:
    with database.read() as connection:
        inspector = inspect(connection)
        columns = [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
        indexes = sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"]))
            for i in inspector.get_indexes(table)
        )
        return columns, indexes, inspector.get_pk_constraint(table)["constrained_columns"]

"""A SQLite portal database as the portal made it before schema versions were kept (version 1):
permits with one `description` column and no `schema_version` in `portal_meta`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, select

from helpdesk.clock import ManualClock
from helpdesk.portal import schema
from helpdesk.portal.db import Database
from helpdesk.portal.seed import seed_demo
from tests.hash_cost import CHEAP
from tests.seed.conftest import SEED_TIME


def make_version_1(path: Path, *, seeded: bool) -> None:
    """Today's schema taken back to version 1; with the demo data (and its `seeded` mark) or with
    one agent only, as a database of real work would have."""
    database = Database.from_url(f"sqlite:///{path}")
    try:
        database.create_schema()
        if seeded:
            seed_demo(database.engine, count=3, clock=ManualClock(SEED_TIME), hash_cost=CHEAP)
        else:
            with database.write() as connection:
                connection.execute(
                    schema.agents.insert().values(
                        id="agt_real",
                        username="real",
                        display_name="Real Person",
                        role="agent",
                        password_hash="x",
                        created_at=SEED_TIME,
                    )
                )
        with database.write() as connection:
            connection.exec_driver_sql("ALTER TABLE permits DROP COLUMN description_fr")
            connection.exec_driver_sql(
                "ALTER TABLE permits RENAME COLUMN description_en TO description"
            )
            connection.execute(
                schema.portal_meta.delete().where(
                    schema.portal_meta.c.key == schema.SCHEMA_VERSION_KEY
                )
            )
    finally:
        database.dispose()


def describe(path: Path) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """What a refusal must leave as it was: the permit columns, `portal_meta`, the agents."""
    database = Database.from_url(f"sqlite:///{path}")
    try:
        with database.read() as connection:
            columns = [c["name"] for c in inspect(connection).get_columns("permits")]
            meta = [(m.key, m.value) for m in connection.execute(select(schema.portal_meta))]
            agents = list(connection.execute(select(schema.agents.c.username)).scalars())
    finally:
        database.dispose()
    return columns, sorted(meta), sorted(agents)

"""A database made ready for a bulk load of the demo rows, and made whole again afterwards.

Loading before indexing: every index that `schema.py` declares on the loaded tables is dropped
before the load and built once after it from the sorted data, instead of taking millions of inserts
at random places (the search keys' indexes especially: at a million profiles they outgrow any page
cache). Foreign keys are checked once, not per row: SQLite stops checking them while it loads
(`PRAGMA foreign_keys`); PostgreSQL drops the tables' foreign-key constraints and adds them back,
which checks every row in one join. Primary keys and unique columns stay: they are the tables.

What is dropped and built again comes from the SQLAlchemy metadata (and, for PostgreSQL's
constraint names, from the database), so an index added to `schema.py` follows without a change here.
A load that fails leaves the database without those indexes and without the "seeded" mark, which
makes it refused as half-seeded (see `seed_demo`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Table, inspect
from sqlalchemy.schema import AddConstraint, CreateIndex, DropIndex

log = logging.getLogger("helpdesk.portal.seed")

# Memory for sorting while the indexes are built (SQLite's page cache, PostgreSQL's
# maintenance_work_mem), given back afterwards.
SORT_MEMORY_MIB = 256


@contextmanager
def bulk_load(connection: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Settings and schema for loading `tables` through `connection`, put back afterwards."""
    if connection.dialect.name == "sqlite":
        with _sqlite_settings(connection), _without_indexes(connection, tables):
            yield
    elif connection.dialect.name == "postgresql":
        with _without_foreign_keys(connection, tables), _without_indexes(connection, tables):
            yield
    else:
        yield


@contextmanager
def _without_indexes(connection: Connection, tables: Sequence[Table]) -> Iterator[None]:
    indexes = [index for table in tables for index in sorted(table.indexes, key=_name)]
    with connection.begin():
        for index in indexes:
            connection.execute(DropIndex(index, if_exists=True))
    yield
    started = time.perf_counter()
    with connection.begin():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{SORT_MEMORY_MIB}MB'")
        for index in indexes:
            connection.execute(CreateIndex(index))
    log.info("%d indexes built in %.1f s", len(indexes), time.perf_counter() - started)


def _name(index: object) -> str:
    return str(getattr(index, "name", ""))


@contextmanager
def _without_foreign_keys(connection: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """PostgreSQL: the tables' foreign keys dropped by the names the database gave them, and the
    metadata's added back (an unnamed one gets the same default name again)."""
    found = inspect(connection)
    with connection.begin():
        for table in tables:
            for foreign_key in found.get_foreign_keys(table.name):
                name = connection.dialect.identifier_preparer.quote(str(foreign_key["name"]))
                connection.exec_driver_sql(f"ALTER TABLE {table.name} DROP CONSTRAINT {name}")
    yield
    started = time.perf_counter()
    with connection.begin():
        for table in tables:
            for constraint in sorted(table.foreign_key_constraints, key=_name):
                connection.execute(AddConstraint(constraint))
    log.info("foreign keys checked in %.1f s", time.perf_counter() - started)


@contextmanager
def _sqlite_settings(connection: Connection) -> Iterator[None]:
    """SQLite settings for this connection while it seeds, put back afterwards.

    A 256 MiB page cache (the default 2 MiB thrashes, and building an index sorts within it), a
    second thread for those sorts, no foreign-key check per row, and no fsync per checkpoint
    (`synchronous = OFF`): the seed writes a new database, which a power cut in the middle would
    leave unusable anyway (no "seeded" mark); at the end a checkpoint with the usual setting makes
    it all durable, and empties the write-ahead log the load filled.
    """
    # The driver's own connection: these pragmas may not run inside a transaction, and the
    # portal's engine begins one with every statement.
    sqlite = connection.connection.driver_connection
    assert sqlite is not None
    pragmas = ("cache_size", "synchronous", "foreign_keys", "threads")
    before = {name: int(sqlite.execute(f"PRAGMA {name}").fetchone()[0]) for name in pragmas}
    sqlite.execute(f"PRAGMA cache_size = -{SORT_MEMORY_MIB * 1024}")
    sqlite.execute("PRAGMA synchronous = OFF")
    sqlite.execute("PRAGMA foreign_keys = OFF")
    sqlite.execute("PRAGMA threads = 2")
    try:
        yield
    finally:
        connection.rollback()
        for name, value in before.items():
            sqlite.execute(f"PRAGMA {name} = {value}")
        sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # and no WAL file of the seed's size left

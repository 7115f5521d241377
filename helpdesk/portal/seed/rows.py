"""A batch of demo rows, table by table, with the search keys derived from them, inserted in one
transaction with one executemany per table."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, Table

from helpdesk.portal import schema, search_keys
from helpdesk.portal.schema import UTCDateTime

Row = dict[str, Any]

# Names repeat a lot in generated data: fold each one once.
_name_terms = lru_cache(maxsize=65536)(search_keys.name_terms)
_words = lru_cache(maxsize=65536)(search_keys.words)

_PROFILE_DEFAULTS: Row = {column.name: None for column in schema.profiles.columns} | {
    "failed_attempts": 0,
    "two_step_enrolled": False,
}
_HOLDER_DEFAULTS: Row = {column.name: None for column in schema.holders.columns}


def profile_row(**values: Any) -> Row:
    """Every column of `profiles`, so all rows of an executemany have the same keys."""
    unknown = values.keys() - _PROFILE_DEFAULTS.keys()
    if unknown:
        raise KeyError(f"not columns of profiles: {sorted(unknown)}")
    return _PROFILE_DEFAULTS | values


def holder_row(**values: Any) -> Row:
    return _HOLDER_DEFAULTS | values


def hex_id(rng: random.Random, prefix: str) -> str:
    """An opaque id, deterministic for a seeded generator: `prf_1f3a…` (48 random bits)."""
    return f"{prefix}_{rng.getrandbits(48):012x}"


def permit_row(
    profile_id: str, description: tuple[str, str], number: str, status: str, today: date
) -> Row:
    """A permit; `description` is (English, French)."""
    # Licences run by calendar season; an expired one is last season's.
    year = today.year - 1 if status == "expired" else today.year
    return {
        "profile_id": profile_id,
        "number": number,
        "description_en": description[0],
        "description_fr": description[1],
        "status": status,
        "valid_from": date(year, 1, 1),
        "valid_to": date(year, 12, 31),
    }


def settle_last_use(credentials: list[Row], sign_ins: list[Row]) -> None:
    """A profile's credentials, last used no earlier than their latest successful sign-in (one
    with none keeps its `last_used_at`)."""
    for credential in credentials:
        successes = [
            sign_in["at"]
            for sign_in in sign_ins
            if sign_in["credential"] == credential["type"] and sign_in["outcome"] == "success"
        ]
        last_used = credential["last_used_at"]
        if successes and (last_used is None or last_used < max(successes)):
            credential["last_used_at"] = max(successes)


def _digits(number: str) -> str:
    # NNN-NNN-NNNN, as every seeded number is written, is quick to strip; anything else takes the
    # search route's own function.
    bare = number.replace("-", "")
    return bare if bare.isascii() and bare.isdigit() else search_keys.digits(number)


@dataclass
class Batch:
    profiles: list[Row] = field(default_factory=list)
    holders: list[Row] = field(default_factory=list)
    representatives: list[Row] = field(default_factory=list)
    credentials: list[Row] = field(default_factory=list)
    permits: list[Row] = field(default_factory=list)
    vessels: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)
    sign_ins: list[Row] = field(default_factory=list)
    access_codes: list[Row] = field(default_factory=list)
    search_terms: list[Row] = field(default_factory=list)
    phone_numbers: list[Row] = field(default_factory=list)

    def add_profile(
        self, profile: Row, holders: Iterable[Row], representatives: Iterable[Row]
    ) -> None:
        """The profile, its holders and representatives, and every search key they give."""
        holders = list(holders)
        representatives = list(representatives)
        self.profiles.append(profile)
        self.holders.extend(holders)
        self.representatives.extend(representatives)
        self._index(profile, holders, representatives)

    def _index(self, profile: Row, holders: list[Row], representatives: list[Row]) -> None:
        profile_id = profile["id"]
        keys: set[tuple[str, str]] = set()
        for holder in holders:
            names = (holder["given_names"], holder["preferred_name"], holder["surname"])
            for name in names:
                keys.update((term, "name") for term in _name_terms(name))
        for representative in representatives:
            keys.update((term, "name") for term in _name_terms(representative["name"]))
        if profile["organisation_name"]:
            keys.update((word, "org") for word in _words(profile["organisation_name"]))
        self.search_terms.extend(
            {"term": term, "profile_id": profile_id, "field": kind} for term, kind in sorted(keys)
        )
        numbers = {_digits(profile[name]) for name in ("phone", "fax", "mobile") if profile[name]}
        self.phone_numbers.extend(
            {"profile_id": profile_id, "digits": number, "digits_reversed": number[::-1]}
            for number in sorted(numbers)
            if number
        )

    def tables(self) -> list[tuple[Table, list[Row]]]:
        """Parents before children, so foreign keys hold at every statement."""
        return [
            (schema.profiles, self.profiles),
            (schema.holders, self.holders),
            (schema.representatives, self.representatives),
            (schema.credentials, self.credentials),
            (schema.permits, self.permits),
            (schema.vessels, self.vessels),
            (schema.notifications, self.notifications),
            (schema.sign_ins, self.sign_ins),
            (schema.access_codes, self.access_codes),
            (schema.search_terms, self.search_terms),
            (schema.phone_numbers, self.phone_numbers),
        ]

    def insert(self, connection: Connection) -> None:
        self.prepare(connection.dialect).insert(connection)

    def prepare(self, dialect: Dialect) -> PreparedBatch:
        """The statements that insert this batch, and their values made ready for the driver by
        the columns' own bind processors (UTC conversion, JSON, booleans): the values SQLAlchemy
        itself would send, for a fraction of its cost, which is most of what a large seed spends,
        and work a second process can do. PostgreSQL takes them by COPY, SQLite by the driver's
        executemany; another database gets SQLAlchemy's own executemany of the rows."""
        steps: list[Step] = []
        for table, rows in self.tables():
            if not rows:
                continue
            if dialect.name not in ("sqlite", "postgresql"):
                steps.append(Step("rows", table.name, "", rows, tuple(rows[0])))
                continue
            statement, names, getter, processors = _compiled(dialect, table, tuple(rows[0]))
            values: list[Any]
            if processors:
                values = []
                for row in rows:
                    row_values = list(getter(row))
                    for index, process in processors:
                        row_values[index] = process(row_values[index])
                    values.append(row_values)  # a list: settling may change it in place
            else:
                values = [getter(row) for row in rows]
            how = "copy" if dialect.name == "postgresql" else "executemany"
            steps.append(Step(how, table.name, statement, values, names))
        return PreparedBatch(steps)


class Step(NamedTuple):
    how: str  # copy | executemany | rows
    table: str
    statement: str
    values: list[Any]  # tuples or lists in the order of `columns`, or (rows) dicts
    columns: tuple[str, ...]

    def where(self, column: str) -> int | str:
        """Where a row of `values` holds `column`: its index, or (rows) its key."""
        return column if self.how == "rows" else self.columns.index(column)


def replaced(row: Any, changes: dict[Any, Any]) -> Any:
    """A row of a step's values with the values at some places (`Step.where`) changed: only
    columns that need no bind processing (text)."""
    if isinstance(row, dict):
        return row | changes
    changed = row if isinstance(row, list) else list(row)
    for place, value in changes.items():
        changed[place] = value
    return changed


@dataclass
class PreparedBatch:
    """A batch ready for the driver, table by table. Plain data, cheap to pickle."""

    steps: list[Step]

    def step(self, table: str) -> Step | None:
        return next((step for step in self.steps if step.table == table), None)

    def insert(self, connection: Connection) -> None:
        for step in self.steps:
            if step.how == "copy":
                # The transaction's own psycopg connection, for its COPY protocol.
                driver: Any = connection.connection.driver_connection
                with driver.cursor() as cursor, cursor.copy(step.statement) as copy:
                    for values in step.values:
                        copy.write_row(values)
            elif step.how == "executemany":
                # The driver's own cursor, in the transaction begun on `connection`: it takes
                # rows as lists, which SQLAlchemy's exec_driver_sql refuses.
                cursor = connection.connection.cursor()
                try:
                    cursor.executemany(step.statement, step.values)
                finally:
                    cursor.close()
            else:
                connection.execute(schema.metadata.tables[step.table].insert(), step.values)


_Compiled = tuple[
    str,
    tuple[str, ...],
    Callable[[Row], tuple[Any, ...]],
    list[tuple[int, Callable[[Any], Any]]],
]
# Per dialect object: its paramstyle and bind processors depend on the engine's options.
_compiled_inserts: WeakKeyDictionary[Dialect, dict[tuple[str, tuple[str, ...]], _Compiled]] = (
    WeakKeyDictionary()
)


def _compiled(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> _Compiled:
    compiled_inserts = _compiled_inserts.setdefault(dialect, {})
    cache_key = (table.name, keys)
    if cache_key not in compiled_inserts:
        if dialect.name == "postgresql":
            names = list(keys)
            quote = dialect.identifier_preparer.quote
            columns = ", ".join(quote(name) for name in names)
            statement = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
        else:
            compiled = table.insert().compile(dialect=dialect, column_keys=list(keys))
            names = list(compiled.positiontup or ())
            statement = str(compiled)
        processors: list[tuple[int, Callable[[Any], Any]]] = []
        for index, name in enumerate(names):
            column_type = table.c[name].type
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if isinstance(column_type, UTCDateTime) and process and _same_text(process):
                process = _utc_text
            if process is not None:
                processors.append((index, process))
        getter: Callable[[Row], tuple[Any, ...]] = itemgetter(*names)  # every table has 2+
        compiled_inserts[cache_key] = (statement, tuple(names), getter, processors)
    return compiled_inserts[cache_key]


def _utc_text(value: datetime | None) -> str | None:
    """What UTCDateTime stores on SQLite, made in one call instead of four (a third of the cost of
    preparing a large seed went there). Used only once checked against the real thing."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # without its "+00:00"


def _same_text(process: Callable[[Any], Any]) -> bool:
    samples = [
        datetime(2026, 11, 23, 19, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        datetime(2026, 6, 30, 23, 59, 59, 1, tzinfo=timezone(timedelta(hours=-4))),
        None,
    ]
    return all(process(sample) == _utc_text(sample) for sample in samples)

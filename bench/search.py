"""How long the demo seed takes, and how fast profile search answers, on a large database.

    python -m bench.search                       # 100,000 profiles in a throwaway SQLite file
    python -m bench.search --count 1000000
    python -m bench.search --db postgresql://postgres@127.0.0.1:5432/bench
    python -m bench.search --db sqlite:///big.db --reuse   # measure an already seeded database

It seeds with the portal's own `seed_demo`, then times the portal's own search function
(`helpdesk.portal.rules.search.search`, what `GET /admin/v1/profiles?q=` runs, each call in its own
read transaction as the route does) on queries drawn from the seeded data: p50 and p95 per kind of
query. It ends with the query plans of the prefix statements, to show they are index range scans.
Results go to standard output as Markdown (`--report PATH` writes them to a file as well).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, func, select

from helpdesk.clock import ManualClock
from helpdesk.portal import schema, search_keys
from helpdesk.portal.db import Database
from helpdesk.portal.rules import search
from helpdesk.portal.seed import seed_demo

SEED_TIME = datetime(2026, 11, 23, 19, 4, 5, tzinfo=UTC)
LIMIT = 25
_LEGAL = {"inc", "ltd", "ltee", "co", "the", "of", "de", "des", "du", "la", "le", "les", "and"}


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    lines: list[str] = []

    def out(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-") as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'bench.db'}"
        database = Database.from_url(url)
        try:
            return _run(args, url, database, out, lines)
        finally:
            database.dispose()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=100_000, help="generated profiles (100,000)")
    parser.add_argument("--db", help="a database URL (default: a throwaway SQLite file)")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind (200)")
    parser.add_argument("--reuse", action="store_true", help="measure a database seeded before")
    parser.add_argument("--report", type=Path, help="also write the Markdown report to this file")
    return parser.parse_args(argv)


def _run(
    args: argparse.Namespace,
    url: str,
    database: Database,
    out: Callable[..., None],
    lines: list[str],
) -> int:
    database.create_schema()
    with database.read() as connection:
        existing = connection.execute(select(func.count()).select_from(schema.profiles)).scalar()
    out(f"# Search benchmark: {_shown(url)}")
    out()
    out(f"- command: `{' '.join(['python -m bench.search', *sys.argv[1:]])}`")
    out(f"- machine: {_machine(database)}")
    if existing and not args.reuse:
        print(
            f"{_shown(url)} holds {existing} profiles already: use --reuse to measure it as it "
            "is, or give an empty database.",
            file=sys.stderr,
        )
        return 2
    if not existing:
        load_before = os.getloadavg()[0]
        started, cpu_here = time.perf_counter(), time.process_time()
        seed_demo(database.engine, count=args.count, clock=ManualClock(SEED_TIME))
        seconds = time.perf_counter() - started
        cpu_here = time.process_time() - cpu_here
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_child = children.ru_utime + children.ru_stime
        out(f"- seed: {args.count:,} generated profiles in **{seconds:.1f} s** "
            f"({args.count / seconds:,.0f} profiles/s); CPU {cpu_here:.1f} s inserting, "
            f"{cpu_child:.1f} s in the generating process; load average before "
            f"{load_before:.1f}, after {os.getloadavg()[0]:.1f}")  # fmt: skip
    with database.read() as connection:
        out(f"- rows: {_row_counts(connection)}")
    out()

    rng = random.Random(7)
    with database.read() as connection:
        queries = _queries(connection, rng, args.queries)
    out(f"## Search latency ({args.queries} queries per kind, limit {LIMIT}, one read "
        "transaction each)")  # fmt: skip
    out()
    out("| query | example | p50 ms | p95 ms | max ms | mean results |")
    out("|---|---|---:|---:|---:|---:|")
    now = SEED_TIME
    for kind, samples in queries.items():
        timings, results = [], []
        for q in samples:
            started = time.perf_counter()
            with database.read() as connection:
                found = search.search(connection, q, LIMIT, now)
            timings.append((time.perf_counter() - started) * 1000)
            results.append(len(found))
        timings.sort()
        p50 = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        out(f"| {kind} | `{samples[0]}` | {p50:.2f} | {p95:.2f} | {timings[-1]:.2f} | "
            f"{statistics.mean(results):.1f} |")  # fmt: skip
    out()

    out("## Query plans of the prefix statements")
    out()
    with database.read() as connection:
        for title, statement in (
            ("name prefix `tre`", search.name_statement(["tre"])),
            ("two words `marie tre`", search.name_statement(["marie", "tre"])),
            ("e-mail prefix `marie.t`", search.email_statement("marie.t", LIMIT)),
            ("phone ending `4821`", search.phone_statement("4821", LIMIT, reverse=True)),
        ):
            out(f"{title}:")
            out("```")
            for line in _plan(connection, statement):
                out(line)
            out("```")
    if args.report:
        args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _queries(connection: Connection, rng: random.Random, n: int) -> dict[str, list[str]]:
    """Queries an agent would type, drawn from the seeded profiles."""
    profiles = schema.profiles
    rows: list[Any] = []
    while len(rows) < n:
        # Ids are "prf_" and 12 random hex digits: the first id after a random one is a random
        # profile, found through the primary key.
        after = f"prf_{rng.getrandbits(48):012x}"
        row = connection.execute(
            select(profiles).where(profiles.c.id >= after).order_by(profiles.c.id).limit(1)
        ).first()
        if row is not None:
            rows.append(row)
    surnames = [search_keys.fold(r.surname) for r in rows if r.surname]
    organisations = connection.execute(
        select(profiles.c.organisation_name)
        .where(profiles.c.organisation_name.is_not(None))
        .limit(5000)
    ).scalars()
    org_words = sorted(
        {w for name in organisations for w in search_keys.words(name) if len(w) > 3} - _LEGAL
    )

    def draw(values: list[str]) -> list[str]:
        return [rng.choice(values) for _ in range(n)]

    return {
        "exact recovery number": [r.recovery_number for r in rows],
        "exact user code": [r.user_code for r in rows],
        "surname, 1 letter": draw([s[0] for s in surnames]),
        "surname, 3 letters": draw([s[:3] for s in surnames if len(s) >= 3]),
        "two words (given surname)": [
            f"{r.given_names.split(' ')[0]} {r.surname}" for r in rows if r.given_names
        ][:n],
        "e-mail prefix, 6 chars": [r.email[:6] for r in rows],
        "phone, last 4 digits": [r.phone[-4:] for r in rows],
        "organisation word": draw(org_words),
    }


def _plan(connection: Connection, statement: Select[Any]) -> list[str]:
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    if connection.dialect.name == "sqlite":
        rows = list(connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all())
        return [f"{'  ' * _depth(rows, row)}{row[-1]}" for row in rows]
    return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}").all()]


def _depth(rows: list[Any], row: Any) -> int:
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


def _row_counts(connection: Connection) -> str:
    counts = []
    for table in (schema.profiles, schema.search_terms, schema.phone_numbers, schema.sign_ins):
        n = connection.execute(select(func.count()).select_from(table)).scalar()
        counts.append(f"{table.name} {n:,}")
    return ", ".join(counts)


def _machine(database: Database) -> str:
    engine = database.engine
    if engine.dialect.name == "sqlite":
        store = f"SQLite {sqlite3.sqlite_version}"
    else:
        with engine.connect() as connection:
            store = str(connection.exec_driver_sql("SHOW server_version").scalar())
            store = f"PostgreSQL {store}"
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {store}"
    )


def _shown(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


if __name__ == "__main__":
    sys.exit(main())

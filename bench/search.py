"""The portal's search function timed in-process: the breakdown behind the HTTP benchmarks.

    python -m bench.search                         # the 100,000-profile SQLite seed (build/bench)
    python -m bench.search --count 1000000
    python -m bench.search --db postgresql://postgres@127.0.0.1:5432/helpdesk_bench_100000
    python -m bench.search --quick                 # 30 queries per kind, one run

It times `helpdesk.portal.rules.search.search` (what `GET /admin/v1/profiles?q=` runs, each call in
its own read transaction as the route does) on queries of each kind drawn from the seeded data
(`draw_queries`, which the other benchmarks import), and prints the query plans of the prefix
statements, to show they are index range scans. The database is seeded once by
`bench.common.seeded_sqlite` and kept; how long seeding takes is `bench.seed`'s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, func, select

from bench.common import (
    PROFILES,
    SEED_TIME,
    Report,
    Stats,
    machine,
    run_on,
    seeded_postgresql,
    seeded_sqlite,
    shown,
    spread,
)
from helpdesk.portal import schema, search_keys
from helpdesk.portal.db import Database
from helpdesk.portal.rules import search

LIMIT = 25
_LEGAL = {"inc", "ltd", "ltee", "co", "the", "of", "de", "des", "du", "la", "le", "les", "and"}

QUERY_KINDS = (
    "exact recovery number",
    "exact user code",
    "surname, 1 letter",
    "surname, 3 letters",
    "two words (given surname)",
    "e-mail prefix, 6 chars",
    "phone, last 4 digits",
    "organisation word",
)


def draw_queries(connection: Connection, rng: random.Random, n: int) -> dict[str, list[str]]:
    """`n` queries of each kind in `QUERY_KINDS` an agent would type, drawn from the profiles of a
    seeded database by `rng` (the same seed and database give the same queries)."""
    profiles = schema.profiles
    rows: list[Any] = []
    while len(rows) < n:
        # Generated ids are "prf_" and 12 random hex digits: the first id after a random one is a
        # random profile, found through the primary key.
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

    two_words = [f"{r.given_names.split(' ')[0]} {r.surname}" for r in rows if r.given_names]
    return {
        "exact recovery number": [r.recovery_number for r in rows],
        "exact user code": [r.user_code for r in rows],
        "surname, 1 letter": draw([s[0] for s in surnames]),
        "surname, 3 letters": draw([s[:3] for s in surnames if len(s) >= 3]),
        "two words (given surname)": draw(two_words) if len(two_words) < n else two_words[:n],
        "e-mail prefix, 6 chars": [r.email[:6] for r in rows],
        "phone, last 4 digits": [r.phone[-4:] for r in rows],
        "organisation word": draw(org_words),
    }


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    run_on(args.source, "bench.search", argv)
    if args.db:
        url = args.db
    elif args.postgres:
        url = seeded_postgresql(args.postgres, args.count)
    else:
        url = seeded_sqlite(args.count)
    report = Report(
        f"Search function in-process ({shown(url)})",
        " ".join(["python -m bench.search", *(sys.argv[1:] if argv is None else argv)]),
    )
    database = Database.from_url(url)
    try:
        with database.read() as connection:
            report.out(f"- machine: {machine(url)}")
            report.out(f"- rows: {_row_counts(connection)}")
            report.out()
            queries = draw_queries(connection, random.Random(7), args.queries)
        _latency(report, database, queries, args.runs)
        if not args.db:  # the kept seed's size; another database's is its own
            report.figure(PROFILES, args.count)
        _plans(report, database)
    finally:
        database.dispose()
    report.save(args.report)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument(
        "--count", type=int, help="profiles of the kept seed (1,000,000; quick 100,000)"
    )
    parser.add_argument("--db", help="a seeded database URL instead of the kept SQLite seed")
    parser.add_argument("--postgres", metavar="URL", help="the kept seed on this PostgreSQL server")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind (200)")
    parser.add_argument("--runs", type=int, default=3, help="runs over the same queries (3)")
    parser.add_argument("--quick", action="store_true", help="30 queries per kind, one run")
    parser.add_argument("--report", type=Path, help="also write the Markdown report to this file")
    parser.add_argument("--source", type=Path, help="run on this source tree's code (bench.common)")
    args = parser.parse_args(argv)
    if args.quick:
        args.queries, args.runs = 30, 1
    if args.count is None:
        args.count = 100_000 if args.quick else 1_000_000
    return args


def _latency(report: Report, database: Database, queries: dict[str, list[str]], runs: int) -> None:
    report.out(
        f"{len(next(iter(queries.values())))} queries per kind, limit {LIMIT}, one read "
        f"transaction each, {runs} runs; milliseconds over every run, spread = the runs' medians"
    )
    report.out()
    rows = []
    for kind, samples in queries.items():
        timings: list[float] = []
        medians: list[float] = []
        results: list[int] = []
        for _ in range(runs):
            run: list[float] = []
            for q in samples:
                started = time.perf_counter()
                with database.read() as connection:
                    found = search.search(connection, q, LIMIT, SEED_TIME)
                run.append((time.perf_counter() - started) * 1000)
                results.append(len(found))
            medians.append(statistics.median(run))
            timings += run
        stats = Stats.of(timings)
        if kind == "two words (given surname)":
            report.figure("two_words_server_p95_ms", stats.p95)
        rows.append(
            (
                kind,
                f"`{samples[0]}`",
                f"{stats.median:.2f}",
                f"{stats.p95:.2f}",
                f"{stats.p99:.2f}",
                f"{stats.max:.2f}",
                spread(medians, 2),
                f"{statistics.mean(results):.1f}",
            )
        )
    report.table(
        ("query", "example", "median", "p95", "p99", "max", "spread", "mean results"), rows
    )


def _plans(report: Report, database: Database) -> None:
    report.out("Query plans of the prefix statements:")
    report.out()
    with database.read() as connection:
        for title, statement in (
            ("name prefix `tre`", search.name_statement(["tre"])),
            ("two words `marie tre`", search.name_statement(["marie", "tre"])),
            ("e-mail prefix `marie.t`", search.email_statement("marie.t", LIMIT)),
            ("phone ending `4821`", search.phone_statement("4821", LIMIT, reverse=True)),
        ):
            report.out(f"{title}:")
            report.out("```")
            for line in _plan(connection, statement):
                report.out(line)
            report.out("```")
    report.out()


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


if __name__ == "__main__":
    sys.exit(main())

"""Profile search as the console meets it: ``helpdesk-portal`` in its own processes, over real
kept-alive HTTP, on a seeded database (issue 10, benchmark 4).

    python -m bench.http_search                          # 1,000,000 profiles, SQLite
    python -m bench.http_search --quick                  # 100,000 profiles, short runs
    python -m bench.http_search --postgres postgresql://postgres@127.0.0.1:5432/postgres

For each portal (``--workers``: one process, and one per core):
(a) latency: one kept-alive connection, the queries of each kind one after another (drawn from the
    data by bench/search.py's ``draw_queries``), p50/p95/p99 per kind;
(b) throughput: ``--connections`` kept-alive connections for ``--duration`` seconds, on ``q=tremb``
    and on the mix of every kind: searches/s, errors, p50/p95/p99. The load comes from
    ``--generators`` processes (one asyncio loop each), their samples merged, so the generator is
    not what limits the figure.
Each is repeated ``--runs`` times; the table has the median run's figures and the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bench.common import (
    PROFILES,
    Report,
    Stats,
    demo_token,
    machine,
    portal,
    run_on,
    seeded_postgresql,
    seeded_sqlite,
    shown,
    spread,
)
from bench.wire import Connection

LIMIT = 25
HOT_QUERY = "tremb"
TWO_WORDS = "two words (given surname)"  # bench/search.py's name for the kind
PATH = "/admin/v1/profiles"


@dataclass(frozen=True)
class Load:
    base_url: str
    token: str
    queries: tuple[str, ...]
    connections: int
    duration: float


@dataclass
class Outcome:
    latencies: list[float]  # milliseconds, answered 200
    errors: int
    seconds: float
    cpu: float = 0.0  # CPU seconds the load generator spent


async def _search(connection: Connection, q: str) -> int:
    answer = await connection.get(PATH, q=q, limit=LIMIT)
    return answer.status


async def _connection(load: Load, deadline: float, seed: int) -> Outcome:
    rng = random.Random(seed)
    connection = Connection(load.base_url, load.token)
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    try:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                status = await _search(connection, rng.choice(load.queries))
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                await connection.close()
                continue
            if status == 200:
                latencies.append((time.perf_counter() - sent) * 1000)
            else:
                errors += 1
    finally:
        await connection.close()
    return Outcome(latencies, errors, time.perf_counter() - started)


async def _generate(load: Load, first_seed: int) -> Outcome:
    deadline = time.perf_counter() + load.duration
    outcomes = await asyncio.gather(
        *(_connection(load, deadline, first_seed + i) for i in range(load.connections))
    )
    return _merged(outcomes)


def _merged(outcomes: list[Outcome]) -> Outcome:
    return Outcome(
        [ms for outcome in outcomes for ms in outcome.latencies],
        sum(outcome.errors for outcome in outcomes),
        max(outcome.seconds for outcome in outcomes),
        sum(outcome.cpu for outcome in outcomes),
    )


def _generator_process(load: Load, seed: int) -> Outcome:
    started = time.process_time()
    outcome = asyncio.run(_generate(load, seed))
    outcome.cpu = time.process_time() - started
    return outcome


def throughput(load: Load, generators: int) -> Outcome:
    """``load.connections`` spread over ``generators`` processes, their samples merged."""
    shares = [load.connections // generators + (i < load.connections % generators) for i in
              range(generators)]  # fmt: skip
    loads = [replace(load, connections=share) for share in shares if share]
    with multiprocessing.get_context("spawn").Pool(len(loads)) as pool:
        outcomes = pool.starmap(
            _generator_process, [(one, i * 1000) for i, one in enumerate(loads)]
        )
    return _merged(outcomes)


async def _one_by_one(load: Load) -> list[float]:
    connection = Connection(load.base_url, load.token)
    try:
        latencies = []
        for q in load.queries:
            sent = time.perf_counter()
            status = await _search(connection, q)
            latencies.append((time.perf_counter() - sent) * 1000)
            if status != 200:
                raise RuntimeError(f"q={q!r} answered {status}")
        return latencies
    finally:
        await connection.close()


def portal_cpu_seconds(base_url: str) -> float | None:
    """CPU seconds used so far by the processes listening on ``base_url``'s port (Linux: found
    through /proc), the steadier measure on a machine others are loading too; None elsewhere."""
    port = int(base_url.rsplit(":", 1)[1])
    try:
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    inodes.add(f"socket:[{fields[9]}]")
        total = 0.0
        for process in Path("/proc").iterdir():
            if not process.name.isdigit():
                continue
            try:
                if not any(os.readlink(fd) in inodes for fd in (process / "fd").iterdir()):
                    continue
                stat = (process / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        return total or None
    except (OSError, ValueError, IndexError):
        return None


def queries_from(database_url: str, per_kind: int) -> dict[str, list[str]]:
    from bench.search import draw_queries
    from helpdesk.portal.db import Database

    database = Database.from_url(database_url)
    try:
        with database.read() as connection:
            return draw_queries(connection, random.Random(7), per_kind)
    finally:
        database.dispose()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.http_search", description=__doc__.split("\n")[0]
    )
    cores = os.cpu_count() or 1
    parser.add_argument("--count", type=int, help="generated profiles (1,000,000; quick 100,000)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to seed and use")
    parser.add_argument(
        "--workers", help=f"portal processes to measure, comma-separated (1,{cores})"
    )
    parser.add_argument("--queries", type=int, help="queries per kind, latency (200; quick 40)")
    parser.add_argument("--connections", type=int, default=50, help="throughput connections (50)")
    parser.add_argument("--duration", type=float, help="seconds per throughput run (10; quick 3)")
    parser.add_argument("--generators", type=int, default=2, help="load processes (2)")
    parser.add_argument("--runs", type=int, help="repetitions of each measure (3; quick 1)")
    parser.add_argument("--quick", action="store_true", help="a short try-out")
    parser.add_argument("--report", type=Path, help="also write the Markdown section to this file")
    parser.add_argument("--source", type=Path, help="run on this source tree's code (bench.common)")
    args = parser.parse_args(argv)
    args.count = args.count or (100_000 if args.quick else 1_000_000)
    args.workers = [int(n) for n in (args.workers or f"1,{cores}").split(",")]
    args.queries = args.queries or (40 if args.quick else 200)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    args.runs = args.runs or (1 if args.quick else 3)
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    run_on(args.source, "bench.http_search", argv)
    url = (
        seeded_postgresql(args.postgres, args.count) if args.postgres else seeded_sqlite(args.count)
    )
    queries = queries_from(url, args.queries)
    mix = tuple(q for kind in queries.values() for q in kind)
    command = " ".join(["python -m bench.http_search", *sys.argv[1:]])
    report = Report(f"Search over HTTP, {args.count:,} profiles ({shown(url)})", command)
    report.out(f"- machine: {machine(url)}")
    report.out(f"- latency: one kept-alive connection, {args.queries} queries per kind, limit "
               f"{LIMIT}; throughput: {args.connections} connections from {args.generators} "
               f"processes for {args.duration:g} s; {args.runs} run(s) each, the median run shown "
               "with the spread of its figure (min–max) over the runs")  # fmt: skip
    report.out()
    for workers in args.workers:
        with portal(url, workers=workers) as base_url:
            token = demo_token(base_url)
            _warm(Load(base_url, token, mix, 1, 0))
            latencies = _latency_table(report, workers, base_url, token, queries, args.runs)
            hot = _throughput_table(report, workers, base_url, token, mix, args)
        # The headline figures (bench/__main__.py's TARGETS): one connection as one agent meets
        # it, on the first portal measured (one process by default); the load on the last (one
        # process per core by default). Two words are timed over HTTP: an upper bound of the
        # server side.
        if workers == args.workers[0]:
            every_kind = [ms for samples in latencies.values() for ms in samples]
            report.figure("kept_alive_search_p95_ms", Stats.of(every_kind).p95)
            report.figure("two_words_p95_ms", Stats.of(latencies[TWO_WORDS]).p95)
        if workers == args.workers[-1]:
            rate, stats, errors = hot
            report.figure("tremb_per_s", rate)
            report.figure("tremb_p99_ms", stats.p99)
            report.figure("tremb_errors", errors)
    report.figure(PROFILES, args.count)
    report.out(f"- machine after: {machine()}")
    report.save(args.report)
    return 0


def _warm(load: Load) -> None:
    asyncio.run(_one_by_one(load))


def _latency_table(
    report: Report,
    workers: int,
    base_url: str,
    token: str,
    queries: dict[str, list[str]],
    runs: int,
) -> dict[str, list[float]]:
    rows = []
    measured: dict[str, list[float]] = {}
    for kind, samples in queries.items():
        load = Load(base_url, token, tuple(samples), 1, 0)
        each_run = [asyncio.run(_one_by_one(load)) for _ in range(runs)]
        measured[kind] = [ms for run in each_run for ms in run]
        stats = [Stats.of(run) for run in each_run]
        middle = sorted(stats, key=lambda s: s.p95)[len(stats) // 2]
        rows.append(
            [
                kind,
                f"`{samples[0]}`",
                f"{middle.median:.2f}",
                f"{middle.p95:.2f}",
                f"{middle.p99:.2f}",
                spread([s.p95 for s in stats], 2),
            ]
        )
    report.out(f"### Latency, one kept-alive connection, {workers} portal process(es)")
    report.out()
    report.table(["query", "example", "p50 ms", "p95 ms", "p99 ms", "p95 spread"], rows)
    return measured


def _throughput_table(
    report: Report,
    workers: int,
    base_url: str,
    token: str,
    mix: tuple[str, ...],
    args: argparse.Namespace,
) -> tuple[float, Stats, int]:
    rows = []
    hot: tuple[float, Stats, int] | None = None
    for name, queries in ((f"`q={HOT_QUERY}`", (HOT_QUERY,)), ("the mix", mix)):
        load = Load(base_url, token, queries, args.connections, args.duration)
        runs = []
        portal_cpu = []
        for _ in range(args.runs):
            cpu_before = portal_cpu_seconds(base_url)
            outcome = throughput(load, args.generators)
            cpu_after = portal_cpu_seconds(base_url)
            runs.append((len(outcome.latencies) / outcome.seconds, outcome))
            if cpu_before is not None and cpu_after is not None and outcome.latencies:
                portal_cpu.append(1000 * (cpu_after - cpu_before) / len(outcome.latencies))
        rates = [rate for rate, _ in runs]
        rate, outcome = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
        stats = Stats.of(outcome.latencies)
        errors = sum(o.errors for _, o in runs)
        hot = hot or (rate, stats, errors)
        rows.append(
            [
                name,
                f"{rate:,.0f}",
                spread(rates, 0),
                errors,
                f"{stats.median:.1f}",
                f"{stats.p95:.1f}",
                f"{stats.p99:.1f}",
                f"{statistics.median(portal_cpu):.2f} ({spread(portal_cpu, 2)})"
                if portal_cpu
                else "–",
                f"{1000 * outcome.cpu / max(1, len(outcome.latencies)):.2f}",
            ]
        )
    report.out(
        f"### Throughput, {args.connections} kept-alive connections, {workers} portal process(es)"
    )
    report.out()
    report.table(
        [
            "queries",
            "searches/s",
            "spread",
            "errors (all runs)",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "portal CPU ms/search",
            "generator CPU ms/search",
        ],
        rows,
    )
    assert hot is not None
    return hot


if __name__ == "__main__":
    sys.exit(main())

"""How long the demo seed takes: 1,000, 100,000 and 1,000,000 profiles into new databases.

    python -m bench.seed                          # SQLite: 1,000 ×3, 100,000 ×3, 1,000,000 ×1
    python -m bench.seed --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python -m bench.seed --quick                  # 1,000 ×2 and 20,000 ×2, to try it out
    python -m bench.seed --sizes 100000 --runs 5 --report build/bench/seed.md

Each run seeds a throwaway database (a SQLite file in a temporary directory, or with `--postgres` a
database of its own on that server, dropped afterwards) with the portal's own `seed_demo`, at the
production hash cost, as `helpdesk-portal --seed-demo N` does, in a fresh process so that its CPU
time and peak memory are its own. 1,000 is what the embedded portal seeds on its first start.
It reports the wall time of `seed_demo` (the schema made before it is not counted), profiles per
second, the CPU seconds of the seeding process and of the child processes that generate rows, the
peak resident memory of each, and the database's size on disk.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    PROFILES,
    Report,
    keep_sqlite,
    machine,
    new_postgresql_database,
    run_on,
    seed,
    spread,
)

DEFAULT_SIZES = ((1_000, 3), (100_000, 3), (1_000_000, 1))
QUICK_SIZES = ((1_000, 2), (20_000, 2))


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    run_on(args.source, "bench.seed", argv)
    if args.child:
        print(json.dumps(_child(args.child[0], int(args.child[1]))))
        return 0
    sizes: tuple[tuple[int, int], ...]
    if args.quick:  # a try-out even when given --sizes (python -m bench --quick passes them)
        sizes = QUICK_SIZES
    elif args.sizes:
        sizes = tuple((count, 1 if count >= 1_000_000 else 3) for count in args.sizes)
    else:
        sizes = DEFAULT_SIZES
    if args.runs:
        sizes = tuple((count, args.runs) for count, _ in sizes)
    database = "PostgreSQL" if args.postgres else "SQLite"
    report = Report(
        f"Demo seed, {database}",
        " ".join(["python -m bench.seed", *(sys.argv[1:] if argv is None else argv)]),
    )
    report.out(f"- machine before: {machine(args.postgres or 'sqlite:')}")
    rows = []
    for count, runs in sizes:
        results = [_one_run(count, args.postgres) for _ in range(runs)]
        for result in results:
            print(f"  {count:,}: {json.dumps(result)}", file=sys.stderr, flush=True)
        rows.append(_row(count, results))
        if count == max(size for size, _ in sizes):  # the headline: the largest seeded
            report.figure("seed_s", statistics.median(r["seconds"] for r in results))
            report.figure(PROFILES, count)
    report.out(f"- machine after: {machine(args.postgres or 'sqlite:')}")
    report.out()
    report.table(
        (
            "profiles",
            "runs",
            "wall s (median)",
            "spread",
            "of which after the load",
            "profiles/s",
            "CPU s seeding",
            "CPU s generating",
            "peak RSS seeding",
            "peak RSS generating",
            "size",
        ),
        rows,
    )
    report.out(
        "After the load: building the indexes (and, on PostgreSQL, checking the foreign keys),"
        " part of the wall time."
        ' CPU and memory: medians over the runs; "seeding" is the process that runs `seed_demo`'
        ' and inserts, "generating" its child processes (one per core, from 20,000 profiles on;'
        " CPU summed, memory the largest one's). Load averages are the machine's, other work"
        " included."
    )
    report.out()
    report.save(args.report)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.seed", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--postgres", metavar="URL", help="seed PostgreSQL on this server")
    parser.add_argument("--sizes", type=int, nargs="+", help="profile counts to seed")
    parser.add_argument("--runs", type=int, help="runs of each size (3, and 1 for a million)")
    parser.add_argument(
        "--quick", action="store_true", help="1,000 and 20,000 profiles, twice, whatever --sizes"
    )
    parser.add_argument("--report", type=Path, help="also write the Markdown report to this file")
    parser.add_argument("--source", type=Path, help="run on this source tree's code (bench.common)")
    parser.add_argument("--child", nargs=2, metavar=("URL", "COUNT"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _one_run(count: int, postgres: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-seed-") as scratch:
        if postgres is None:
            seeded = Path(scratch) / "seed.db"
            result = _in_child(f"sqlite:///{seeded}", count)
            keep_sqlite(seeded, count)
            return result
        url = new_postgresql_database(postgres, f"helpdesk_bench_seed_{os.getpid()}")
        try:
            return _in_child(url, count)
        finally:
            _drop_database(postgres, url)


def _in_child(url: str, count: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    answer = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--child", url, str(count)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(answer.stdout.strip().splitlines()[-1])
    result["load"] = (load, os.getloadavg()[0])
    return result


def _child(url: str, count: int) -> dict[str, Any]:
    # The seed says how long building indexes (and checking foreign keys) took after the load.
    phases: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: phases.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("helpdesk.portal.seed").addHandler(handler)
    logging.getLogger("helpdesk.portal.seed").setLevel(logging.INFO)
    started = time.process_time()
    seconds = seed(url, count)
    cpu = time.process_time() - started
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "cpu_children": children.ru_utime + children.ru_stime,
        "rss_mib": me.ru_maxrss / 1024,
        "rss_children_mib": children.ru_maxrss / 1024,
        "size_mib": _size_mib(url),
        "after_load_s": sum(float(m.split(" in ")[1].removesuffix(" s")) for m in phases),
    }


def _size_mib(url: str) -> float:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(f.stat().st_size for f in path.parent.glob(f"{path.name}*")) / 2**20
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
    finally:
        engine.dispose()
    return int(size or 0) / 2**20


def _row(count: int, results: list[dict[str, Any]]) -> tuple[object, ...]:
    seconds = [r["seconds"] for r in results]
    wall = statistics.median(seconds)
    loads = [x for r in results for x in r["load"]]

    def median(key: str) -> float:
        return statistics.median(r[key] for r in results)

    return (
        f"{count:,} (load {min(loads):.1f}–{max(loads):.1f})",
        len(results),
        f"**{wall:.1f}**",
        spread(seconds),
        f"{median('after_load_s'):.1f}",
        f"{count / wall:,.0f}",
        f"{median('cpu'):.1f}",
        f"{median('cpu_children'):.1f}",
        f"{median('rss_mib'):.0f} MiB",
        f"{median('rss_children_mib'):.0f} MiB",
        f"{median('size_mib'):,.0f} MiB",
    )


def _drop_database(base_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())

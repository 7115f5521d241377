"""``make bench``: every benchmark, one after the other, and ``docs/benchmarks.md`` from their reports.

Each benchmark runs in a process of its own (``python -m bench.<name> --report …``) so that none
measures another's leftovers; its Markdown report and headline figures land in
``build/bench/reports``. The document starts with issue 10's targets, each with the figure this run
measured and whether it holds, then every report in full.

    python -m bench                     # everything, writes docs/benchmarks.md (about an hour)
    python -m bench --quick             # each benchmark's quick mode, writes build/bench/quick.md
    python -m bench --only load,seed    # some of them (their reports are kept; the document is
                                        # assembled from the latest report of each)
"""

from __future__ import annotations

import argparse
import json
import operator
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import CACHE, REPO, machine

REPORTS = CACHE / "reports"
DOCUMENT = REPO / "docs" / "benchmarks.md"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

POSTGRES_TOO = "postgres"  # stands for --postgres <the server> when one answers


@dataclass(frozen=True)
class Benchmark:
    name: str  # its report is build/bench/reports/<name>.md
    module: str
    title: str
    arguments: tuple[str, ...] = ()  # POSTGRES_TOO: also on PostgreSQL, when it answers
    postgres_only: bool = False  # runs only when PostgreSQL answers


BENCHMARKS = (
    Benchmark("keystroke", "bench.keystroke", "1. Keystroke to screen, in a real terminal"),
    Benchmark("startup", "bench.startup", "2. Start-up, in a real terminal"),
    Benchmark("load", "bench.load", "3. The portal under load: agents working calls",
              (POSTGRES_TOO,)),
    Benchmark("http_search", "bench.http_search", "4. Search over kept-alive HTTP, SQLite"),
    Benchmark("http_search_postgresql", "bench.http_search",
              "4. Search over kept-alive HTTP, PostgreSQL", (POSTGRES_TOO,), postgres_only=True),
    Benchmark("memory", "bench.memory", "5. Console memory over a shift of calls"),
    Benchmark("seed", "bench.seed", "6. Seeding the demo data, SQLite"),
    Benchmark("seed_postgresql", "bench.seed", "6. Seeding the demo data, PostgreSQL",
              (POSTGRES_TOO, "--sizes", "100000", "1000000", "--runs", "1"), postgres_only=True),
    Benchmark("search", "bench.search", "Breakdown: the search function in-process, SQLite"),
    Benchmark("search_postgresql", "bench.search",
              "Breakdown: the search function in-process, PostgreSQL", (POSTGRES_TOO,),
              postgres_only=True),
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    figure: str  # the name a benchmark gives it (bench.common.Report.figure)
    path: str
    before: str  # as issue 10 measured it
    goal: str
    holds: Callable[[float], bool]
    unit: str


def _below(limit: float) -> Callable[[float], bool]:
    return lambda value: operator.lt(value, limit)


TARGETS = (
    Target("keystroke_recovery_number_p95_ms",
           "recovery number typed → caller's row on screen (real pty, 1M profiles), p95",
           "median 235 ms", "< 50 ms", _below(50), "ms"),
    Target("kept_alive_search_p95_ms", "search over one kept-alive HTTP connection, 1M, p95",
           "48 ms every request", "< 5 ms", _below(5), "ms"),
    Target("tremb_per_s", "searches per second, 50 connections, `q=tremb`",
           "147/s", "≥ 3,000/s", lambda v: v >= 3000, "/s"),
    Target("tremb_p99_ms", "… their p99", "avg 333 ms", "< 100 ms", _below(100), "ms"),
    Target("tremb_errors", "… errors", "–", "0", lambda v: v == 0, ""),
    Target("two_words_server_p95_ms", "two-word search at 1M, server side (in-process), p95",
           "188 ms", "< 10 ms", _below(10), "ms"),
    Target("two_words_p95_ms", "… the same over kept-alive HTTP, p95",
           "–", "< 10 ms", _below(10), "ms"),
    Target("seed_1m_s", "1,000,000 demo profiles seeded",
           "1,322 s", "< 180 s", _below(180), "s"),
    Target("startup_ratio", "console start → sign-in screen on a pty, vs bare Textual",
           "1.87×", "≤ 1.5×", lambda v: v <= 1.5, "×"),
    Target("rss_signed_in_mib", "console memory after sign-in (RSS)",
           "80 MiB", "< 80 MiB", _below(80), "MiB"),
    Target("rss_growth_pct", "console memory over 200 profiles opened one after another",
           "+96%", "< 10% growth", _below(10), "%"),
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    REPORTS.mkdir(parents=True, exist_ok=True)
    postgres = args.postgres if args.postgres != "none" else None
    if postgres and not _answers(postgres):
        print(f"PostgreSQL does not answer at {postgres}: SQLite only this time.", flush=True)
        postgres = None
    chosen = set(args.only.split(",")) if args.only else {b.name for b in BENCHMARKS}
    failed = []
    for benchmark in BENCHMARKS:
        if benchmark.name not in chosen or (benchmark.postgres_only and not postgres):
            continue
        report = _report(benchmark.name, args.quick)
        command = [
            sys.executable,
            "-m",
            benchmark.module,
            "--report",
            str(report.relative_to(REPO)),
        ]
        if args.quick:
            command.append("--quick")
        for argument in benchmark.arguments:
            if argument == POSTGRES_TOO:
                command += ["--postgres", postgres] if postgres else []
            else:
                command.append(argument)
        print(f"\n=== {' '.join(command[1:])}", flush=True)
        if subprocess.run(command, cwd=REPO).returncode != 0:
            failed.append(benchmark.name)
    document = args.output or (CACHE / "quick.md" if args.quick else DOCUMENT)
    document.write_text(_document(args.quick), encoding="utf-8")
    print(f"\nwritten: {document}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _report(name: str, quick: bool) -> Path:
    return REPORTS / f"{name}{'-quick' if quick else ''}.md"


def _document(quick: bool) -> str:
    figures: dict[str, float] = {}
    sections: list[str] = []
    for benchmark in BENCHMARKS:
        title = benchmark.title
        report = _report(benchmark.name, quick)
        if not report.exists():
            sections.append(f"## {title}\n\nNot measured.\n")
            continue
        # The PostgreSQL runs give the same figures: kept apart, in a column of their own.
        prefix = "postgresql." if benchmark.name.endswith("_postgresql") else ""
        measured = json.loads(report.with_suffix(".json").read_text())
        figures |= {prefix + name: value for name, value in measured.items()}
        body = report.read_text(encoding="utf-8").split("\n", 1)[1]  # its own "## " title
        sections.append(f"## {title}\n{body}")
    lines = [
        "# Benchmarks",
        "",
        "What an agent meets, measured through the paths users take: the console in a real",
        "terminal, the portal over kept-alive HTTP, in processes of their own. Made by `make bench`",
        "(`python -m bench`), which runs every benchmark below and writes this file; each section",
        "names the command that reproduces it alone. The in-process timings at the end are a",
        "breakdown, never the headline. docs/PERFORMANCE.md says what was changed to get here.",
        "",
        f"- machine when assembled: {machine()}",
        "",
        "## Targets (issue 10)",
        "",
        "SQLite unless said otherwise; the PostgreSQL column is the same benchmark on PostgreSQL",
        "(one database server on the same two cores).",
        "",
        "| path | before (issue 10) | target | this run | holds | PostgreSQL | holds |",
        "|---|---:|---:|---:|:---:|---:|:---:|",
    ]
    for target in TARGETS:
        cells = [target.path, target.before, target.goal]
        for prefix in ("", "postgresql."):
            value = figures.get(prefix + target.figure)
            if value is None:
                cells += ["–", ""]
            else:
                cells.append(f"{value:,.1f} {target.unit}".strip())
                cells.append("yes" if target.holds(value) else "**no**")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines) + "\n" + "\n".join(sections)


def _answers(url: str) -> bool:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            return True
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark's quick mode")
    parser.add_argument(
        "--only", help="comma-separated names: " + ",".join(b.name for b in BENCHMARKS)
    )
    parser.add_argument(
        "--postgres", default=POSTGRES, help=f"a PostgreSQL server URL, or none ({POSTGRES})"
    )
    parser.add_argument("--output", type=Path, help="where the document goes")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())

"""``make bench``: every benchmark, one after the other, and ``docs/benchmarks.md`` from their reports.

Each benchmark runs in a process of its own (``python -m bench.<name> --report …``) so that none
measures another's leftovers; its Markdown report and headline figures land in
``build/bench/reports``. The document starts with issue 10's targets, each with the figure this run
measured and whether it holds, then every report in full.

The targets' "before" is measured in the same run too: each benchmark behind a target runs once
more on the code as it was when issue 10 was filed (``BASELINE``, the last commit before any of its
work), unpacked once into ``build/bench/baseline-<commit>`` (``bench.common.baseline_tree``) and
given as ``--source``: the benchmark runs itself on that tree, so its portal, its console, its seed
and its in-process search are the baseline's, on a database the baseline seeded (kept as
``build/bench/baseline-<commit>-sqlite-<count>.db``). It runs as the issue measured each row:
SQLite, one portal process, 100,000 profiles, and 1,000,000 for the in-process two-word search and
the seed (the baseline seeds a million in about ten minutes on two cores, under load; the seed
benchmark's million becomes the kept database, ``bench.common.keep_sqlite``). Each figure of the table says the profiles it
was measured at; the issue's own figures stay beside them.

    python -m bench                     # everything, writes docs/benchmarks.md (1 h 30)
    python -m bench --quick             # each benchmark's quick mode, writes build/bench/quick.md
    python -m bench --only load,seed    # some of them (their reports are kept; the document is
                                        # assembled from the latest report of each)
    python -m bench --only baseline-keystroke   # one of them on the baseline only
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

from bench.common import CACHE, PROFILES, REPO, baseline_tree, machine, reference_loop_ms

REPORTS = CACHE / "reports"
DOCUMENT = REPO / "docs" / "benchmarks.md"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

POSTGRES_TOO = "postgres"  # stands for --postgres <the server> when one answers
BASELINE = "1598f8e"  # issue 10 was filed on it: the targets' "before"


@dataclass(frozen=True)
class Benchmark:
    name: str  # its report is build/bench/reports/<name>.md
    module: str
    title: str
    arguments: tuple[str, ...] = ()  # POSTGRES_TOO: also on PostgreSQL, when it answers
    postgres_only: bool = False  # runs only when PostgreSQL answers
    # Runs once more on BASELINE's code (as baseline-<name>) with these arguments; None: it does
    # not. SQLite and one portal process (the baseline's portal has no --workers), as issue 10.
    baseline: tuple[str, ...] | None = None


BENCHMARKS = (
    Benchmark("keystroke", "bench.keystroke", "1. Keystroke to screen, in a real terminal",
              baseline=("--count", "100000")),
    Benchmark("startup", "bench.startup", "2. Start-up, in a real terminal", baseline=()),
    Benchmark("load", "bench.load", "3. The portal under load: agents working calls",
              (POSTGRES_TOO,)),
    Benchmark("http_search", "bench.http_search", "4. Search over kept-alive HTTP, SQLite",
              baseline=("--count", "100000", "--workers", "1")),
    Benchmark("http_search_postgresql", "bench.http_search",
              "4. Search over kept-alive HTTP, PostgreSQL", (POSTGRES_TOO,), postgres_only=True),
    Benchmark("memory", "bench.memory", "5. Console memory over a shift of calls",
              baseline=("--count", "100000")),
    Benchmark("seed", "bench.seed", "6. Seeding the demo data, SQLite",
              baseline=("--sizes", "1000000")),
    Benchmark("seed_postgresql", "bench.seed", "6. Seeding the demo data, PostgreSQL",
              (POSTGRES_TOO, "--sizes", "100000", "1000000", "--runs", "1"), postgres_only=True),
    Benchmark("search", "bench.search", "Breakdown: the search function in-process, SQLite",
              baseline=()),
    Benchmark("search_postgresql", "bench.search",
              "Breakdown: the search function in-process, PostgreSQL", (POSTGRES_TOO,),
              postgres_only=True),
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    figure: str  # the name a benchmark gives it (bench.common.Report.figure)
    path: str
    issue: str  # "now" as issue 10 gave it
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
    Target("seed_s", "1,000,000 demo profiles seeded",
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
    chosen = set(args.only.split(",")) if args.only else set(_names())
    failed = []
    for benchmark in BENCHMARKS:
        runs: list[tuple[str, list[str]]] = []
        if benchmark.name in chosen and (postgres or not benchmark.postgres_only):
            runs.append((benchmark.name, _arguments(benchmark.arguments, postgres)))
        # Right after the benchmark it stands for, so that the same load weighs on both.
        if benchmark.baseline is not None and f"baseline-{benchmark.name}" in chosen:
            source = baseline_tree(BASELINE).relative_to(REPO)
            runs.append(
                (f"baseline-{benchmark.name}", ["--source", str(source), *benchmark.baseline])
            )
        for name, arguments in runs:
            report = _report(name, args.quick)
            command = [
                sys.executable,
                "-m",
                benchmark.module,
                "--report",
                str(report.relative_to(REPO)),
            ]
            command += ["--quick", *arguments] if args.quick else arguments
            print(f"\n=== {' '.join(command[1:])}", flush=True)
            if subprocess.run(command, cwd=REPO).returncode != 0:
                failed.append(name)
    document = args.output or (CACHE / "quick.md" if args.quick else DOCUMENT)
    document.write_text(_document(args.quick), encoding="utf-8")
    print(f"\nwritten: {document}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _names() -> list[str]:
    names = [b.name for b in BENCHMARKS]
    return names + [f"baseline-{b.name}" for b in BENCHMARKS if b.baseline is not None]


def _arguments(arguments: tuple[str, ...], postgres: str | None) -> list[str]:
    if POSTGRES_TOO not in arguments:
        return list(arguments)
    rest = [argument for argument in arguments if argument != POSTGRES_TOO]
    return ["--postgres", postgres, *rest] if postgres else rest


def _report(name: str, quick: bool) -> Path:
    return REPORTS / f"{name}{'-quick' if quick else ''}.md"


# A report's figures by name (prefixed for PostgreSQL and the baseline), each with the generated
# profiles it was measured at when its report says.
Figures = dict[str, tuple[float, float | None]]


def _document(quick: bool) -> str:
    figures: Figures = {}
    sections: list[str] = []
    baselines: list[str] = []
    for benchmark in BENCHMARKS:
        # The PostgreSQL runs give the same figures, and so do the baseline's: kept apart, in
        # columns of their own.
        prefix = "postgresql." if benchmark.name.endswith("_postgresql") else ""
        sections.append(_section(benchmark.title, benchmark.name, quick, prefix, figures))
        if benchmark.baseline is not None:
            title = f"{benchmark.title}, before issue 10 ({BASELINE})"
            baselines.append(
                _section(title, f"baseline-{benchmark.name}", quick, "baseline.", figures)
            )
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
        f"- its speed: {reference_loop_ms():.0f} ms for `bench.common.reference_loop_ms`'s"
        " pure-Python loop (compare it before comparing figures from another machine)",
        "",
        "## Targets (issue 10)",
        "",
        "SQLite unless said otherwise; the PostgreSQL column is the same benchmark on PostgreSQL",
        '(one database server on the same two cores). "Before" is the same benchmark in the same',
        f"run on the code issue 10 was filed on ({BASELINE}), SQLite and one portal process, at the",
        "issue's scale; \"issue 10 said\" is the issue's own figure. Each figure names the generated",
        "profiles it was measured at.",
        "",
        f"| path | issue 10 said | before ({BASELINE}) | target | this run | holds | PostgreSQL | holds |",
        "|---|---:|---:|---:|---:|:---:|---:|:---:|",
    ]
    for target in TARGETS:
        cells = [target.path, target.issue, _cell(target, figures, "baseline."), target.goal]
        for prefix in ("", "postgresql."):
            cells.append(_cell(target, figures, prefix))
            value, _ = figures.get(prefix + target.figure, (None, None))
            cells.append("" if value is None else "yes" if target.holds(value) else "**no**")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines) + "\n" + "\n".join(sections + baselines)


def _section(title: str, name: str, quick: bool, prefix: str, figures: Figures) -> str:
    """The report of ``name`` under ``title``; adds its figures to ``figures`` under ``prefix``."""
    report = _report(name, quick)
    if not report.exists():
        return f"## {title}\n\nNot measured.\n"
    measured = json.loads(report.with_suffix(".json").read_text())
    profiles = measured.pop(PROFILES, None)
    figures |= {prefix + figure: (value, profiles) for figure, value in measured.items()}
    body = report.read_text(encoding="utf-8").split("\n", 1)[1]  # its own "## " title
    return f"## {title}\n{body}"


def _cell(target: Target, figures: Figures, prefix: str) -> str:
    """``170.1 ms at 1M``: the figure and the profiles it was measured at."""
    value, profiles = figures.get(prefix + target.figure, (None, None))
    if value is None:
        return "–"
    cell = f"{value:,.1f} {target.unit}".strip()
    if profiles is None:
        return cell
    scale = f"{profiles / 1e6:g}M" if profiles >= 1e6 else f"{profiles / 1e3:g}k"
    return f"{cell} at {scale}"


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
    parser.add_argument("--only", help="comma-separated names: " + ",".join(_names()))
    parser.add_argument(
        "--postgres", default=POSTGRES, help=f"a PostgreSQL server URL, or none ({POSTGRES})"
    )
    parser.add_argument("--output", type=Path, help="where the document goes")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())

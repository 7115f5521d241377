"""``make bench``: every benchmark, one after the other, and ``docs/benchmarks.md`` from their reports.

Each benchmark runs in a process of its own (``python -m bench.<name> --report …``) so that none
measures another's leftovers; its Markdown report and headline figures land in
``build/bench/reports``. The document starts with issue 10's targets, each with the figure this run
measured and whether it holds, then every report in full.

    python -m bench                     # everything, writes docs/benchmarks.md (about 40 minutes)
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

# name, module, its arguments (the PostgreSQL URL is added where it is taken), what it measures
BENCHMARKS: tuple[tuple[str, str, str], ...] = (
    ("keystroke", "bench.keystroke", "1. Keystroke to screen, in a real terminal"),
    ("startup", "bench.startup", "2. Start-up, in a real terminal"),
    ("load", "bench.load", "3. The portal under load: agents working calls"),
    ("http_search", "bench.http_search", "4. Search over kept-alive HTTP"),
    ("memory", "bench.memory", "5. Console memory over a shift of calls"),
    ("seed", "bench.seed", "6. Seeding the demo data"),
    ("search", "bench.search", "Breakdown: the search function in-process"),
)
TAKES_POSTGRES = {"load", "http_search", "seed", "search"}


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
    Target("two_words_p95_ms", "two-word search at 1M, server side, p95",
           "188 ms", "< 10 ms", _below(10), "ms"),
    Target("seed_1m_s", "1,000,000 demo profiles seeded (SQLite)",
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
    chosen = set(args.only.split(",")) if args.only else {name for name, *_ in BENCHMARKS}
    failed = []
    for name, module, _ in BENCHMARKS:
        if name not in chosen:
            continue
        command = [sys.executable, "-m", module, "--report", str(_report(name, args.quick))]
        if args.quick:
            command.append("--quick")
        if postgres and name in TAKES_POSTGRES:
            command += ["--postgres", postgres]
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


def _report(name: str, quick: bool) -> Path:
    return REPORTS / f"{name}{'-quick' if quick else ''}.md"


def _document(quick: bool) -> str:
    figures: dict[str, float] = {}
    sections: list[str] = []
    for name, _, title in BENCHMARKS:
        report = _report(name, quick)
        if not report.exists():
            sections.append(f"## {title}\n\nNot measured in this run.\n")
            continue
        figures |= json.loads(report.with_suffix(".json").read_text())
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
        "| path | before (issue 10) | target | this run | holds |",
        "|---|---:|---:|---:|:---:|",
    ]
    for target in TARGETS:
        value = figures.get(target.figure)
        if value is None:
            shown, holds = "not measured", "–"
        else:
            shown = f"{value:,.1f} {target.unit}".strip()
            holds = "yes" if target.holds(value) else "**no**"
        lines.append(f"| {target.path} | {target.before} | {target.goal} | {shown} | {holds} |")
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
        "--only", help="comma-separated names: " + ",".join(n for n, *_ in BENCHMARKS)
    )
    parser.add_argument(
        "--postgres", default=POSTGRES, help=f"a PostgreSQL server URL, or none ({POSTGRES})"
    )
    parser.add_argument("--output", type=Path, help="where the document goes")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())

"""Console memory over a shift: profiles opened one after another, as calls come.

The console (``helpdesk --portal URL``) runs in a real pseudo-terminal at 120x40 against
``helpdesk-portal`` serving the demo seed. It signs in as the demo agent; then for each call a
recovery number drawn from the data is typed (keys 50 ms apart), Enter opens the profile (one
result), the bench waits for the profile's heading, and Ctrl+N starts the next call (a fresh search
screen). RSS (``/proc/<pid>/status`` VmRSS) is read after sign-in and every 25 profiles.

Targets (issue 10): under 80 MiB after sign-in; under 10% growth over 200 profiles, and flat after
the warm-up (the per-profile slope from profile 25 on).

    python -m bench.memory                  # 200 profiles, 2 runs, 1,000,000 profiles
    python -m bench.memory --quick          # 50 profiles, 1 run, 100,000 profiles
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import PROFILES, Report, Stats, machine, portal, run_on, seeded_sqlite, spread
from bench.keystroke import draw_queries
from bench.pty_console import SEARCH_EMPTY, Terminal, bench_options, sign_in, start_console

EVERY = 25
WARM_UP = 25


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    run_on(args.source, "bench.memory", argv)
    command = "python -m bench.memory " + " ".join(sys.argv[1:] if argv is None else argv)
    url = seeded_sqlite(args.count)
    numbers = draw_queries(url, args.profiles * args.runs, seed=args.seed)["recovery number"]
    report = Report(
        f"Console memory over {args.profiles} profiles opened one after another", command
    )
    runs: list[Run] = []
    with portal(url) as base_url:
        for run in range(args.runs):
            mine = numbers[run * args.profiles : (run + 1) * args.profiles]
            runs.append(measure(base_url, mine, args.source))
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
        report.out(f"- machine: {machine(url)}")
        report.out(
            f"- {args.runs} run(s), each a new console signed in; a portal with "
            f"{args.count:,} profiles; RSS (VmRSS) in MiB"
        )
        report.out()
    header = ["after", *(f"run {i + 1}" for i in range(len(runs)))]
    rows: list[list[object]] = [["sign-in", *(f"{r.signed_in / 1024:.1f}" for r in runs)]]
    for index, count in enumerate(runs[0].counts):
        rows.append([f"{count} profiles", *(f"{r.rss[index] / 1024:.1f}" for r in runs)])
    report.table(header, rows)
    growth = [r.growth for r in runs]
    report.figure("rss_growth_pct", statistics.median(growth))
    report.figure("rss_signed_in_mib", statistics.median(r.signed_in / 1024 for r in runs))
    report.figure(PROFILES, args.count)
    slope = [r.slope for r in runs]
    signed_in = [r.signed_in / 1024 for r in runs]
    opening = Stats.of([ms for r in runs for ms in r.open_ms])
    report.table(
        ("figure", "median", "spread over runs", "target"),
        [
            (
                "RSS after sign-in, MiB",
                f"{statistics.median(signed_in):.1f}",
                spread(signed_in),
                "< 80",
            ),
            (
                f"growth over {args.profiles} profiles, % of the RSS after sign-in",
                f"{statistics.median(growth):.1f}",
                spread(growth),
                "< 10",
            ),
            (
                f"growth per profile after the first {WARM_UP}, KiB",
                f"{statistics.median(slope):.1f}",
                spread(slope),
                "flat (≈ 0)",
            ),
        ],
    )
    report.out(
        f"Enter → profile on screen, ms: median {opening.median:.0f}, p95 {opening.p95:.0f}, "
        f"p99 {opening.p99:.0f} (n {opening.n})"
    )
    report.out()
    report.save(args.report)
    return 0


class Run:
    def __init__(self, signed_in: int) -> None:
        self.signed_in = signed_in
        self.counts: list[int] = []
        self.rss: list[int] = []
        self.open_ms: list[float] = []

    @property
    def growth(self) -> float:
        return (self.rss[-1] - self.signed_in) / self.signed_in * 100

    @property
    def slope(self) -> float:
        """KiB per profile from the warm-up's end to the last reading (least squares)."""
        points = [(c, r) for c, r in zip(self.counts, self.rss, strict=True) if c >= WARM_UP]
        if len(points) < 2:
            return float("nan")
        return statistics.linear_regression(*zip(*points, strict=True)).slope


def measure(base_url: str, numbers: list[str], source: Path | None = None) -> Run:
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-console-") as home:
        terminal = start_console(Path(home), base_url, source)
        try:
            sign_in(terminal)
            run = Run(terminal.status("VmRSS"))
            for count, number in enumerate(numbers, start=1):
                run.open_ms.append(open_profile(terminal, number))
                terminal.send("ctrl+n")
                terminal.wait_text(SEARCH_EMPTY)
                if count % EVERY == 0 or count == len(numbers):
                    run.counts.append(count)
                    run.rss.append(terminal.status("VmRSS"))
        finally:
            terminal.stop()
    return run


def open_profile(terminal: Terminal, number: str) -> float:
    """Types the recovery number, Enter; milliseconds from Enter to the profile's heading."""
    terminal.type(number, cadence=0.05)
    terminal.wait_text(f"for “{number}”")
    entered = terminal.send("enter")
    shown = terminal.wait_text(f"recovery number {number}")
    return (shown - entered) * 1000


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = bench_options(
        "bench.memory", __doc__, count=1_000_000, runs=2, runs_help="console runs",
        quick="100,000 profiles, 1 run of 50",
    )  # fmt: skip
    parser.add_argument("--profiles", type=int, default=200, help="profiles opened per run (200)")
    parser.add_argument("--seed", type=int, default=5, help="the recovery numbers' random seed")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.profiles, args.runs = 100_000, 50, 1
    return args


if __name__ == "__main__":
    sys.exit(main())

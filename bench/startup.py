"""Console start-up on a real pty, against a bare Textual app started the same way in the same run.

Each start is a new process on a new pseudo-terminal at 120x40 (``bench.pty_console``), its
screen read with pyte; the clock runs from just before the process is started to the output that
completes, on the emulated screen:

- **painted**: the sign-in screen with its title, its fields and its footer (``helpdesk --portal
  URL``, the installed command, against ``helpdesk-portal`` serving the demo seed); for the bare
  app (``bench.bare_textual``: one ``Static``), its text;
- **portal ready**: the sign-in screen names the portal (it answered ``/healthz`` and the keyring
  was checked), so the agent can sign in;
- **peak RSS**: ``VmHWM`` of the process once painted (and, for the console, once ready).

Console and bare app alternate, so the load of the machine weighs on both alike; the headline is
the ratio of their medians.

    python -m bench.startup                 # 10 starts of each
    python -m bench.startup --quick         # 3 of each
    python -m bench.startup --report build/bench/startup.md
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from bench.bare_textual import TEXT
from bench.common import PROFILES, Report, Stats, machine, portal, run_on, seeded_sqlite, spread
from bench.pty_console import (
    PORTAL_READY,
    SIGN_IN_PAINTED,
    Terminal,
    bench_options,
    console_environment,
    start_console,
)

FOOTER = "^q Quit"


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    run_on(args.source, "bench.startup", argv)
    command = "python -m bench.startup " + " ".join(sys.argv[1:] if argv is None else argv)
    report = Report("Console start-up on a pty, against a bare Textual app", command)
    console: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    url = seeded_sqlite(args.count)
    with portal(url) as base_url, tempfile.TemporaryDirectory(prefix="helpdesk-bench-") as tmp:
        for run in range(args.runs):
            bare.append(start_bare(Path(tmp) / f"bare-{run}"))
            console.append(start_helpdesk(Path(tmp) / f"console-{run}", base_url, args.source))
        report.out(f"- machine: {machine()}")
        report.out(
            f"- {args.runs} starts of each, alternating; a remote portal with {args.count:,} "
            "profiles; milliseconds from process start, peak RSS (VmHWM) in MiB"
        )
        report.out()
    rows = [
        _row("bare Textual app (one Static): painted", bare, "painted", "hwm_painted"),
        _row("console: sign-in screen painted", console, "painted", "hwm_painted"),
        _row("console: portal ready", console, "ready", "hwm_ready"),
    ]
    report.table(
        ("start-up", "n", "median ms", "p95 ms", "min–max ms", "peak RSS MiB (median)"), rows
    )
    ratio = statistics.median(r["painted"] for r in console) / statistics.median(
        r["painted"] for r in bare
    )
    ratios = [c["painted"] / b["painted"] for c, b in zip(console, bare, strict=True)]
    report.figure("startup_ratio", ratio)
    report.figure(PROFILES, args.count)
    report.out(
        f"Console / bare app, painted, ratio of medians: **{ratio:.2f}×** "
        f"(start by start: {spread(ratios, 2)})"
    )
    report.out()
    report.save(args.report)
    return 0


def _row(name: str, runs: list[dict[str, float]], event: str, hwm: str) -> list[object]:
    values = [r[event] for r in runs]
    stats = Stats.of(values)
    peak = statistics.median(r[hwm] for r in runs) / 1024
    return [
        name,
        stats.n,
        f"{stats.median:.0f}",
        f"{stats.p95:.0f}",
        spread(values, 0),
        f"{peak:.1f}",
    ]


def start_helpdesk(home: Path, base_url: str, source: Path | None = None) -> dict[str, float]:
    terminal = start_console(home, base_url, source)
    try:
        painted = terminal.wait_text(*SIGN_IN_PAINTED, FOOTER)
        hwm_painted = terminal.status("VmHWM")
        ready = terminal.wait_text(PORTAL_READY)
        hwm_ready = terminal.status("VmHWM")
    finally:
        terminal.stop()
    return {
        "painted": (painted - terminal.started) * 1000,
        "ready": (ready - terminal.started) * 1000,
        "hwm_painted": hwm_painted,
        "hwm_ready": hwm_ready,
    }


def start_bare(home: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.bare_textual"]
    terminal = Terminal.start(command, console_environment(home))
    try:
        painted = terminal.wait_text(TEXT)
        hwm = terminal.status("VmHWM")
    finally:
        terminal.stop()
    return {"painted": (painted - terminal.started) * 1000, "hwm_painted": hwm}


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = bench_options(
        "bench.startup", __doc__, count=100_000, runs=10, runs_help="starts of each",
        quick="3 starts of each",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 3
    return args


if __name__ == "__main__":
    sys.exit(main())

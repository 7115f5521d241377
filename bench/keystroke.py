"""Keystroke to screen: an agent types a query into the signed-in console and waits for the row.

The console (``helpdesk --portal URL``, the installed command) runs in a real pseudo-terminal at
120x40 against ``helpdesk-portal`` serving the demo seed with ``--count`` generated profiles, and
the bench reads its screen with a terminal emulator (pyte). It signs in as the demo agent, then
for each query: Escape empties the search box, the query is typed one key at a time 80–120 ms
apart, and the time runs from writing the last key to the screen showing the answer to the whole
query: the state line names it and the first row the portal returns for it (its recovery-number
hint) is drawn. Queries are drawn from the seeded data as ``bench.search`` draws them: recovery
number, surname prefix, two words, e-mail prefix, phone ending, organisation word.

Each run is a new console process, signed in afresh; the table pools the runs (median, p95, p99)
and gives the spread of each run's p95.

    python -m bench.keystroke                  # 1,000,000 profiles, 3 runs of 25 queries per kind
    python -m bench.keystroke --quick          # 100,000 profiles, 1 run of 5 queries per kind
    python -m bench.keystroke --count 100000 --report build/bench/keystroke.md
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import httpx

from bench.common import (
    PROFILES,
    Report,
    Stats,
    demo_token,
    machine,
    portal,
    run_on,
    seeded_sqlite,
    spread,
)
from bench.pty_console import SEARCH_EMPTY, Terminal, bench_options, sign_in, start_console
from bench.search import draw_queries as draw_from

# The kinds an agent types, as bench.search names them.
KINDS = {
    "recovery number": "exact recovery number",
    "surname prefix (3 letters)": "surname, 3 letters",
    "two words (given surname)": "two words (given surname)",
    "e-mail prefix (6 chars)": "e-mail prefix, 6 chars",
    "phone (last 4 digits)": "phone, last 4 digits",
    "organisation word": "organisation word",
}
RESULT_LIMIT = 50  # what the search screen asks for (screens.search.RESULT_LIMIT)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    run_on(args.source, "bench.keystroke", argv)
    command = "python -m bench.keystroke " + " ".join(sys.argv[1:] if argv is None else argv)
    url = seeded_sqlite(args.count)
    queries = draw_queries(url, args.queries * args.runs, seed=args.seed)
    report = Report(f"Keystroke to screen, console on a pty, {args.count:,} profiles", command)
    with portal(url) as base_url:
        expected = expected_rows(base_url, queries)
        runs: list[dict[str, list[float]]] = []
        for run in range(args.runs):
            mine = {
                k: qs[run * args.queries : (run + 1) * args.queries] for k, qs in queries.items()
            }
            runs.append(
                measure(base_url, mine, expected, random.Random(args.seed + run), args.source)
            )
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
        report.out(f"- machine: {machine(url)}")
        report.out(
            f"- {args.runs} run(s) of {args.queries} queries per kind, each run a new console "
            "signed in; keys 80–120 ms apart; milliseconds from the last key written to the "
            "answer's first row on screen"
        )
        report.out()
    rows = []
    everything: list[float] = []
    for kind in KINDS:
        samples = [ms for run in runs for ms in run[kind]]
        everything += samples
        stats = Stats.of(samples)
        example = queries[kind][0]
        rows.append(_row(kind, f"`{example}`", stats, [Stats.of(run[kind]).p95 for run in runs]))
        if kind == "recovery number":
            report.figure("keystroke_recovery_number_p95_ms", stats.p95)
    report.figure(PROFILES, args.count)
    every_run = [Stats.of([ms for kind in KINDS for ms in run[kind]]).p95 for run in runs]
    rows.append(_row("**all**", "", Stats.of(everything), every_run))
    report.table(
        (
            "query",
            "example",
            "n",
            "median ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "p95 spread over runs",
        ),
        rows,
    )
    report.save(args.report)
    return 0


def _row(kind: str, example: str, stats: Stats, p95s: list[float]) -> list[object]:
    return [
        kind,
        example,
        stats.n,
        f"{stats.median:.1f}",
        f"{stats.p95:.1f}",
        f"{stats.p99:.1f}",
        f"{stats.max:.1f}",
        spread(p95s),
    ]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = bench_options(
        "bench.keystroke", __doc__, count=1_000_000, runs=3, runs_help="console runs",
        quick="100,000 profiles, 1 run of 5",
    )  # fmt: skip
    parser.add_argument("--queries", type=int, default=25, help="queries per kind and run (25)")
    parser.add_argument("--seed", type=int, default=10, help="the queries' random seed")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.queries, args.runs = 100_000, 5, 1
    return args


def draw_queries(url: str, n: int, seed: int) -> dict[str, list[str]]:
    from helpdesk.portal.db import Database

    database = Database.from_url(url)
    try:
        with database.read() as connection:
            drawn = draw_from(connection, random.Random(seed), n)
    finally:
        database.dispose()
    return {kind: drawn[name][:n] for kind, name in KINDS.items()}


def expected_rows(base_url: str, queries: dict[str, list[str]]) -> dict[str, str | None]:
    """Each query → the recovery-number hint of the first row the portal answers (None: no row)."""
    token = demo_token(base_url)
    expected: dict[str, str | None] = {}
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        for query in {q for qs in queries.values() for q in qs}:
            answer = client.get("/admin/v1/profiles", params={"q": query, "limit": RESULT_LIMIT})
            answer.raise_for_status()
            items = answer.json()["items"]
            expected[query] = items[0]["recovery_number_hint"] if items else None
    return expected


def measure(
    base_url: str,
    queries: dict[str, list[str]],
    expected: dict[str, str | None],
    rng: random.Random,
    source: Path | None = None,
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {kind: [] for kind in queries}
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-console-") as home:
        terminal = start_console(Path(home), base_url, source)
        try:
            sign_in(terminal)
            # Interleaved kinds, as calls come.
            order = [(kind, q) for kind, qs in queries.items() for q in qs]
            rng.shuffle(order)
            for kind, query in order:
                timings[kind].append(type_query(terminal, query, expected[query], rng))
        finally:
            terminal.stop()
    return timings


def type_query(terminal: Terminal, query: str, hint: str | None, rng: random.Random) -> float:
    """Empties the box, types ``query``; milliseconds from its last key to its answer on screen."""
    if not terminal.wait_text_now(SEARCH_EMPTY):
        # Escape alone (a key typed at once after it would make it Alt+key).
        terminal.send("escape")
        terminal.wait_text(SEARCH_EMPTY)
    last_key = terminal.type(query, cadence=rng.uniform(0.08, 0.12))
    quoted = f"“{query.strip()}”"
    if hint is None:
        shown = terminal.wait_text(f"No profile matches {quoted}")
    else:
        shown = terminal.wait_text(f"for {quoted}", hint)
    return (shown - last_key) * 1000


if __name__ == "__main__":
    sys.exit(main())

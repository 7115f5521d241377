"""The portal under load: N agents working calls at a human pace, and their supervisors.

Each simulated agent works one call after another, as the console does it: the caller's recovery
number or surname typed a key at a time (the console searches at every key), the profile and its
sign-ins opened, the recovery questions read out, the answers checked (most callers right at the
first try, some wrong once, a few wrong five times: locked), and for some an access code issued.
One supervisor for every ten agents reads the lockouts, unlocks the oldest with a reason, and reads
the audit. Think times are a person's (``--pace`` scales them).

Reported per route: requests, p50/p95/p99 and the worst, refusals (4xx, by code) and errors (5xx,
or no answer). Verification is reported like any route, and apart in the summary with the argon2
parameters of the hashes it checks: its cost is deliberate (a slow hash against offline guessing).

The agents share the two demo sessions (``agent`` and ``supervisor``): the demo has two accounts,
and signing in 500 times would meet the sign-in throttle (10 per username per 15 minutes), which is
the point of the throttle, not of this benchmark.

    python -m bench.load                                    # 1,000,000 profiles, SQLite
    python -m bench.load --postgres postgresql://postgres@127.0.0.1:5432/postgres
    python -m bench.load --quick                            # 100,000 profiles, 50 agents, 15 s measured
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, select

from bench.common import (
    Report,
    Stats,
    demo_token,
    machine,
    portal,
    seeded_postgresql,
    seeded_sqlite,
)
from bench.wire import Connection, Response
from helpdesk.portal import schema
from helpdesk.portal.seed import generated_answers

API = "/admin/v1"
ROUTES = (
    "search",
    "profile",
    "sign-ins",
    "questions",
    "verify",
    "issue code",
    "lockouts",
    "unlock",
    "audit",
)


@dataclass(frozen=True)
class Caller:
    profile_id: str
    recovery_number: str
    surname: str
    answers: list[str]


@dataclass
class Tally:
    """What the agents met, per route, in the measured window: requests that started before
    ``measure_from`` (the ramp, agents still picking up their first calls) are not counted."""

    measure_from: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    refusals: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter[str] = field(default_factory=Counter)
    calls: int = 0

    def record(self, route: str, started: float, status: int) -> None:
        if started < self.measure_from:
            return
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        if status >= 500:
            self.errors[route] += 1
        elif status >= 400:
            self.refusals[route][status] += 1


class Pace:
    """Think times in seconds, scaled; each drawn around its mean so agents drift apart."""

    def __init__(self, scale: float, rng: random.Random) -> None:
        self.scale = scale
        self.rng = rng

    async def think(self, mean: float) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5) * mean * self.scale)


async def timed(tally: Tally, route: str, request: Awaitable[Response]) -> Response | None:
    """Awaits one request and records it under ``route``; None when no answer came."""
    started = time.perf_counter()
    try:
        response = await request
    except (OSError, asyncio.IncompleteReadError, ValueError):
        tally.errors[route] += 1  # counted even during the ramp: no answer is never fine
        return None
    tally.record(route, started, response.status)
    return response


async def agent(
    base: str,
    token: str,
    callers: list[Caller],
    tally: Tally,
    pace: Pace,
    ramp: float,
    until: float,
) -> None:
    connection = Connection(base, token)
    rng = pace.rng
    # Agents pick up their first calls spread over the ramp, as a shift starts; all at once,
    # they would move in waves for the whole run and measure the waves.
    await asyncio.sleep(rng.uniform(0, ramp))
    try:
        while time.perf_counter() < until:
            caller = rng.choice(callers)
            typed = caller.recovery_number if rng.random() < 0.5 else caller.surname
            for end in range(1, len(typed) + 1):
                await timed(tally, "search", connection.get(f"{API}/profiles", q=typed[:end]))
                await pace.think(0.12)
            await pace.think(0.8)
            profile = f"{API}/profiles/{caller.profile_id}"
            await timed(tally, "profile", connection.get(profile))
            await timed(tally, "sign-ins", connection.get(f"{profile}/sign-ins"))
            await pace.think(3.0)
            await timed(tally, "questions", connection.get(f"{profile}/recovery-questions"))
            await pace.think(8.0)
            draw = rng.random()
            wrong = 5 if draw < 0.05 else 1 if draw < 0.25 else 0
            for _ in range(wrong):
                answer = {"answers": ["not", "the", "answers"]}
                await timed(tally, "verify", connection.post(f"{profile}/verifications", answer))
                await pace.think(4.0)
            if wrong < 5:
                right = {"answers": caller.answers}
                await timed(tally, "verify", connection.post(f"{profile}/verifications", right))
                await pace.think(2.0)
                if rng.random() < 0.3:
                    key = str(uuid.uuid4())
                    issue = connection.post(f"{profile}/access-codes", idempotency_key=key)
                    await timed(tally, "issue code", issue)
            if time.perf_counter() >= tally.measure_from:
                tally.calls += 1
            await pace.think(4.0)
    finally:
        await connection.close()


async def supervisor(
    base: str, token: str, tally: Tally, pace: Pace, ramp: float, until: float
) -> None:
    connection = Connection(base, token)
    await asyncio.sleep(pace.rng.uniform(0, ramp))
    try:
        while time.perf_counter() < until:
            page = await timed(tally, "lockouts", connection.get(f"{API}/lockouts", limit=25))
            locked = page.json()["items"] if page is not None and page.status == 200 else []
            await pace.think(5.0)
            if locked:
                unlock = connection.post(
                    f"{API}/profiles/{locked[0]['profile_id']}/unlock",
                    {"reason": "Caller identified by the agent (benchmark)"},
                    idempotency_key=str(uuid.uuid4()),
                )
                await timed(tally, "unlock", unlock)
            await pace.think(5.0)
            await timed(tally, "audit", connection.get(f"{API}/audit", limit=50))
            await pace.think(10.0)
    finally:
        await connection.close()


def draw_callers(url: str, n: int, rng: random.Random) -> list[Caller]:
    """``n`` individual profiles spread over the whole database, with the answers the demo seed
    gave them (only generated data has answers anyone can know)."""
    profiles, holders = schema.profiles, schema.holders
    engine = create_engine(url)
    callers: dict[str, Caller] = {}
    try:
        with engine.connect() as connection:
            while len(callers) < n:
                start = f"prf_{rng.getrandbits(48):012x}"
                row = connection.execute(
                    select(profiles.c.id, profiles.c.recovery_number, holders.c.surname)
                    .join(holders, holders.c.profile_id == profiles.c.id)
                    .where(profiles.c.id >= start, profiles.c.kind == "individual")
                    .order_by(profiles.c.id)
                    .limit(1)
                ).first()
                if row is not None and row.id not in callers:
                    answers = generated_answers(engine, row.id)
                    callers[row.id] = Caller(row.id, row.recovery_number, row.surname, answers)
    finally:
        engine.dispose()
    return list(callers.values())


def argon2_parameters(url: str) -> str:
    """The work factors of the answer hashes verification checks, read off a stored hash."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                select(schema.profiles.c.answers_hash).limit(1)
            ).scalar_one()
    finally:
        engine.dispose()
    return stored.split("$")[3]  # $argon2id$v=19$m=19456,t=2,p=1$salt$hash


async def run_level(
    base: str, tokens: tuple[str, str], callers: list[Caller], agents: int, args: argparse.Namespace
) -> tuple[Tally, float]:
    measure_from = time.perf_counter() + args.ramp
    tally = Tally(measure_from)
    until = measure_from + args.duration
    rng = random.Random(agents)

    def pace() -> Pace:
        return Pace(args.pace, random.Random(rng.random()))

    tasks = [
        agent(base, tokens[0], callers, tally, pace(), args.ramp, until) for _ in range(agents)
    ]
    tasks += [
        supervisor(base, tokens[1], tally, pace(), args.ramp, until)
        for _ in range(max(1, agents // 10))
    ]
    # At the end of the window every agent hangs up, mid-call or not: the window is the measure.
    running = [asyncio.ensure_future(task) for task in tasks]
    await asyncio.wait(running, timeout=until - time.perf_counter())
    ended = time.perf_counter()
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)
    return tally, ended - measure_from


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    command = " ".join(["python -m bench.load", *(argv if argv is not None else sys.argv[1:])])
    report = Report("Portal under load: agents working calls", command)
    databases = [("SQLite", seeded_sqlite(args.count))]
    if args.postgres:
        databases.append(("PostgreSQL", seeded_postgresql(args.postgres, args.count)))
    report.out(f"- machine: {machine(databases[-1][1])}")
    report.out(
        f"- {args.count:,} profiles; per level, agents start over {args.ramp:.0f} s, then "
        f"{args.duration:.0f} s are measured; think times x{args.pace} (a call about 20 s); one "
        "supervisor per ten agents; the generator is one asyncio process (bench/wire.py)"
    )
    report.out(f"- verification checks argon2id hashes with {argon2_parameters(databases[0][1])}")
    report.out()
    summary: list[list[object]] = []
    for name, url in databases:
        callers = draw_callers(url, args.callers, random.Random(1))
        for workers in args.workers:
            for agents in args.agents:
                with portal(url, workers=workers) as base:
                    tokens = (
                        demo_token(base),
                        demo_token(base, "supervisor", "demo-pass-supervisor"),
                    )
                    tally, seconds = asyncio.run(run_level(base, tokens, callers, agents, args))
                title = f"{name}, {workers} portal process{'es' if workers > 1 else ''}, {agents} agents"
                summary.append(_summary_row(title, tally, seconds))
                _route_table(report, title, tally, seconds)
    report.out("### Summary")
    report.out()
    report.table(
        ["scenario", "requests/s", "calls", "p95 ms (not verify)", "p99 ms (not verify)",
         "verify p95 ms", "errors"],
        summary,
    )  # fmt: skip
    report.save(args.report)
    return 0


def _summary_row(title: str, tally: Tally, seconds: float) -> list[object]:
    others = [
        ms for route, samples in tally.latencies.items() if route != "verify" for ms in samples
    ]
    total = sum(len(samples) for samples in tally.latencies.values())
    rest, verify = Stats.of(others), Stats.of(tally.latencies["verify"])
    return [
        title,
        f"{total / seconds:,.0f}",
        tally.calls,
        f"{rest.p95:.1f}",
        f"{rest.p99:.1f}",
        f"{verify.p95:.1f}",
        sum(tally.errors.values()),
    ]


def _route_table(report: Report, title: str, tally: Tally, seconds: float) -> None:
    report.out(f"### {title}")
    report.out()
    rows: list[list[object]] = []
    for route in ROUTES:
        samples = tally.latencies.get(route, [])
        if not samples:
            continue
        stats = Stats.of(samples)
        refused = ", ".join(f"{n}×{code}" for code, n in sorted(tally.refusals[route].items()))
        rows.append([
            route, stats.n, f"{stats.n / seconds:,.1f}", f"{stats.median:.1f}", f"{stats.p95:.1f}",
            f"{stats.p99:.1f}", f"{stats.max:.1f}", refused or "–", tally.errors[route],
        ])  # fmt: skip
    report.table(
        ["route", "requests", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms", "refused", "errors"],
        rows,
    )


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=1_000_000, help="profiles (1,000,000)")
    parser.add_argument("--postgres", help="also on PostgreSQL: a server URL (a database is made)")
    parser.add_argument("--agents", default="50,200,500", help="agent counts (50,200,500)")
    parser.add_argument(
        "--workers",
        default=f"1,{os.cpu_count() or 1}",
        help="portal processes (1 and one per core)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=15.0,
        help="seconds over which agents start, not measured (15)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=30.0,
        help="seconds measured per level, after the ramp (30)",
    )
    parser.add_argument("--pace", type=float, default=1.0, help="think times scaled by this")
    parser.add_argument("--callers", type=int, default=500, help="distinct callers drawn (500)")
    parser.add_argument(
        "--quick", action="store_true", help="100,000 profiles, 50 agents, 15 s measured"
    )
    parser.add_argument("--report", type=Path, help="also write the Markdown report here")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.agents, args.ramp, args.duration, args.workers = (
            100_000,
            "50",
            5.0,
            15.0,
            "1",
        )
    args.agents = [int(n) for n in str(args.agents).split(",")]
    args.workers = sorted({int(n) for n in str(args.workers).split(",")})
    return args


if __name__ == "__main__":
    sys.exit(main())

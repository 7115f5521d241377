"""What every benchmark shares: the machine line, percentiles and their spread over repeated runs,
a Markdown report, a seeded database kept between benchmarks, and a portal started as a user starts
it (``helpdesk-portal`` in its own processes, over real HTTP).

A benchmark prints its report as Markdown and, with ``--report PATH``, writes the same lines to a
file: ``python -m bench`` gathers those files into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Seeded databases are kept here between benchmarks (a million profiles take minutes to seed).
CACHE = REPO / "build" / "bench"
# Every seeded database is seeded at this instant, so lockouts and sign-ins read the same each run.
SEED_TIME = datetime(2026, 11, 23, 19, 4, 5, tzinfo=UTC)
READY = re.compile(r"listening on (http://\S+)")
# The figure each report gives for the generated profiles its figures were measured at.
PROFILES = "profiles"
# What the console and the portal run: all a baseline tree (``baseline_tree``) needs.
PACKAGES = ("helpdesk", "screens", "styles")


def machine(database_url: str | None = None) -> str:
    """One line: cores, CPU, OS, Python, the database, and the load average when measured."""
    parts = [
        f"{os.cpu_count()} cores",
        _cpu_model() or platform.machine(),
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
    ]
    if database_url is not None:
        parts.append(database_version(database_url))
    parts.append("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return ", ".join(parts)


def reference_loop_ms() -> float:
    """Milliseconds for a fixed pure-Python loop, the best of five: a yardstick for comparing runs
    made on different machines. "AMD EPYC, 2 cores" has named machines more than twice as fast as
    each other here, and most figures scale with how fast CPython runs."""

    def loop() -> int:
        total = 0
        for i in range(1_000_000):
            total += i
        return total

    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        loop()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def database_version(url: str) -> str:
    if url.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}"
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
    finally:
        engine.dispose()
    return f"PostgreSQL {version}"


def shown(url: str) -> str:
    """A database URL without its credentials."""
    return url.split("@")[-1] if "@" in url else url


@dataclass(frozen=True)
class Stats:
    """Percentiles of one set of samples (milliseconds unless said otherwise)."""

    n: int
    median: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        ordered = sorted(samples)
        if not ordered:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"))
        return cls(
            len(ordered),
            statistics.median(ordered),
            _percentile(ordered, 95),
            _percentile(ordered, 99),
            ordered[-1],
        )


def _percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest rank: the smallest sample that ``p`` percent of the samples do not exceed."""
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def spread(values: Sequence[float], digits: int = 1) -> str:
    """``min–max`` of one figure over repeated runs, to read how much a run can be trusted."""
    if len(values) < 2:
        return "–"
    return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


class Report:
    """Lines printed as they come and, at the end, written to ``--report`` if given, with the
    headline figures (:meth:`figure`) beside it as JSON (``NAME.json``): ``python -m bench``
    checks them against issue 10's targets."""

    def __init__(self, title: str, command: str) -> None:
        self.lines: list[str] = []
        self.figures: dict[str, float] = {}
        self.out(f"## {title}")
        self.out()
        self.out(f"- command: `{command}`")
        self.out(f"- measured: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        if (tree := code_tree()) != REPO:
            self.out(f"- code: `{tree.relative_to(REPO)}` (`--source`), not this checkout")

    def out(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """A Markdown table; columns after the first are right-aligned (they are numbers)."""
        self.out("| " + " | ".join(header) + " |")
        self.out("|---|" + "---:|" * (len(header) - 1))
        for row in rows:
            self.out("| " + " | ".join(str(cell) for cell in row) + " |")
        self.out()

    def figure(self, name: str, value: float) -> None:
        """A headline figure, by the name ``bench/__main__.py`` knows it by (``TARGETS``)."""
        self.figures[name] = value

    def save(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
            path.with_suffix(".json").write_text(json.dumps(self.figures, indent=1) + "\n")


def seeded_sqlite(count: int) -> str:
    """The URL of a SQLite database holding the demo seed with ``count`` generated profiles,
    seeded once into ``build/bench`` and reused by every benchmark after."""
    path = _kept_sqlite(count)
    url = f"sqlite:///{path}"
    with _seeding(path.name):
        if not _is_seeded(url):
            _clear(path)
            seed(url, count)
    return url


def keep_sqlite(seeded: Path, count: int) -> None:
    """Makes ``seeded``, a SQLite file ``seed`` has just filled with ``count`` profiles, the kept
    database of that count when none is kept yet: the seed benchmark's million (on the baseline,
    ten minutes and more) then spares the benchmarks after it seeding another."""
    path = _kept_sqlite(count)
    with _seeding(path.name):
        if _is_seeded(f"sqlite:///{path}"):
            return
        _clear(path)
        # Its companions (a server secret beside it) first, the database last: a kept database
        # is whole once it is there.
        parts = sorted(seeded.parent.glob(f"{seeded.name}*"), key=lambda part: part == seeded)
        for part in parts:
            shutil.move(part, path.with_name(path.name + part.name.removeprefix(seeded.name)))


def _kept_sqlite(count: int) -> Path:
    return CACHE / f"{_code_tag('-')}sqlite-{count}.db"


def _clear(path: Path) -> None:
    """Deletes a SQLite database and its companions (WAL, shared memory, server secret)."""
    for part in path.parent.glob(f"{path.name}*"):
        part.unlink()


@contextmanager
def _seeding(name: str) -> Iterator[None]:
    """Holds the kept database ``name`` for one process at a time: two benchmarks started at once
    on a new machine would otherwise both find it unseeded, and one delete what the other seeds.
    The second waits, then finds it seeded. (The lock file's leading dot keeps it out of the
    ``<name>*`` globs that clear a database's files.)"""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def seeded_postgresql(base_url: str, count: int) -> str:
    """The URL of a PostgreSQL database (``helpdesk_bench_<count>`` on the server of
    ``base_url``) holding the demo seed, made and seeded once."""
    from sqlalchemy.engine import make_url

    name = f"helpdesk_bench_{_code_tag('_')}{count}"
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    with _seeding(name):
        if not _is_seeded(url):
            seed(new_postgresql_database(base_url, name), count)
    return url


def new_postgresql_database(base_url: str, name: str) -> str:
    """``name`` dropped and created again on the server of ``base_url``; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def seed(url: str, count: int) -> float:
    """Seeds a new database as the portal does; returns the wall seconds it took."""
    from helpdesk.clock import ManualClock
    from helpdesk.portal.db import Database
    from helpdesk.portal.seed import seed_demo

    database = Database.from_url(url)
    try:
        database.create_schema()
        started = time.perf_counter()
        seed_demo(database.engine, count=count, clock=ManualClock(SEED_TIME))
        seconds = time.perf_counter() - started
    finally:
        database.dispose()
    return seconds


def _code_tag(separator: str) -> str:
    """Nothing for this checkout's code, else the name of the tree it runs and ``separator``: a
    database is seeded by the code that reads it (issue 10 changed the seed and its search keys;
    a schema changed since is refused by the portal)."""
    tree = code_tree()
    return "" if tree == REPO else tree.name.replace("-", separator) + separator


def _is_seeded(url: str) -> bool:
    from sqlalchemy import create_engine, select
    from sqlalchemy.exc import SQLAlchemyError

    from helpdesk.portal import schema

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            meta = schema.portal_meta
            row = connection.execute(
                select(meta.c.value).where(meta.c.key == schema.SEEDED_KEY)
            ).first()
            return row is not None
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def code_tree() -> Path:
    """The source tree whose ``helpdesk`` this process runs: this checkout, or the ``--source``
    tree ``run_on`` switched to."""
    import helpdesk

    return Path(helpdesk.__file__).resolve().parent.parent


def baseline_tree(commit: str) -> Path:
    """``commit``'s console and portal (``PACKAGES``) unpacked once into
    ``build/bench/baseline-<commit>`` and kept, for ``--source``. Its bench/ is left out: on
    the path ahead of this checkout it would stand for this one's."""
    tree = CACHE / f"baseline-{commit}"
    if not tree.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        unpacking = Path(tempfile.mkdtemp(prefix=f"{tree.name}-", dir=CACHE))
        archive = subprocess.run(
            ["git", "archive", commit, *PACKAGES], cwd=REPO, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(unpacking)], input=archive, check=True)
        unpacking.rename(tree)  # whole or not at all: an interrupted unpacking is not kept
    return tree


def run_on(source: Path | None, module: str, argv: list[str] | None) -> None:
    """With ``source``, makes this benchmark process run that tree's code: it runs itself again,
    same arguments, with the tree ahead of this checkout's editable install on the path. So what it
    does in-process (seed, search, draw its queries) is the tree's, and so are the portal and
    seed processes it starts, which inherit the path; the console is given it by
    ``pty_console.console_environment``. Returns at once without ``source`` or once switched."""
    if source is None or code_tree() == source.resolve():
        return
    if (source / "bench").exists():
        raise SystemExit(
            f"--source {source} has a bench/ that would stand for these benchmarks: unpack only "
            f"{', '.join(PACKAGES)} (bench.common.baseline_tree)"
        )
    path = os.pathsep.join([str(source.resolve()), str(REPO)])  # REPO: these benchmarks
    if os.environ.get("PYTHONPATH") == path:  # switched already, yet helpdesk is not the tree's
        raise SystemExit(f"--source {source}: no helpdesk package there")
    # PYTHONSAFEPATH: ``python -m`` would put the working directory, this checkout, first.
    env = {**os.environ, "PYTHONPATH": path, "PYTHONSAFEPATH": "1"}
    arguments = sys.argv[1:] if argv is None else argv
    os.execve(sys.executable, [sys.executable, "-m", module, *arguments], env)


@contextmanager
def portal(database_url: str, *, workers: int = 1, log: Path | None = None) -> Iterator[str]:
    """``helpdesk-portal`` on a free loopback port, as an operator starts it; yields its base URL
    once it says it listens, stops it (and its workers) at the end. It runs the code this process
    runs (``run_on``): it inherits the path."""
    command = [
        str(Path(sys.executable).with_name("helpdesk-portal")),
        "--db",
        database_url,
        "--port",
        "0",
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    scratch = Path(tempfile.mkdtemp(prefix="helpdesk-bench-portal-"))
    stderr_path = log or scratch / "portal.log"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,  # the workers go with it at the end
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        found = READY.search(line)
        if not found:
            raise RuntimeError(
                f"the portal did not start: {line!r}\n{stderr_path.read_text(errors='replace')}"
            )
        yield found.group(1)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def demo_token(base_url: str, username: str = "agent", password: str = "demo-pass-agent") -> str:
    """Signs in one demo agent over HTTP and returns the token."""
    import httpx

    answer = httpx.post(
        f"{base_url}/admin/v1/sessions", json={"username": username, "password": password}
    )
    answer.raise_for_status()
    return str(answer.json()["token"])

"""A program in a real pseudo-terminal, its screen read with a terminal emulator (pyte): what the
console benchmarks drive, as an agent's terminal would.

``Terminal.start(command)`` runs the program on a pty of 120x40 (its own session, the pty its
controlling terminal); ``wait_for(predicate)`` reads its output until the emulated screen satisfies
the predicate and returns when the bytes that made it so were read (feeding pyte takes time
of its own, which the program did not spend). ``type(text)`` writes keys one group at a time at an
agent's cadence. ``console_environment()`` is what the console runs with here: a throwaway
XDG config, data and state, and an encrypted file keyring (``BenchKeyring``), so a bench never
touches the user's settings or keyring.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

from bench.common import REPO

COLUMNS, LINES = 120, 40
KEYS = {"enter": "\r", "tab": "\t", "escape": "\x1b", "ctrl+n": "\x0e", "ctrl+q": "\x11"}
Screen = list[str]


class TimedOut(RuntimeError):
    """The screen never showed what was awaited; the message holds the screen as it was."""


def console_environment(
    home: Path, portal_url: str | None = None, source: Path | None = None
) -> dict[str, str]:
    """The console's environment for a bench: fresh XDG dirs under ``home``, the file keyring.

    ``source``: run the console of another source tree (``bench.common.baseline_tree``), to
    measure "before" and "after" in the same run; by default, this one."""
    backend = home / "keyring-backend"
    backend.mkdir(parents=True, exist_ok=True)
    (backend / "helpdesk_bench_keyring.py").write_text(
        (Path(__file__).with_name("keyring_file.py")).read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HELPDESK_", "XDG_", "TEXTUAL"))
    }
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        PYTHON_KEYRING_BACKEND="helpdesk_bench_keyring.BenchKeyring",
        # Ahead of the editable install: the console of ``source`` when given.
        PYTHONPATH=os.pathsep.join([str((source or REPO).resolve()), str(backend)]),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="C.UTF-8",
        HELPDESK_LANG="en",
    )
    if portal_url is not None:
        env["HELPDESK_PORTAL_URL"] = portal_url
    return env


def helpdesk_command() -> list[str]:
    """``helpdesk`` as installed in this environment (the console script a user runs)."""
    return [str(Path(sys.executable).with_name("helpdesk"))]


class Terminal:
    def __init__(self, process: subprocess.Popen[bytes], master: int, started: float) -> None:
        self.process = process
        self.master = master
        self.started = started
        """``time.perf_counter()`` just before the process was started."""
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)

    @classmethod
    def start(cls, command: Sequence[str], env: dict[str, str]) -> Terminal:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))

        def controlling_terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=REPO,
            start_new_session=True,
            preexec_fn=controlling_terminal,
        )
        os.close(slave)
        return cls(process, master, started)

    # --- the screen ---------------------------------------------------------------------------

    def lines(self) -> Screen:
        return list(self.screen.display)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def _read(self, timeout: float) -> float | None:
        """Feeds what the program wrote within ``timeout``; returns when it was read, or None."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return None
        read_at = time.perf_counter()
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # the program ended: the pty is closed
            data = b""
        if not data:
            raise TimedOut(f"the program ended (exit {self.process.poll()}):\n{self.text()}")
        self.stream.feed(data)
        return read_at

    def wait_for(self, predicate: Callable[[Screen], bool], timeout: float = 60.0) -> float:
        """Reads until ``predicate(screen lines)`` holds; returns the ``perf_counter`` at which
        the output that made it hold was read."""
        if predicate(self.lines()):
            return time.perf_counter()
        deadline = time.perf_counter() + timeout
        while True:
            read_at = self._read(deadline - time.perf_counter())
            if read_at is None:
                raise TimedOut(f"not on screen after {timeout:.0f} s:\n{self.text()}")
            # Textual writes a frame in several writes: wait for the rest of it before looking.
            while (more := self._read(0.0)) is not None:
                read_at = more
            if predicate(self.lines()):
                return read_at

    def wait_text(self, *texts: str, timeout: float = 60.0) -> float:
        return self.wait_for(
            lambda lines: all(any(t in line for line in lines) for t in texts), timeout
        )

    def wait_text_now(self, *texts: str) -> bool:
        """Whether the screen shows every one of ``texts`` once what is waiting has been read."""
        self.drain()
        lines = self.lines()
        return all(any(t in line for line in lines) for t in texts)

    def drain(self) -> None:
        """Reads whatever is waiting, without waiting."""
        while self._read(0.0) is not None:
            pass

    # --- keys -----------------------------------------------------------------------------------

    def send(self, keys: str) -> float:
        """Writes one key group (a key, or a paste); returns when it was written."""
        data = KEYS.get(keys, keys).encode()
        os.write(self.master, data)
        return time.perf_counter()

    def type(self, text: str, cadence: float = 0.1) -> float:
        """Types ``text`` one key at a time, ``cadence`` seconds apart, reading the screen between
        keys; returns when the last key was written."""
        written = time.perf_counter()
        for index, char in enumerate(text):
            if index:
                pause = written + cadence - time.perf_counter()
                while pause > 0:
                    self._read(pause)
                    pause = written + cadence - time.perf_counter()
            written = self.send(char)
        return written

    # --- the process ----------------------------------------------------------------------------

    def status(self, field: str) -> int:
        """A ``/proc/<pid>/status`` figure in KiB (``VmRSS``, ``VmHWM``)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise KeyError(field)

    def stop(self, quit_key: str | None = "ctrl+q", timeout: float = 10.0) -> None:
        """Quits the program with its key if it has one, else ends its session; closes the pty."""
        try:
            if self.process.poll() is None and quit_key is not None:
                self.send(quit_key)
                deadline = time.perf_counter() + timeout
                while self.process.poll() is None and time.perf_counter() < deadline:
                    try:
                        self._read(0.05)
                    except TimedOut:
                        break
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        finally:
            os.close(self.master)


def start_console(home: Path, portal_url: str, source: Path | None = None) -> Terminal:
    """``helpdesk --portal URL`` on a new pty, with the bench's own config, data and keyring."""
    return Terminal.start(helpdesk_command(), console_environment(home, portal_url, source))


SIGN_IN_PAINTED = ("Sign in to the helpdesk console", "Remember me on this computer")
PORTAL_READY = "Portal: http"
SEARCH_EMPTY = "Type to find the caller's profile"


def sign_in(
    terminal: Terminal, username: str = "agent", password: str = "demo-pass-agent"
) -> float:
    """Waits for the portal, types the demo agent's username and password as an agent does, and
    waits for the search screen; returns when it showed."""
    terminal.wait_text(*SIGN_IN_PAINTED, PORTAL_READY)
    terminal.type(username)
    terminal.send("tab")
    terminal.type(password)
    terminal.send("enter")
    return terminal.wait_text(SEARCH_EMPTY)


def bench_options(
    module: str, doc: str | None, *, count: int, runs: int, runs_help: str, quick: str
) -> argparse.ArgumentParser:
    """The options every console benchmark takes (the profiles behind its portal, its runs, a
    quick try-out, another source tree to compare with, its report); each adds its own."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {module}", description=(doc or "").split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=count, help=f"profiles ({count:,})")
    parser.add_argument("--runs", type=int, default=runs, help=f"{runs_help} ({runs})")
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument(
        "--source",
        type=Path,
        help="run on this source tree's code (bench.common.baseline_tree), to compare",
    )
    parser.add_argument("--report", type=Path, help="also write the Markdown section here")
    return parser

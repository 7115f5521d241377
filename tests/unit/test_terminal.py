"""A console whose terminal hangs up ends, instead of spinning on a dead terminal."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

from helpdesk.terminal import HUNG_UP_STATUS, end_when_the_terminal_hangs_up

SAFETY_NET_SECONDS = 30


def test_the_watch_acts_when_the_terminal_hangs_up() -> None:
    master, slave = os.openpty()
    ended = threading.Event()
    statuses: list[int] = []
    stopped: list[str] = []

    def exit(status: int) -> None:
        statuses.append(status)
        ended.set()

    end_when_the_terminal_hangs_up(slave, before_exit=lambda: stopped.append("portal"), exit=exit)
    assert not ended.wait(0.2), "a live terminal is left alone"
    os.close(master)  # the window closes
    assert ended.wait(SAFETY_NET_SECONDS)
    assert statuses == [HUNG_UP_STATUS] and stopped == ["portal"]
    os.close(slave)


def test_the_console_ends_when_its_terminal_goes_away(tmp_path: Path) -> None:
    """The console on a pseudo-terminal that is not its controlling terminal (as under a
    multiplexer that dies without a SIGHUP reaching it): closing the terminal ends it."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "HELPDESK_PORTAL_URL": "http://127.0.0.1:9",  # nothing answers: the sign-in screen says so
    }
    console = subprocess.Popen(
        [sys.executable, "-m", "helpdesk"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    try:
        deadline = time.monotonic() + SAFETY_NET_SECONDS
        seen = b""
        while b"\x1b[?1049h" not in seen:  # the console took over the screen
            assert time.monotonic() < deadline, "the console did not start"
            ready, _, _ = select.select([master], [], [], 1)
            if ready:
                seen += os.read(master, 65536)
        os.close(master)
        assert console.wait(SAFETY_NET_SECONDS) == HUNG_UP_STATUS
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()

"""The embedded portal: the reference portal as a child process of the console, on loopback.

With no portal configured, the console starts ``helpdesk-portal`` on 127.0.0.1 with a free port and a
SQLite database in the user data dir (demo environment, 1000 demo profiles seeded when the database
is new), reads the "listening on" line to learn its URL, and talks to it like to any portal. That
URL changes at every start, so what the console remembers of the portal (the last username, a
remembered token) is kept under its database instead (``portal_key``).

The child must not outlive the console, even when the console crashes or is killed with SIGKILL. It
runs under ``helpdesk.embedded_child``, a watchdog that keeps the read end of a pipe whose only
write end is held by the console: when the console process ends for any reason, the kernel closes
that end, the watchdog reads end-of-file and stops the portal.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

LISTENING = re.compile(r"helpdesk-portal listening on (https?://\S+)")
DEMO_PROFILES = 1000
START_TIMEOUT = 120.0


class EmbeddedPortalError(RuntimeError):
    """The embedded portal did not start; the message ends with the tail of its log."""


class EmbeddedPortal:
    def __init__(
        self,
        database: Path,
        log_file: Path,
        *,
        environment: str = "demo",
        seed_demo: int = DEMO_PROFILES,
        python: str = sys.executable,
    ) -> None:
        self.database = database
        self.log_file = log_file
        self.environment = environment
        self.seed_demo = seed_demo
        self.python = python
        self.url: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """The same at every start, unlike the URL: a database is a portal's agents and sessions."""
        return f"embedded:{self.database.resolve()}"

    def portal_key(self, url: str) -> str:
        """``CredentialStore``'s key for ``url``: the identity when it is this portal's URL."""
        if self.url is not None and url.rstrip("/") == self.url:
            return self.identity
        return url

    def command(self) -> list[str]:
        return [
            self.python,
            "-m",
            "helpdesk.embedded_child",
            "--db",
            f"sqlite:///{self.database}",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--environment",
            self.environment,
            "--seed-demo",
            str(self.seed_demo),
        ]

    def start(self, timeout: float = START_TIMEOUT) -> str:
        """Starts the child (once) and returns its base URL; blocking, so call it off the UI loop."""
        with self._lock:
            if self.url is not None:
                return self.url
            self.database.parent.mkdir(parents=True, exist_ok=True)
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            log = self.log_file.open("ab")
            try:
                process = subprocess.Popen(
                    self.command(),
                    stdin=subprocess.PIPE,  # the watchdog pipe: closed only when we end
                    stdout=subprocess.PIPE,
                    stderr=log,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                )
            finally:
                log.close()
            self._process = process
            assert process.stdout is not None
            url = self._wait_for_url(process, process.stdout, timeout)
            # Keep reading stdout so the child never blocks on a full pipe.
            threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
            self.url = url
            return url

    def _wait_for_url(
        self, process: subprocess.Popen[bytes], stdout: IO[bytes], timeout: float
    ) -> str:
        found: list[str] = []

        def read() -> None:
            for raw in iter(stdout.readline, b""):
                match = LISTENING.search(raw.decode("utf-8", "replace"))
                if match:
                    found.append(match.group(1).rstrip("/"))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if found:
            return found[0]
        self.stop()
        why = "did not start in time" if process.poll() is None else "stopped"
        raise EmbeddedPortalError(f"the embedded portal {why}; log:\n{self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 5.0) -> None:
        process, self._process = self._process, None
        self.url = None
        if process is None or process.poll() is not None:
            return
        if process.stdin is not None:
            process.stdin.close()  # the watchdog stops the portal gracefully
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None


def _drain(stream: IO[bytes]) -> None:
    try:
        while stream.read(65536):
            time.sleep(0)
    except (OSError, ValueError):
        pass

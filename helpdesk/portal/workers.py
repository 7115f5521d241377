"""``helpdesk-portal --workers N``: N processes serving one listening socket on one database.

The command binds the socket, makes the schema (and seeds) once, then forks the workers; each makes
its own engine and app after the fork (a database connection does not survive one) and accepts on
the inherited socket, so the kernel spreads connections over them. What must hold across processes
already holds in the database: lockout counting, single-use codes and idempotency keys are rows
written in transactions (SQLite serialises its writers; PostgreSQL takes row and advisory locks).

This process prints the one ready line once every worker listens, forwards SIGTERM and SIGINT to
them, and ends with them: when one dies the others are stopped too, for whatever supervises the
portal to start it again whole.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import sys
import traceback
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("helpdesk.portal")

ServeOne = Callable[[Callable[[], None]], None]
"""Serves in a worker until it is told to stop; calls its argument once it listens."""


def run(count: int, sock: socket.socket, ready_line: str, serve_one: ServeOne) -> int:
    ready_read, ready_write = os.pipe()
    children = [_fork(serve_one, ready_read, ready_write) for _ in range(count)]
    os.close(ready_write)
    sock.close()  # only the workers accept
    stopping = asked_to_stop = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping, asked_to_stop
        stopping = asked_to_stop = True
        _signal(children, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = _await_ready(children, count, ready_read)
    os.close(ready_read)
    if status is None and not asked_to_stop:
        print(ready_line, flush=True)
    while children:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.remove(pid)
        if not stopping:
            log.error("portal worker %d ended (%s): stopping the others", pid, _said(code))
            stopping = True
            status = 1
            _signal(children, signal.SIGTERM)
    return 0 if asked_to_stop else status or 0


def _fork(serve_one: ServeOne, ready_read: int, ready_write: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    os.close(ready_read)
    code = 0
    try:

        def announce() -> None:
            os.write(ready_write, b".")

        serve_one(announce)
    except BaseException:  # a worker's last words go to the log, then it exits
        log.error("portal worker %d failed:\n%s", os.getpid(), traceback.format_exc())
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _await_ready(children: list[int], count: int, ready_read: int) -> int | None:
    """None once every worker listens; 1 if one ended first (the others are stopped)."""
    announced = 0
    while announced < count:
        readable, _, _ = select.select([ready_read], [], [], 0.2)
        if readable:
            got = os.read(ready_read, count)
            if not got:
                return 1  # every worker has ended
            announced += len(got)
            continue
        pid, code = os.waitpid(-1, os.WNOHANG)
        if pid:
            log.error("portal worker %d ended (%s) before it listened", pid, _said(code))
            children.remove(pid)
            _signal(children, signal.SIGTERM)
            return 1
    return None


def _said(wait_status: int) -> str:
    code = os.waitstatus_to_exitcode(wait_status)
    return f"signal {-code}" if code < 0 else f"status {code}"


def _signal(children: list[int], signum: int) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

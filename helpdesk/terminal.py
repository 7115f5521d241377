"""The terminal under the console: when it goes away, so does the console.

A terminal window closed, or an SSH session cut, hangs up the console's terminal. Textual does not
notice: its input thread keeps finding the terminal "readable" with nothing to read, and spins,
while its output thread blocks on the dead terminal and with it the whole app (seen here: a
console left by a closed tmux ran at 54% of a core for 40 minutes, its portal child with it).
``end_when_the_terminal_hangs_up`` watches the terminal from a thread of its own, asleep in
``poll()`` until the kernel reports the hang-up, and then ends the process: there is no screen
left to show anything on, and the app cannot be reached to end it gently.
"""

from __future__ import annotations

import logging
import os
import select
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

HANGUP = select.POLLHUP | select.POLLERR | select.POLLNVAL
# The exit status of a process ended by SIGHUP, as a shell reports it.
HUNG_UP_STATUS = 128 + 1


def _exit(status: int) -> None:
    os._exit(status)


def end_when_the_terminal_hangs_up(
    fd: int,
    *,
    before_exit: Callable[[], object] = lambda: None,
    exit: Callable[[int], None] = _exit,
) -> threading.Thread:
    """Starts the watch on the terminal ``fd`` (the console's standard input); when it hangs up,
    ``before_exit`` runs (stop what the console started), then ``exit(129)``."""

    def watch() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no event asked for: poll() reports a hang-up always
        while True:
            events = poller.poll()
            if any(event & HANGUP for _fd, event in events):
                break
        log.warning("the terminal hung up: the console ends")
        try:
            before_exit()
        finally:
            exit(HUNG_UP_STATUS)

    thread = threading.Thread(target=watch, name="terminal-watch", daemon=True)
    thread.start()
    return thread

"""``python -m helpdesk.embedded_child ARGS``: the reference portal, ending when the console ends.

The console holds the only write end of this process's standard input. A watchdog thread waits
for end-of-file there — which the kernel delivers when the console exits, crashes or is killed —
and then stops the portal: SIGTERM to itself for a graceful uvicorn shutdown, and a hard exit if
that has not finished within a few seconds.

Not ``PR_SET_PDEATHSIG``: it follows the *thread* that started the child (a worker thread of the
console, which may end long before the console does), while the pipe follows the process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

GRACE_SECONDS = 5.0


def _stop() -> None:
    threading.Timer(GRACE_SECONDS, os._exit, args=(0,)).start()
    os.kill(os.getpid(), signal.SIGTERM)


def _watch_stdin() -> None:
    try:
        while sys.stdin.buffer.read(1024):
            pass
    except (OSError, ValueError):
        pass
    _stop()


def main(argv: list[str] | None = None) -> int:
    threading.Thread(target=_watch_stdin, name="console-watchdog", daemon=True).start()
    from helpdesk.portal.cli import main as portal_main

    result = portal_main(argv if argv is not None else sys.argv[1:])
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())

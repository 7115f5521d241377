"""Console start-up: how soon the first screen paints, and how soon the portal is ready behind it.

Each run is a fresh process (``python -m bench.startup --child``), so imports are counted. The
parent measures from just before it starts the process to the lines the child prints:

- ``painted``: the sign-in screen's first frame is on the (headless) terminal;
- ``portal``: the portal answered ``/healthz`` and the keyring was checked (``ready``).

Scenarios: a remote portal (here a reference portal the bench starts itself); the embedded portal
with its database already seeded (every start after the first); the embedded portal on a new
database (the very first start, which seeds 1000 demo profiles).

    python -m bench.startup [--runs 5] [--skip-first-run]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(portal: str | None, data: Path, timeout: float) -> None:
    from helpdesk.config import Paths, Settings
    from helpdesk.credentials import CredentialStore
    from helpdesk.embedded import EmbeddedPortal

    paths = Paths(data / "config", data / "data", data / "state")
    settings = Settings(portal_url=portal, paths=paths)
    embedded = None
    locate = None
    if portal is None:
        embedded = EmbeddedPortal(paths.embedded_database, paths.embedded_log)
        locate = embedded.start

    from screens.app import HelpdeskApp
    from screens.sign_in import SignInScreen

    class Measured(HelpdeskApp):
        def on_ready(self) -> None:
            self._painted = False
            self.set_interval(0.005, self._check)

        def _check(self) -> None:
            if not self._painted and isinstance(self.screen, SignInScreen):
                self._painted = True
                self.call_after_refresh(lambda: _say("painted"))
            if self.portal_status != "connecting":
                _say("portal" if self.portal_status == "ready" else "unreachable")
                self.exit()

    app = Measured(
        settings=settings,
        credentials=CredentialStore(paths.state_file),
        locate_portal=locate,
    )
    try:
        app.run(headless=True, size=(120, 40))
    finally:
        if embedded is not None:
            embedded.stop()


def _say(event: str) -> None:
    print(json.dumps({"event": event, "at": time.time()}), flush=True)


def run_once(portal: str | None, data: Path, timeout: float = 180.0) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.startup", "--child", "--data", str(data)]
    if portal:
        command += ["--portal", portal]
    start = time.time()
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    times: dict[str, float] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            times.setdefault(event["event"], (event["at"] - start) * 1000)
    return times


def summarise(name: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{name} ({len(runs)} runs), milliseconds from process start:")
    for event in ("painted", "portal"):
        values = [run[event] for run in runs if event in run]
        if values:
            print(
                f"  {event:8} median {statistics.median(values):7.0f}   "
                f"min {min(values):7.0f}   max {max(values):7.0f}"
            )


def start_remote_portal(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    from helpdesk.embedded import EmbeddedPortal

    portal = EmbeddedPortal(data / "remote.sqlite3", data / "remote.log", seed_demo=1000)
    url = portal.start()
    assert portal._process is not None
    return portal._process, url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--portal")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-first-run", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.portal, args.data, 180.0)
        return

    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-") as tmp:
        base = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(base / "xdg")
        if not args.skip_first_run:
            first = [run_once(None, base / f"first-{i}") for i in range(2)]
            summarise("Embedded portal, first start (new database, seeds 1000 profiles)", first)
        seeded = base / "seeded"
        run_once(None, seeded)  # seeds once
        later = [run_once(None, seeded) for _ in range(args.runs)]
        summarise("Embedded portal, later starts (database already seeded)", later)
        process, url = start_remote_portal(base)
        try:
            remote = [run_once(url, base / f"remote-{i}") for i in range(args.runs)]
        finally:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(10)
        summarise(f"Remote portal ({url})", remote)


if __name__ == "__main__":
    main()

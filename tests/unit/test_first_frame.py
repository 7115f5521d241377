"""What the console's first frame, the sign-in screen, does not wait for (issue 10: start-up
against a bare Textual app). Each test runs in a new process: what it checks is what a start loads.

The settings are read before the app starts, so what reading them imports is paid before the
first frame: pydantic and pydantic-settings alone cost it 80–170 ms. The HTTP client and its wire
models are made by the ``connect`` worker once the screen is on the terminal, and the other
screens' stylesheets are read after that frame."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

BUILD_THE_APP = """\
import asyncio, json, sys
from helpdesk.config import load_settings
from screens.app import build_app

app = build_app(load_settings(portal_url="http://127.0.0.1:9"))
"""


def run_in_a_new_process(code: str, home: Path) -> Any:
    """What ``code`` prints as JSON, run without the user's config, data and state."""
    environ = {
        name: value for name, value in os.environ.items() if not name.startswith("HELPDESK_")
    }
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        environ[name] = str(home / name)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_reading_the_settings_and_building_the_app_import_no_pydantic_nor_httpx(
    tmp_path: Path,
) -> None:
    code = BUILD_THE_APP + (
        "import screens.sign_in\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = set(run_in_a_new_process(code, tmp_path))
    assert loaded & {"pydantic", "pydantic_core", "pydantic_settings", "httpx"} == set()


def test_the_other_screens_stylesheets_are_read_after_the_first_frame(tmp_path: Path) -> None:
    """Every one of them is read once it is painted (``tests/console/test_stylesheets.py``)."""
    code = BUILD_THE_APP + (
        "from textual import events\n"
        "painted, post_message = [], app.post_message\n"
        "def post_first_frame(message):\n"
        "    if isinstance(message, events.Ready):  # posted once the first frame is painted\n"
        "        painted.append([p for p, _ in app.stylesheet.source if p.endswith('.tcss')])\n"
        "    return post_message(message)\n"
        "app.post_message = post_first_frame\n"
        "async def main():\n"
        "    async with app.run_test(size=(120, 40)):\n"
        "        print(json.dumps(painted))\n"
        "asyncio.run(main())\n"
    )
    [stylesheets] = run_in_a_new_process(code, tmp_path)
    assert [Path(path).name for path in stylesheets] == ["app.tcss", "sign_in.tcss"]

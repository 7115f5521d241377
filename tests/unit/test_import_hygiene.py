"""The core stays headless when it runs, too: importing it loads no Textual and no screens.

The static layering (which package may import which, TYPE_CHECKING imports included) is declared
as import-linter contracts in pyproject.toml and checked by `lint-imports` in `make test`; these
tests catch what a static scan cannot see, such as an import made through importlib."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "modules",
    [
        ["helpdesk.api", "helpdesk.api.client", "helpdesk.api.models", "helpdesk.api.errors"],
        ["helpdesk.portal"],
        ["helpdesk.config", "helpdesk.credentials", "helpdesk.i18n", "helpdesk.embedded"],
    ],
    ids=["api", "portal", "console-core"],
)
def test_importing_the_core_loads_no_ui(modules: list[str]) -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'screens'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_portal_app_loads_no_ui() -> None:
    code = (
        "import json, sys, helpdesk.portal.app, helpdesk.portal.cli\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'screens'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []

"""The core stays headless: nothing under helpdesk/ but the entry point imports Textual or screens."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "helpdesk"
ENTRY_POINTS = {CORE / "cli.py", CORE / "__main__.py"}
# rich is not counted: httpx imports it for its own command line when it is installed.
UI_PACKAGES = ("textual", "screens")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def _core_modules() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if p not in ENTRY_POINTS)


def test_the_scan_sees_the_core() -> None:
    modules = _core_modules()
    assert CORE / "api" / "client.py" in modules
    assert len(modules) > 10


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_ui(path: Path) -> None:
    offending = {name for name in _imported_modules(path) if name.split(".")[0] in UI_PACKAGES}
    assert not offending, f"{path.relative_to(ROOT)} imports {sorted(offending)}"


def test_the_check_would_catch_a_ui_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from textual.app import App\n    import screens.app\n")
    assert {"textual.app", "screens.app"} <= _imported_modules(bad)


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
    pytest.importorskip("helpdesk.portal.app")
    code = (
        "import json, sys, helpdesk.portal.app, helpdesk.portal.cli\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'screens'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []

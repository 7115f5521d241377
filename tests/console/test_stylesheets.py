"""Every screen's stylesheet is read by the app, so no first visit to a screen reads a file and
reparses the whole stylesheet while the agent waits (docs/PERFORMANCE.md); the sign-in screen's at
start, the others once its first frame is painted (``tests/unit/test_first_frame.py``)."""

from __future__ import annotations

from pathlib import PurePath

import pytest
from textual.css.stylesheet import Stylesheet

from screens.app import STYLES, STYLESHEETS
from screens.help import HelpScreen
from tests.console.conftest import SIZE, AppFactory, settle, sign_in


async def test_no_first_visit_to_a_screen_reads_a_stylesheet(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        read = {path for path, _class_var in app.stylesheet.source}
        assert {str(STYLES / name) for name in STYLESHEETS} <= read

        read_later: list[str | PurePath] = []
        monkeypatch.setattr(Stylesheet, "read", lambda _stylesheet, path: read_later.append(path))
        await sign_in(pilot)  # the search screen
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert read_later == []

"""``[keymap]`` in config.toml: the remapped key works, and the footer, F1 and the palette show it.

The keymap reaches the app the agent's way: written to the config file of the test's paths, which
``Settings`` reads when ``make_app`` builds them.
"""

from __future__ import annotations

from textual.command import Command, CommandList, CommandPalette
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from helpdesk.config import Paths
from screens.app import HelpdeskApp
from screens.help import HelpScreen
from screens.search import SearchScreen
from tests.console.conftest import SIZE, AppFactory, settle, sign_in

KEYMAP = """\
[keymap]
"search.clear" = "ctrl+l"
new_call = "f2"
command_palette = "ctrl+k"
"""


def footer(app: HelpdeskApp) -> dict[str, str]:
    """Description → key, as the footer shows them."""
    return {str(key.description): key.key_display for key in app.screen.query(FooterKey)}


def help_rows(app: HelpdeskApp) -> dict[str, str]:
    """Action → key(s), as F1 lists them."""
    table = app.screen.query_one("#help-keys", DataTable)
    return {
        str(table.get_row_at(row)[1]): str(table.get_row_at(row)[0])
        for row in range(table.row_count)
    }


async def test_a_remapped_key_works_and_f1_shows_it(make_app: AppFactory, app_paths: Paths) -> None:
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    app_paths.config_file.write_text(KEYMAP, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, SearchScreen)
        keys = footer(app)
        assert keys["Clear search"] == "^l"
        assert keys["New call"] == "f2"
        assert keys["Commands"] == "^k", "the palette's key at the footer's right end follows"

        box = app.screen.query_one("#search-query", Input)
        box.value = "Tremblay"
        await pilot.press("escape")  # the old key no longer clears
        await settle(pilot)
        assert box.value == "Tremblay"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert box.value == ""

        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        assert rows["Clear search"] == "^l"
        assert rows["New call"] == "f2"
        hint = str(app.screen.query_one("#help-hint", Static).render())
        assert hint.startswith("^k opens the command palette")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"clear")
        await settle(pilot)
        commands = app.screen.query_one(CommandList)
        helps = {
            str(option.hit.text): option.hit.help
            for option in (commands.get_option_at_index(i) for i in range(commands.option_count))
            if isinstance(option, Command)
        }
        assert helps["Clear search"] == "Key: ^l"
        await pilot.press("escape")
        await settle(pilot)

        first = app.screen
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen) and app.screen is not first


async def test_without_a_keymap_the_keys_are_the_defaults(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert footer(app)["Clear search"] == "esc"
        assert footer(app)["Commands"] == "^p"
        await pilot.press("f1")
        await settle(pilot)
        hint = str(app.screen.query_one("#help-hint", Static).render())
        assert hint.startswith("^p opens the command palette")
        assert str(app.screen.query_one("#help-close", Static).render()).startswith("Esc closes")

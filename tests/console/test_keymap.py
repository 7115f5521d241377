"""``[keymap]`` in config.toml: the remapped key works, and the footer, F1 and the palette show it.

The keymap reaches the app the agent's way: written to the config file of the test's paths, which
``Settings`` reads when ``make_app`` builds them.
"""

from __future__ import annotations

from textual.command import Command, CommandList, CommandPalette
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from helpdesk.config import Paths
from helpdesk.i18n import set_language
from screens.app import HelpdeskApp
from screens.help import HelpScreen
from screens.keymap import key_name
from screens.search import SearchScreen
from tests.console.conftest import SIZE, AppFactory, Portal, press, settle, sign_in
from tests.console.test_search import MARIE, lock_through_the_api, open_profile
from tests.console.test_verify import SMITH

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


MESSAGE_KEYMAP = """\
[keymap]
"profile.verify" = "ctrl+y"
"profile.request_unlock" = "ctrl+u"
"profile.back" = "ctrl+b"
"""


async def test_the_messages_that_name_a_key_name_the_agents(
    make_app: AppFactory, app_paths: Paths, portal: Portal
) -> None:
    """A message never names a key that no longer does it, in either language."""
    app_paths.config_dir.mkdir(parents=True, exist_ok=True)
    app_paths.config_file.write_text(MESSAGE_KEYMAP, encoding="utf-8")
    await lock_through_the_api(portal, MARIE)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        profile = await open_profile(pilot, SMITH)
        hint = str(profile.query_one("#masked-hint", Static).render())
        assert hint.endswith("Press Ctrl+Y to verify the caller.")
        await press(pilot, "ctrl+b")
        profile = await open_profile(pilot, MARIE)
        banner = str(profile.query_one("#lock-banner", Static).render())
        assert "What next: press Ctrl+U to ask a supervisor to unlock it" in banner
        await press(pilot, "f4")  # French: the key keeps its name, the words are translated
        banner = str(profile.query_one("#lock-banner", Static).render())
        assert "Et ensuite : appuyez sur Ctrl+U pour demander à un superviseur" in banner


def test_a_key_is_named_in_the_consoles_language() -> None:
    set_language("fr")
    try:
        assert [key_name(key) for key in ("escape", "shift+tab", "f5", "u", "question_mark")] == [
            "Échap",
            "Maj+Tab",
            "F5",
            "U",
            "?",
        ]
    finally:
        set_language("en")
    assert key_name("escape") == "Escape" and key_name("ctrl+r") == "Ctrl+R"

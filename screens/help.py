"""F1: every key of the screen the agent is on and of the app, with what it does.

The box scrolls as one, with the keyboard (↓, Page Down, End) as with the mouse, so on a short
terminal every key and the last line can be brought into view.

It lists the project's own bindings (each has an ``id``, which tells it from Textual's) and any
binding a widget shows in the footer, grouped by action; Textual's low-level editing keys are left
out. The keys are those in force: ``[keymap]`` in config.toml remaps bindings by id, and the active
bindings already carry the remapped keys, here as in the footer and the palette.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from helpdesk.i18n import _, _l
from screens.base import ConsoleScreen

HIDDEN_ACTIONS = {"help_quit", "app.help_quit", "command_palette", "app.command_palette"}


def documented_bindings(
    app: App[object], screen: Screen[object]
) -> Iterator[tuple[str, str, bool]]:
    """``(keys, description, app_wide)`` for each action the agent can use on ``screen``."""
    grouped: dict[tuple[int, str], tuple[list[str], str, bool]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.action in HIDDEN_ACTIONS or not binding.description:
            continue
        if binding.id is None and not binding.show:
            continue
        description = str(binding.description)
        display = app.get_key_display(binding) or key
        slot = grouped.setdefault(
            (id(active.node), binding.action), ([], description, active.node is app)
        )
        if display not in slot[0]:
            slot[0].append(display)
    screen_first = sorted(grouped.values(), key=lambda item: item[2])
    for keys, description, app_wide in screen_first:
        yield ", ".join(keys), description, app_wide


def sentence_start(app: App[object], binding: Binding) -> str:
    """The key as the footer shows it, capitalised to start a sentence: ``Esc``, ``^p``."""
    display = app.get_key_display(binding)
    return display[:1].upper() + display[1:]


class HelpScreen(ConsoleScreen, ModalScreen[None]):
    CSS_PATH = "../styles/help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", _l("Close help"), id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(_("Keys"), id="help-title")
            # Read, not browsed: the box scrolls, so the table neither takes the focus nor the keys.
            keys: DataTable[str] = DataTable(id="help-keys", cursor_type="none", zebra_stripes=True)
            keys.can_focus = False
            keys.add_columns(_("Key"), _("Action"), _("Where"))
            for binding_keys, description, app_wide in documented_bindings(self.app, self.under):
                where = _("Everywhere") if app_wide else _("This screen")
                keys.add_row(binding_keys, description, where)
            yield keys
            yield Static(_("Tab and Shift+Tab move between fields; Enter confirms."), id="help-tab")
            # The palette's key works on every screen, modal or not: the app's, keymap applied.
            palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette")
            yield Static(
                _("{key} opens the command palette: type part of an action's name.").format(
                    key=sentence_start(self.app, palette)
                ),
                id="help-hint",
            )
            close = next(
                active.binding
                for active in self.active_bindings.values()
                if active.binding.id == "help.close"
            )
            yield Static(
                _("{key} closes this help.").format(key=sentence_start(self.app, close)),
                id="help-close",
            )

    def on_mount(self) -> None:
        self.query_one("#help-box", VerticalScroll).focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

"""F1: every key of the screen the agent is on and of the app, with what it does."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from helpdesk.i18n import _, _l

HIDDEN_ACTIONS = {"help_quit", "app.help_quit"}


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "../styles/help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", _l("Close help"), id="help.close"),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(_("Keys"), id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                _("Ctrl+P opens the command palette: type part of an action's name."),
                id="help-hint",
            )
            yield Static(_("Esc closes this help."), id="help-close")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns(_("Key"), _("Action"), _("Where"))
        seen: set[tuple[str, str]] = set()
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            description = str(binding.description or "")
            if binding.action in HIDDEN_ACTIONS or not description:
                continue
            display = self.app.get_key_display(binding) or key
            if (display, binding.action) in seen:
                continue
            seen.add((display, binding.action))
            where = _("Everywhere") if active.node is self.app else _("This screen")
            table.add_row(display, description, where)
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

"""The audit screen (supervisors): every event of the portal, newest first."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from helpdesk.api.models import AuditEvent
from helpdesk.i18n import _, _l, format_datetime
from screens.base import ConsoleScreen
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader
from screens.widgets.labels import audit_action_label, audit_outcome_label

PAGE = 100


class AuditScreen(ConsoleScreen, Screen[None]):
    CSS_PATH = "../styles/lists.tcss"
    AUTO_FOCUS = "#audit-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", _l("Refresh"), id="audit.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[AuditEvent] = []

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Static(_("Audit trail"), id="list-title", markup=False)
        yield Static(_("Loading…"), id="list-state", markup=False)
        yield DataTable(id="audit-table", classes="list-table", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self.reload()

    def _set_columns(self) -> None:
        table: DataTable[str] = self.query_one("#audit-table", DataTable)
        table.clear(columns=True)
        table.add_columns(_("When"), _("Agent"), _("Action"), _("Outcome"), _("Profile"))

    def translate(self) -> None:
        self.refresh_bindings()
        self._set_columns()
        self._fill()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(exclusive=True, exit_on_error=False, group="audit")
    async def _load(self) -> None:
        state = self.query_one("#list-state", Static)
        page = await self.call_portal(self.helpdesk.client.audit(limit=PAGE), status=state)
        if page is None:
            return
        self.events = page.items
        state.update("")
        self._fill()

    def _fill(self) -> None:
        table: DataTable[str] = self.query_one("#audit-table", DataTable)
        table.clear()
        for event in self.events:
            table.add_row(
                format_datetime(event.at),
                event.actor,
                audit_action_label(event.action),
                audit_outcome_label(event.outcome),
                event.profile_id or "—",
                key=event.id,
            )

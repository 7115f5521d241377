"""The unlock-request queue (supervisors): the requests waiting, longest wait first.

Each row: how long it has waited, the agent who asked, the caller, the agent's reason (cut at
``REASON_WIDTH``; the line under the table shows the highlighted one whole). ``a`` approves (the
profile unlocks, the account holder is told), ``d`` denies; both ask for an optional note that the
agent reads. Enter opens the caller's profile on the call. The queue refreshes itself every
``REFRESH_SECONDS`` and whenever the header's count changes, without taking the focus or moving
the cursor off the request it is on.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from helpdesk.api.errors import Conflict
from helpdesk.api.models import UnlockRequest
from helpdesk.i18n import _, _l, format_elapsed, ngettext
from screens.base import ConsoleScreen
from screens.modals.reason import ReasonScreen
from screens.unlocking import key_reused, worded_intent
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader

PAGE = 200
REFRESH_SECONDS = 10.0
# A reason is cut to this in the table (the Caller and Reason columns fit 80 columns); the line
# under the table shows the highlighted one whole.
REASON_WIDTH = 40


def shortened(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class QueueTable(DataTable[str | Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _l("Open profile"), id="queue.open"),
    ]


class QueueScreen(ConsoleScreen, Screen[None]):
    CSS_PATH = "../styles/lists.tcss"
    AUTO_FOCUS = "#queue-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide(True)", _l("Approve"), id="queue.approve"),
        Binding("d", "decide(False)", _l("Deny"), id="queue.deny"),
        Binding("f5", "reload", _l("Refresh"), id="queue.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[UnlockRequest] = []
        self.loads = 0
        """How many answers the screen has shown (tests wait for the next one)."""

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Static(_("Unlock requests waiting"), id="list-title", markup=False)
        yield Static(_("Loading…"), id="list-state", markup=False)
        yield QueueTable(
            id="queue-table", classes="list-table", cursor_type="row", zebra_stripes=True
        )
        yield Static("", id="list-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self.set_interval(1.0, self.tick)
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.watch(self.app, "pending_unlock_requests", self._count_changed, init=False)
        self.reload()

    def _count_changed(self, count: int | None) -> None:
        # None: signed out (or the idle lock) — nothing to ask the portal for any more.
        if count is not None:
            self.reload()

    def _set_columns(self) -> None:
        table = self.query_one(QueueTable)
        table.clear(columns=True)
        table.add_column(_("Waiting"), key="age")
        table.add_column(_("Agent"), key="agent")
        table.add_column(_("Caller"), key="name")
        table.add_column(_("Reason"), key="reason")

    def translate(self) -> None:
        self.refresh_bindings()
        self.query_one("#list-title", Static).update(_("Unlock requests waiting"))
        self._set_columns()
        self._fill()

    # --- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(exclusive=True, exit_on_error=False, group="queue")
    async def _load(self) -> None:
        state = self.query_one("#list-state", Static)
        page = await self.call_portal(
            self.helpdesk.client.unlock_requests(status="pending", limit=PAGE), status=state
        )
        if page is None:
            return
        self.requests = page.items
        self._fill()
        self.loads += 1

    def _fill(self) -> None:
        """The table from ``self.requests``, the cursor staying on the request it was on."""
        table = self.query_one(QueueTable)
        selected = self.selected
        now = self.helpdesk.clock.now()
        table.clear()
        for request in self.requests:
            table.add_row(
                format_elapsed((now - request.requested_at).total_seconds()),
                # What people typed, shown as typed: a "[" is not markup.
                Text(request.requested_by),
                Text(request.display_name),
                Text(shortened(request.reason, REASON_WIDTH)),
                key=request.id,
            )
        if selected is not None and selected.id in table.rows:
            table.move_cursor(row=table.get_row_index(selected.id))
        self._show_detail()
        self.refresh_bindings()
        state = self.query_one("#list-state", Static)
        count = table.row_count
        state.update(
            ngettext("{count} request waiting.", "{count} requests waiting.", count).format(
                count=count
            )
            if count
            else _("No request is waiting.")
        )

    @on(DataTable.RowHighlighted, "#queue-table")
    def _show_detail(self) -> None:
        """The highlighted request's reason whole: the table cuts a long one."""
        request = self.selected
        self.query_one("#list-detail", Static).update(
            _("{agent} asked: “{reason}”").format(
                agent=request.requested_by, reason=" ".join(request.reason.split())
            )
            if request is not None
            else ""
        )

    def tick(self) -> None:
        table = self.query_one(QueueTable)
        now = self.helpdesk.clock.now()
        for request in self.requests:
            if request.id in table.rows:
                age = format_elapsed((now - request.requested_at).total_seconds())
                table.update_cell(request.id, "age", age)

    @property
    def selected(self) -> UnlockRequest | None:
        table = self.query_one(QueueTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((item for item in self.requests if item.id == key), None)

    # --- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#queue-table")
    def _open(self) -> None:
        selected = self.selected
        if selected is not None:
            self.helpdesk.open_profile(selected.profile_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return bool(self.requests)  # nothing waiting: no Approve, no Deny in the footer
        return True

    def action_decide(self, approve: bool) -> None:
        request = self.selected
        if request is None:
            return
        client, call = self.helpdesk.client, self.helpdesk.call

        async def decide_once(note: str, intent: str) -> tuple[UnlockRequest, bool]:
            """The request as decided, and whether by this decision (not by another
            supervisor's before it: the portal refuses a second decision)."""
            decide = client.approve_unlock_request if approve else client.deny_unlock_request
            key = call.idempotency_key(intent)
            try:
                return await decide(request.id, note or None, key), True
            except Conflict as error:
                if key_reused(error):
                    raise
                call.answered(intent)
                return await client.unlock_request(request.id), False

        async def send(
            dialog: ReasonScreen[tuple[UnlockRequest, bool]], note: str
        ) -> tuple[UnlockRequest, bool] | None:
            intent = worded_intent("approve" if approve else "deny", request.id, note)
            return await dialog.call_portal(
                decide_once(note, intent), status=dialog.problem, intent=intent
            )

        def decided(answer: tuple[UnlockRequest, bool] | None) -> None:
            if answer is None:
                return
            decision, by_me = answer
            if not by_me:
                text = (
                    _("{supervisor} had already approved the request to unlock {name}.")
                    if decision.status == "approved"
                    else _("{supervisor} had already denied the request to unlock {name}.")
                )
                self.notify(
                    text.format(supervisor=decision.decided_by, name=decision.display_name),
                    severity="warning",
                    markup=False,
                )
            elif approve:
                self.notify(
                    _("{name} is unlocked; {agent} is told.").format(
                        name=decision.display_name, agent=decision.requested_by
                    ),
                    markup=False,
                )
            else:
                self.notify(
                    _("The request to unlock {name} is denied; {agent} is told.").format(
                        name=decision.display_name, agent=decision.requested_by
                    ),
                    markup=False,
                )
            self.reload()
            self.helpdesk.refresh_floor()

        agent, name = request.requested_by, request.display_name
        self.app.push_screen(
            ReasonScreen(
                lambda: (
                    _("Approve the request to unlock {name}?")
                    if approve
                    else _("Deny the request to unlock {name}?")
                ).format(name=name),
                lambda: _("{agent} asked: “{reason}”").format(agent=agent, reason=request.reason),
                go_ahead=lambda: _("Approve and unlock") if approve else _("Deny"),
                label=lambda: _("Note for {agent} (optional)").format(agent=agent),
                unsent=lambda: _("The note typed for {agent} has not been sent yet.").format(
                    agent=agent
                ),
                send=send,
                required=False,
                id="decide-note",
            ),
            decided,
        )

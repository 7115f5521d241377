"""The lockouts screen: every profile locked now, soonest unlock first.

For each lock: the caller, a live countdown to its end, how many failures of which kind (caller
verifications or sign-ins), where the last one came from, until when and since when. At 80
columns the last two are off to the right: the countdown says the same as "until", sooner. Enter opens the caller's
profile on the call; ``u`` unlocks (a supervisor, with a reason) or asks a supervisor to (an
agent). The list comes a page at a time: the next page loads when the cursor nears the end. A lock
that runs out leaves the list at its second; F5 and a refresh every ``REFRESH_SECONDS`` bring new
ones, keeping the row the agent is on.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from helpdesk.api.models import Lockout
from helpdesk.i18n import _, _l, format_time, ngettext
from screens.base import ConsoleScreen
from screens.unlocking import request_unlock, unlock
from screens.widgets.countdown import is_future, time_left
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader

PAGE = 100
REFRESH_SECONDS = 30.0
# Load the next page when the cursor comes this close to the last row.
NEAR_THE_END = 10


def failures_label(lock_reason: str, count: int) -> str:
    """How many failures and of which kind, in one short cell: "5 verifications"."""
    if lock_reason == "verification_failures":
        return ngettext("{count} verification", "{count} verifications", count).format(count=count)
    if lock_reason == "sign_in_failures":
        return ngettext("{count} sign-in", "{count} sign-ins", count).format(count=count)
    return str(count)


class LockoutsTable(DataTable[str | Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _l("Open profile"), id="lockouts.open"),
    ]


class LockoutsScreen(ConsoleScreen, Screen[None]):
    CSS_PATH = "../styles/lists.tcss"
    AUTO_FOCUS = "#lockouts-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "unlock", _l("Unlock"), id="lockouts.unlock"),
        Binding("u", "request_unlock", _l("Request unlock"), id="lockouts.request_unlock"),
        Binding("f5", "reload", _l("Refresh"), id="lockouts.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lockouts: list[Lockout] = []
        self._next_cursor: str | None = None
        self.loads = 0
        """How many answers the screen has shown (tests wait for the next one)."""
        self._rows = 0

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Static(_("Locked profiles"), id="list-title", markup=False)
        yield Static(_("Loading…"), id="list-state", markup=False)
        yield LockoutsTable(
            id="lockouts-table", classes="list-table", cursor_type="row", zebra_stripes=True
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self.set_interval(1.0, self.tick)
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.reload()

    def _set_columns(self) -> None:
        table = self.query_one(LockoutsTable)
        table.clear(columns=True)
        table.add_column(_("Caller"), key="name")
        table.add_column(_("Unlocks in"), key="left")
        table.add_column(_("Failures"), key="failures")
        table.add_column(_("Last failure from"), key="source")
        table.add_column(_("Until"), key="until")
        table.add_column(_("Since"), key="since")

    def translate(self) -> None:
        self.refresh_bindings()
        self.query_one("#list-title", Static).update(_("Locked profiles"))
        self._set_columns()
        self._fill()

    # --- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load(None)

    @work(exclusive=True, exit_on_error=False, group="lockouts")
    async def _load(self, cursor: str | None) -> None:
        state = self.query_one("#list-state", Static)
        page = await self.call_portal(
            self.helpdesk.client.lockouts(cursor=cursor, limit=PAGE), status=state
        )
        if page is None:
            return
        if cursor is None:
            self.lockouts = page.items
        else:
            known = {lockout.profile_id for lockout in self.lockouts}
            self.lockouts += [item for item in page.items if item.profile_id not in known]
        self._next_cursor = page.next_cursor
        self._fill()
        self.loads += 1

    @on(DataTable.RowHighlighted, "#lockouts-table")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if self._next_cursor and event.cursor_row >= table.row_count - NEAR_THE_END:
            self._load(self._next_cursor)

    # --- showing ------------------------------------------------------------------------------

    def _fill(self) -> None:
        """The table from ``self.lockouts``, the cursor staying on the profile it was on."""
        table = self.query_one(LockoutsTable)
        selected = self.selected
        now = self.helpdesk.clock.now()
        table.clear()
        for lockout in self.lockouts:
            if not is_future(lockout.locked_until, now):
                continue
            table.add_row(
                Text(lockout.display_name),  # as the portal has it: a "[" is not markup
                time_left(lockout.locked_until, now),
                failures_label(lockout.lock_reason, lockout.failed_attempts),
                Text(lockout.last_failure_source or "—"),
                format_time(lockout.locked_until),
                format_time(lockout.locked_at),
                key=lockout.profile_id,
            )
        if selected is not None and selected.profile_id in table.rows:
            table.move_cursor(row=table.get_row_index(selected.profile_id))
        if bool(table.row_count) != bool(self._rows):
            self.refresh_bindings()  # Unlock / Request unlock only when there is a row
        self._rows = table.row_count
        self._show_count(table.row_count)

    def _show_count(self, count: int) -> None:
        state = self.query_one("#list-state", Static)
        if count == 0:
            state.update(_("No profile is locked now."))
            return
        text = ngettext("{count} profile locked now.", "{count} profiles locked now.", count)
        more = _(" More below: they load as you scroll.") if self._next_cursor else ""
        state.update(text.format(count=count) + more)

    def tick(self) -> None:
        """Every second: the countdowns; a lock that ran out leaves the list."""
        table = self.query_one(LockoutsTable)
        now = self.helpdesk.clock.now()
        ended = False
        for lockout in self.lockouts:
            if lockout.profile_id not in table.rows:
                continue
            if is_future(lockout.locked_until, now):
                table.update_cell(lockout.profile_id, "left", time_left(lockout.locked_until, now))
            else:
                ended = True
        if ended:
            self._fill()

    @property
    def selected(self) -> Lockout | None:
        table = self.query_one(LockoutsTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((item for item in self.lockouts if item.profile_id == key), None)

    # --- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#lockouts-table")
    def _open(self) -> None:
        selected = self.selected
        if selected is not None:
            self.helpdesk.open_profile(selected.profile_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("unlock", "request_unlock"):
            agent = self.helpdesk.agent
            if agent is None or not self._rows:
                return False
            return (agent.role == "supervisor") == (action == "unlock")
        return True

    def action_unlock(self) -> None:
        selected = self.selected
        if selected is not None:
            unlock(
                self.app,
                selected.profile_id,
                selected.display_name,
                selected.locked_until,
                lambda _result: self.reload(),
            )

    def action_request_unlock(self) -> None:
        selected = self.selected
        if selected is not None:
            request_unlock(self.app, selected.profile_id, selected.display_name)

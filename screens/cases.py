"""The user-code recovery cases (everyone): manual recoveries of non-personal accounts, newest first.

A case moves as the portal allows: open → approved or rejected (a supervisor: ``a``, ``r``),
approved → sent (``m``: the portal sends the user code to the contact on file; the console never
sees it), sent → closed (``c``). Each key is offered only when the highlighted case and the agent's
role allow it, and asks for an optional note. ``s`` changes which cases are shown: by default the
ones still moving (open, approved, sent). Under the table, the highlighted case and who moved the
profile's cases, and when, from the profile's audit trail. Enter opens the profile on the call.
The list refreshes every ``REFRESH_SECONDS`` and on F5, without taking the focus or moving the
cursor off the case it is on.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from helpdesk.api.errors import Conflict
from helpdesk.api.models import AuditEvent, UserCodeRecovery
from helpdesk.i18n import _, _l, format_datetime, ngettext
from screens.base import ConsoleScreen
from screens.modals.reason import ReasonScreen
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader
from screens.widgets.labels import delivery_label, evidence_label, recovery_status_label

REFRESH_SECONDS = 30.0
# The portal's largest page: a profile's recovery events are among its latest.
AUDIT_PAGE = 200

# Where a case may go from each status (the portal's rules), and which moves need a supervisor.
NEXT: dict[str, tuple[str, ...]] = {
    "open": ("approved", "rejected"),
    "approved": ("sent",),
    "sent": ("closed",),
}
SUPERVISOR_MOVES = frozenset({"approved", "rejected"})
MOVING = ("open", "approved", "sent")
# What ``s`` steps through: the cases still moving, each status, then every case.
FILTERS = ("moving", "open", "approved", "sent", "rejected", "closed", "all")
RECOVERY_ACTIONS = ("user_code_recovery.open", "user_code_recovery.transition")


def filter_label(name: str) -> str:
    if name == "moving":
        return _("still moving (open, approved, sent)")
    if name == "all":
        return _("every case")
    return recovery_status_label(name)


class CasesTable(DataTable[str | Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _l("Open profile"), id="cases.open"),
    ]


class CasesScreen(ConsoleScreen, Screen[None]):
    CSS_PATH: ClassVar = ["../styles/lists.tcss", "../styles/cases.tcss"]
    AUTO_FOCUS = "#cases-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "move('approved')", _l("Approve"), id="cases.approve"),
        Binding("r", "move('rejected')", _l("Reject"), id="cases.reject"),
        Binding("m", "move('sent')", _l("Mark the user code sent"), id="cases.send"),
        Binding("c", "move('closed')", _l("Close"), id="cases.close"),
        Binding("s", "next_filter", _l("Status shown"), id="cases.filter"),
        Binding("f5", "reload", _l("Refresh"), id="cases.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cases: list[UserCodeRecovery] = []
        self.shown = FILTERS[0]
        self.history: dict[str, list[AuditEvent]] = {}
        """Each profile's recovery events, newest first, as last read from its audit trail."""
        self.loads = 0
        """How many answers the screen has shown (tests wait for the next one)."""

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Static(_("User-code recovery cases"), id="list-title", markup=False)
        yield Static(_("Loading…"), id="list-state", markup=False)
        yield Static(self._filter_text(), id="cases-filter", markup=False)
        yield CasesTable(
            id="cases-table", classes="list-table", cursor_type="row", zebra_stripes=True
        )
        with VerticalScroll(id="cases-detail-pane"):
            yield Static("", id="cases-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.reload()

    def _set_columns(self) -> None:
        table = self.query_one(CasesTable)
        table.clear(columns=True)
        table.add_column(_("Case"), key="case")
        table.add_column(_("Status"), key="status")
        table.add_column(_("Account"), key="name")
        table.add_column(_("Caller"), key="caller")
        table.add_column(_("Delivery"), key="delivery")
        table.add_column(_("Opened by"), key="opened_by")
        table.add_column(_("Last change"), key="updated")

    def _filter_text(self) -> str:
        return _("Shown: {statuses} (S to change)").format(statuses=filter_label(self.shown))

    def translate(self) -> None:
        self.refresh_bindings()
        self.query_one("#list-title", Static).update(_("User-code recovery cases"))
        self.query_one("#cases-filter", Static).update(self._filter_text())
        self._fill()

    # --- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load()

    def action_next_filter(self) -> None:
        self.shown = FILTERS[(FILTERS.index(self.shown) + 1) % len(FILTERS)]
        self.query_one("#cases-filter", Static).update(self._filter_text())
        self.reload()

    @work(exclusive=True, exit_on_error=False, group="cases")
    async def _load(self) -> None:
        state = self.query_one("#list-state", Static)
        shown = self.shown
        status = None if shown in ("moving", "all") else shown
        cases = await self.call_portal(
            self.helpdesk.client.user_code_recoveries(status=status), status=state
        )
        if cases is None:
            return
        if shown == "moving":
            cases = [case for case in cases if case.status in MOVING]
        self.cases = cases
        self.history.clear()  # read again: a case may have moved since
        self._fill()
        await self._load_history()
        self.loads += 1

    async def _load_history(self) -> None:
        """The highlighted case's profile: its recovery events, once per load."""
        case = self.selected
        if case is None or case.profile_id in self.history:
            return
        page = await self.call_portal(
            self.helpdesk.client.profile_audit(case.profile_id, limit=AUDIT_PAGE)
        )
        if page is None:
            return
        self.history[case.profile_id] = [
            event
            for event in page.items
            if event.action in RECOVERY_ACTIONS and event.outcome == "ok"
        ]
        self._show_detail()

    @work(exclusive=True, exit_on_error=False, group="case-history")
    async def _load_history_now(self) -> None:
        await self._load_history()

    # --- showing ------------------------------------------------------------------------------

    def _fill(self) -> None:
        """The table from ``self.cases``, the cursor staying on the case it was on."""
        table = self.query_one(CasesTable)
        selected = self.selected
        self._set_columns()  # fitted to this answer, not to the widest status seen before
        for case in self.cases:
            table.add_row(
                case.case_number,
                recovery_status_label(case.status),
                # As the portal and the agents wrote them: a "[" is not markup.
                Text(case.display_name),
                Text(case.caller_name),
                delivery_label(case.delivery),
                Text(case.opened_by),
                format_datetime(case.updated_at),
                key=case.id,
            )
        if selected is not None and selected.id in table.rows:
            table.move_cursor(row=table.get_row_index(selected.id))
        count = table.row_count
        state = self.query_one("#list-state", Static)
        state.update(
            ngettext("{count} case.", "{count} cases.", count).format(count=count)
            if count
            else _("No case with this status.")
        )
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        detail = self.query_one("#cases-detail", Static)
        case = self.selected
        if case is None:
            detail.update("")
            return
        lines = [
            _("{case} · {name} · {status}").format(
                case=case.case_number,
                name=case.display_name,
                status=recovery_status_label(case.status),
            ),
            _("Caller: {caller} · Delivery: {delivery}").format(
                caller=case.caller_name, delivery=delivery_label(case.delivery)
            ),
            _("Opened by {agent} on {time}").format(
                agent=case.opened_by, time=format_datetime(case.opened_at)
            ),
        ]
        if case.note:
            lines.append(_("Note: {note}").format(note=case.note))
        events = self.history.get(case.profile_id)
        if events is None:
            lines.append(_("This profile's recovery history: loading…"))
        else:
            lines.append(_("This profile's recovery history (every case of the profile):"))
            for event in events:
                lines.append(
                    _("{time} · {agent} · {what}").format(
                        time=format_datetime(event.at), agent=event.actor, what=_event_text(event)
                    )
                )
        lines += [_("Evidence checked:"), _evidence(case)]
        detail.update("\n".join(lines))

    @property
    def selected(self) -> UserCodeRecovery | None:
        tables = self.query(CasesTable)
        # The footer may ask which keys apply before the table is there.
        table = tables.first() if tables else None
        if table is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((case for case in self.cases if case.id == key), None)

    @on(DataTable.RowHighlighted, "#cases-table")
    def _highlighted(self) -> None:
        self.refresh_bindings()
        self._show_detail()
        case = self.selected
        if case is not None and case.profile_id not in self.history:
            self._load_history_now()

    # --- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#cases-table")
    def _open(self) -> None:
        selected = self.selected
        if selected is not None:
            self.helpdesk.open_profile(selected.profile_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":
            return self._may_move(str(parameters[0]))
        return True

    def _may_move(self, to: str) -> bool:
        """What the portal would accept: the case's next statuses, a supervisor's for some."""
        agent, case = self.helpdesk.agent, self.selected
        if agent is None or case is None or to not in NEXT.get(case.status, ()):
            return False
        return to not in SUPERVISOR_MOVES or agent.role == "supervisor"

    def action_move(self, to: str) -> None:
        case = self.selected
        if case is None or not self._may_move(to):
            return
        client, call = self.helpdesk.client, self.helpdesk.call
        intent = f"user-code-recovery:{case.id}:{to}"
        refused: list[Conflict] = []

        async def transition(note: str, key: str) -> UserCodeRecovery:
            try:
                return await client.transition_user_code_recovery(case.id, to, note or None, key)
            except Conflict as error:
                refused.append(error)
                raise

        async def send(
            dialog: ReasonScreen[UserCodeRecovery], note: str
        ) -> UserCodeRecovery | None:
            refused.clear()
            key = call.idempotency_key(intent)
            answer = await dialog.call_portal(
                transition(note, key), status=dialog.problem, intent=intent
            )
            if answer is None and refused:
                await self._explain_conflict(dialog, case)
            return answer

        def moved(answer: UserCodeRecovery | None) -> None:
            if answer is None:
                return
            self.notify(_moved_text(answer), markup=False)
            self.reload()

        question, go_ahead = _question(case, to)
        self.app.push_screen(
            ReasonScreen(
                question,
                _details(case, to),
                go_ahead=go_ahead,
                label=_("Note on the case (optional)"),
                send=send,
                required=False,
                id="case-note",
            ),
            moved,
        )

    async def _explain_conflict(
        self, dialog: ReasonScreen[UserCodeRecovery], case: UserCodeRecovery
    ) -> None:
        """Someone moved the case first: say where it is now, and show it."""
        now = await self.call_portal(
            self.helpdesk.client.user_code_recoveries(profile_id=case.profile_id)
        )
        current = next((item for item in now or [] if item.id == case.id), None)
        if current is None:
            text = _("{case} was moved meanwhile, from another console. Press {key}.")
        else:
            text = _(
                "{case} is already “{status}”: someone moved it meanwhile, from another console. "
                "Press {key} to see it."
            )
        dialog.problem.update(
            text.format(
                case=case.case_number,
                status=recovery_status_label(current.status) if current else "",
                key=dialog.key_for("reason.cancel"),
            )
        )
        dialog.problem.add_class("-error")
        self.reload()


def _question(case: UserCodeRecovery, to: str) -> tuple[str, str]:
    """The dialog's question and the button that names the move."""
    name, number = case.display_name, case.case_number
    if to == "approved":
        question = _("Approve the user-code recovery {case} for {name}?")
        go_ahead = _("Approve")
    elif to == "rejected":
        question = _("Reject the user-code recovery {case} for {name}?")
        go_ahead = _("Reject")
    elif to == "sent":
        question = _("Send the user code of {name} ({case})?")
        go_ahead = _("Send the user code")
    else:
        question = _("Close the user-code recovery {case} for {name}?")
        go_ahead = _("Close the case")
    return question.format(case=number, name=name), go_ahead


def _details(case: UserCodeRecovery, to: str) -> str:
    caller = _("{caller} called. Evidence checked:").format(caller=case.caller_name)
    if to == "approved":
        then = _("Once approved, an agent marks the user code sent: the portal sends it {how}.")
    elif to == "rejected":
        then = _("A rejected case stays as it is: the user code is not sent.")
    elif to == "sent":
        then = _(
            "The portal sends the user code {how} to the contact on file. "
            "Nobody at the help desk sees it."
        )
    else:
        then = _("The user code was sent; closing ends the case.")
    how = _("by e-mail") if case.delivery == "email" else _("by post")
    return "\n".join((caller, _evidence(case), then.format(how=how)))


def _evidence(case: UserCodeRecovery) -> str:
    """One line each, in words when the wizard's code is known, else as it was written."""
    return "\n".join(f"• {evidence_label(item)}" for item in case.evidence) or "—"


def _moved_text(case: UserCodeRecovery) -> str:
    number = case.case_number
    if case.status == "sent" and case.notice is not None:
        if case.notice.channel == "email":
            text = _("{case}: the user code is sent by e-mail to {to}.")
        else:
            text = _("{case}: the user code is sent by post to {to}.")
        return text.format(case=number, to=case.notice.to_masked)
    texts = {
        "approved": _("{case} is approved."),
        "rejected": _("{case} is rejected."),
        "sent": _("{case}: the user code is sent."),
        "closed": _("{case} is closed."),
    }
    return texts.get(case.status, "{case}").format(case=number)


def _event_text(event: AuditEvent) -> str:
    """``open->approved`` in words; the opening of a case."""
    if event.action == "user_code_recovery.open":
        return _("case opened")
    before, _arrow, after = (event.reason or "").partition("->")
    if not after:
        return event.reason or ""
    return f"{recovery_status_label(before)} → {recovery_status_label(after)}"

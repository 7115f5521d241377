"""The audit screen (supervisors): every event of the portal, newest first, for an investigation.

A filter bar narrows the trail by agent, action, outcome, profile and dates (``YYYY-MM-DD`` in local
time, both days included). A choice in a list applies at once; a typed filter when the supervisor
presses Enter or leaves the field, so that half a name asks the portal nothing. ``/`` (or Ctrl+F)
goes to the filters, Enter or Escape back to the table. Each change starts again from the first
page and an answer to older filters is dropped. The trail comes a page at a time, the next one when
the cursor nears the end, so thousands of events never freeze the console.

Enter opens the event's profile on the call. Ctrl+E writes every event the filters match (up to
``EXPORT_CAP``) to a CSV file in the user's data dir, in a worker: the portal's pages, then the file
written beside its final name and renamed, so no half-written file is ever there to open. The
request id of each event (the portal's logs name it) is in the file, not on the screen.
"""

from __future__ import annotations

import asyncio
import csv
import os
import re
import tempfile
from collections.abc import Awaitable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Select, Static

from helpdesk.api.models import AuditEvent, AuditOutcome, AuditPage
from helpdesk.i18n import _, _l, format_decimal, ngettext
from screens.base import ConsoleScreen
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader
from screens.widgets.labels import (
    audit_action_label,
    audit_outcome_label,
    audit_reason_label,
    role_label,
)

if TYPE_CHECKING:
    from helpdesk.api.client import PortalClient

PAGE = 100
EXPORT_PAGE = 200  # the most the portal gives in one page
EXPORT_CAP = 10_000
# Load the next page when the cursor comes this close to the last row.
NEAR_THE_END = 10
# An agent's typed reason is cut to this in the table; the line under it shows it whole.
REASON_WIDTH = 32
# Below this width the filter bar takes two lines.
NARROW = 110

# Every action the portal audits (docs/API.md, "Audit").
ACTIONS = (
    "session.create",
    "session.delete",
    "verification.attempt",
    "profile.unlock",
    "unlock_request.create",
    "unlock_request.approve",
    "unlock_request.deny",
    "access_code.issue",
    "access_code.revoke",
    "access_code.redeem",
    "user_code_recovery.open",
    "user_code_recovery.transition",
)
OUTCOMES: tuple[AuditOutcome, ...] = ("ok", "failed", "refused")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CSV_COLUMNS = ("at", "actor", "role", "action", "outcome", "profile_id", "reason", "request_id")


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None
    action: str | None = None
    outcome: AuditOutcome | None = None
    profile_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def page(self, client: PortalClient, cursor: str | None, limit: int) -> Awaitable[AuditPage]:
        return client.audit(**asdict(self), cursor=cursor, limit=limit)


class DateProblem(ValueError):
    """A date filter the portal cannot be asked: the message is for the supervisor."""


def local_day_start(day: date) -> datetime:
    """Midnight of ``day`` in the machine's time zone (with that day's offset, summer or not)."""
    return datetime(day.year, day.month, day.day).astimezone()


def parse_day(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if _DAY.fullmatch(text) is None:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise DateProblem(
            _("“{field}” must be a date written YYYY-MM-DD, such as 2026-11-23.").format(
                field=field
            )
        ) from None


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (CSV injection) is made plain text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def csv_row(event: AuditEvent) -> list[str]:
    return [
        neutralise(cell)
        for cell in (
            event.at.astimezone(UTC).isoformat(),
            event.actor,
            event.role or "",
            event.action,
            event.outcome,
            event.profile_id or "",
            event.reason or "",
            event.request_id,
        )
    ]


def write_csv(folder: Path, name: str, audit_events: Iterable[AuditEvent]) -> Path:
    """Writes the events beside ``folder / name`` and renames the file into place (blocking)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    stem, number = target.stem, 1
    while target.exists():
        number += 1
        target = folder / f"{stem}-{number}.csv"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".audit-", suffix=".csv.part")
    try:
        # utf-8-sig: a spreadsheet opening it reads the agents' accents right.
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(csv_row(event) for event in audit_events)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def shortened(text: str, width: int) -> str:
    text = " ".join(text.split())  # a typed reason may hold line breaks
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def local_moment(moment: datetime) -> str:
    """The same in every language, to the second, sortable: ``2026-11-23 13:32:05``."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _date_input() -> Input:
    return Input(placeholder=_("YYYY-MM-DD"), restrict=r"[0-9-]*", max_length=10)


class AuditTable(DataTable[str | Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _l("Open profile"), id="audit.open"),
        # A list's Home and End go to its first and last rows (a DataTable's scroll sideways).
        Binding("home", "scroll_top", _l("Newest event"), id="audit.newest", show=False),
        Binding("end", "scroll_bottom", _l("Oldest event loaded"), id="audit.oldest", show=False),
    ]


class AuditScreen(ConsoleScreen, Screen[None]):
    CSS_PATH: ClassVar = ["../styles/lists.tcss", "../styles/audit.tcss"]
    AUTO_FOCUS = "#audit-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash,ctrl+f", "focus_filters", _l("Filters"), id="audit.filters"),
        Binding("escape", "focus_table", _l("Back to the events"), id="audit.events"),
        Binding("ctrl+e", "export", _l("Export CSV"), id="audit.export"),
        Binding("f5", "reload", _l("Refresh"), id="audit.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[AuditEvent] = []
        self.filters = AuditFilters()
        self._next_cursor: str | None = None
        self._loading_cursor: str | None = None
        self._problem: str | None = None
        self.loads = 0
        """How many answers the screen has shown (tests wait for the next one)."""
        self.exports = 0
        """How many exports have ended, written or not (tests wait for the next one)."""

    # --- composing ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Static(_("Audit trail"), id="list-title", markup=False)
        labels = self._labels()
        with Grid(id="audit-filters"):
            for name, field in (
                ("actor", Input(placeholder=_("Any agent"))),
                ("action", Select[str](self._action_options(), prompt=_("Any action"))),
                ("outcome", Select[str](self._outcome_options(), prompt=_("Any outcome"))),
                ("profile", Input(placeholder=_("Any profile"))),
                ("since", _date_input()),
                ("until", _date_input()),
            ):
                field.id, field.compact = f"filter-{name}", True
                yield Vertical(
                    Label(labels[name], id=f"label-{name}"), field, classes="audit-filter"
                )
        yield Static(_("Loading…"), id="list-state", markup=False)
        yield AuditTable(
            id="audit-table", classes="list-table", cursor_type="row", zebra_stripes=True
        )
        yield Static("", id="audit-detail", markup=False)
        yield KeyFooter()

    @staticmethod
    def _labels() -> dict[str, str]:
        return {
            "actor": _("Agent"),
            "action": _("Action"),
            "outcome": _("Outcome"),
            "profile": _("Profile"),
            "since": _("From"),
            "until": _("To"),
        }

    @staticmethod
    def _action_options() -> list[tuple[str, str]]:
        return [(audit_action_label(action), action) for action in ACTIONS]

    @staticmethod
    def _outcome_options() -> list[tuple[str, str]]:
        return [(audit_outcome_label(outcome), outcome) for outcome in OUTCOMES]

    def on_mount(self) -> None:
        self._set_columns()
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def _set_columns(self) -> None:
        table = self.query_one(AuditTable)
        table.clear(columns=True)
        table.add_column(_("When"), key="at")
        table.add_column(_("Agent"), key="actor")
        table.add_column(_("Action"), key="action")
        table.add_column(_("Outcome"), key="outcome")
        table.add_column(_("Reason"), key="reason")
        table.add_column(_("Profile"), key="profile")

    def translate(self) -> None:
        self.refresh_bindings()
        self.query_one("#list-title", Static).update(_("Audit trail"))
        for name, text in self._labels().items():
            self.query_one(f"#label-{name}", Label).update(text)
        self.query_one("#filter-actor", Input).placeholder = _("Any agent")
        self.query_one("#filter-profile", Input).placeholder = _("Any profile")
        for name in ("since", "until"):
            self.query_one(f"#filter-{name}", Input).placeholder = _("YYYY-MM-DD")
        for name, options, prompt in (
            ("action", self._action_options(), _("Any action")),
            ("outcome", self._outcome_options(), _("Any outcome")),
        ):
            select: Select[str] = self.query_one(f"#filter-{name}", Select)
            value = select.value
            with select.prevent(Select.Changed):
                select.prompt = prompt
                select.set_options(options)
                select.value = value
        row = self.query_one(AuditTable).cursor_row
        self._set_columns()
        self._add_rows(self.events)
        self.query_one(AuditTable).move_cursor(row=row)
        self._show_state()
        self._show_detail()

    # --- filters ------------------------------------------------------------------------------

    def action_focus_filters(self) -> None:
        self.query_one("#filter-actor", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(AuditTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        in_filters = self.focused is not None and not isinstance(self.focused, AuditTable)
        if action == "focus_table":
            return in_filters
        if action == "focus_filters":
            return not in_filters
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    @on(Input.Submitted, "#audit-filters Input")
    def _submitted(self) -> None:
        self.apply_filters()
        if self._problem is None:
            self.action_focus_table()

    @on(Input.Blurred, "#audit-filters Input")
    @on(Select.Changed, "#audit-filters Select")
    def _changed(self) -> None:
        self.apply_filters()

    def read_filters(self) -> AuditFilters:
        """The filters as the bar shows them (``DateProblem`` when a date cannot be read)."""

        def text(name: str) -> str | None:
            return self.query_one(f"#filter-{name}", Input).value.strip() or None

        def choice(name: str) -> str | None:
            value = self.query_one(f"#filter-{name}", Select).value
            return value if isinstance(value, str) else None

        since_input = self.query_one("#filter-since", Input)
        until_input = self.query_one("#filter-until", Input)
        since_input.remove_class("-invalid")
        until_input.remove_class("-invalid")
        try:
            first = parse_day(since_input.value, self._labels()["since"])
        except DateProblem:
            since_input.add_class("-invalid")
            raise
        try:
            last = parse_day(until_input.value, self._labels()["until"])
        except DateProblem:
            until_input.add_class("-invalid")
            raise
        if first is not None and last is not None and first > last:
            until_input.add_class("-invalid")
            raise DateProblem(_("“To” comes before “From”: no event can match."))
        chosen = choice("outcome")
        return AuditFilters(
            actor=text("actor"),
            action=choice("action"),
            outcome=next((outcome for outcome in OUTCOMES if outcome == chosen), None),
            profile_id=text("profile"),
            since=local_day_start(first) if first else None,
            until=local_day_start(last + timedelta(days=1)) if last else None,
        )

    def apply_filters(self, *, again: bool = False) -> bool:
        """Reads the bar; new filters (or ``again``) reload from the first page. False when a
        date is wrong."""
        try:
            filters = self.read_filters()
        except DateProblem as problem:
            self._problem = str(problem)
            # Nothing is sent, and what is on screen no longer matches the bar.
            self.workers.cancel_group(self, "audit")
            self._next_cursor = None
            self.events = []
            self.query_one(AuditTable).clear()
            self._show_state()
            self._show_detail()
            return False
        was_wrong, self._problem = self._problem is not None, None
        if filters != self.filters or was_wrong or again:
            self.filters = filters
            self.reload()
        return True

    # --- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.apply_filters(again=True)

    def reload(self) -> None:
        self._next_cursor = None  # no page of the previous filters may follow
        self._load(None)

    @work(exclusive=True, exit_on_error=False, group="audit")
    async def _load(self, cursor: str | None) -> None:
        state = self.query_one("#list-state", Static)
        self._loading_cursor = cursor
        page = await self.call_portal(
            self.filters.page(self.helpdesk.client, cursor, PAGE), status=state
        )
        self._loading_cursor = None
        if page is None:
            return
        if cursor is None:
            self.events = []
            self._set_columns()  # as wide as the new events need, no wider
            new = page.items
        else:
            known = {event.id for event in self.events}
            new = [event for event in page.items if event.id not in known]
        self.events += new
        self._next_cursor = page.next_cursor
        self._add_rows(new)
        self._show_state()
        self._show_detail()
        self.loads += 1

    @on(DataTable.RowHighlighted, "#audit-table")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        cursor = self._next_cursor
        if (
            cursor
            and cursor != self._loading_cursor
            and event.cursor_row >= event.data_table.row_count - NEAR_THE_END
        ):
            self._load(cursor)

    # --- showing ------------------------------------------------------------------------------

    def _add_rows(self, audit_events: list[AuditEvent]) -> None:
        table = self.query_one(AuditTable)
        for event in audit_events:
            cells = (
                local_moment(event.at),
                event.actor,
                audit_action_label(event.action),
                audit_outcome_label(event.outcome),
                shortened(audit_reason_label(event.reason), REASON_WIDTH),
                event.profile_id or "—",
            )
            # Shown as written: a reason typed with "[/]" in it is not markup (it ended the console).
            table.add_row(*(Text(cell) for cell in cells), key=event.id)

    def _show_state(self) -> None:
        state = self.query_one("#list-state", Static)
        if self._problem is not None:
            state.update(self._problem)
            state.add_class("-error")
            return
        state.remove_class("-error")
        count = len(self.events)
        if count == 0:
            state.update(_("No event matches these filters."))
            return
        text = ngettext("{count} event.", "{count} events.", count).format(count=count)
        if self._next_cursor:
            text = ngettext(
                "{count} event shown; more load as you scroll.",
                "{count} events shown; more load as you scroll.",
                count,
            ).format(count=count)
        state.update(text)

    def _show_detail(self) -> None:
        """The highlighted event's role, whole reason and profile: the table cuts a long reason,
        and at 80 columns the last columns are off to the right."""
        event = self.selected
        parts: list[str] = []
        if event is not None:
            reason = " ".join(audit_reason_label(event.reason).split())
            parts = [role_label(event.role), reason]
            if event.profile_id:
                parts.append(_("Profile {profile_id}").format(profile_id=event.profile_id))
        self.query_one("#audit-detail", Static).update(" · ".join(part for part in parts if part))

    @property
    def selected(self) -> AuditEvent | None:
        table = self.query_one(AuditTable)
        if table.row_count == 0 or not 0 <= table.cursor_row < len(self.events):
            return None
        return self.events[table.cursor_row]

    # --- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#audit-table")
    def _open(self) -> None:
        selected = self.selected
        if selected is None:
            return
        if selected.profile_id is None:
            self.notify(_("This event names no profile."), severity="warning")
            return
        self.helpdesk.open_profile(selected.profile_id)

    def action_export(self) -> None:
        if not self.apply_filters():
            self.notify(_("Correct the dates first: nothing was exported."), severity="error")
            return
        if any(worker.group == "audit-export" for worker in self.workers if worker.is_running):
            self.notify(_("An export is already running."))
            return
        self.notify(_("Exporting the events that match the filters…"))
        self._export(self.filters)

    @work(exclusive=True, exit_on_error=False, group="audit-export")
    async def _export(self, f: AuditFilters) -> None:
        try:
            await self._write_export(f)
        finally:
            self.exports += 1

    async def _write_export(self, f: AuditFilters) -> None:
        found: list[AuditEvent] = []
        cursor: str | None = None
        while True:
            page = await self.call_portal(f.page(self.helpdesk.client, cursor, EXPORT_PAGE))
            if page is None:
                return  # already said; no file is written
            found += page.items
            cursor = page.next_cursor
            if cursor is None or len(found) >= EXPORT_CAP:
                break
        capped = len(found) > EXPORT_CAP or cursor is not None
        found = found[:EXPORT_CAP]
        name = "audit-" + self.helpdesk.clock.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        try:
            path = await asyncio.to_thread(
                write_csv, self.helpdesk.export_dir, name + ".csv", found
            )
        except OSError as error:
            self.notify(
                _("The export could not be written: {error}").format(error=error),
                severity="error",
                timeout=12,
            )
            return
        written = ngettext(
            "{count} event exported to {path}", "{count} events exported to {path}", len(found)
        ).format(count=len(found), path=path)
        if capped:
            written += "\n" + _(
                "Only the newest {cap} were exported: narrow the filters for the others."
            ).format(cap=format_decimal(EXPORT_CAP))
        self.notify(written, title=_("Export"), severity="warning" if capped else "information")

"""The search screen: find the caller's profile in a keystroke or two.

Search-as-you-type: each change of the query asks the portal at once, in one exclusive worker (a
request still in flight for the previous query is cancelled). The portal answers in a few
milliseconds, so a debounce would only make the agent wait. Every query gets a sequence number, and
an answer is shown only if it belongs to the latest query still in the box, so a slow answer to
"tre" can never overwrite the answer to "tremblay". The keystroke itself never waits on the network.

Each row tells namesakes apart: the recovery number's hint (``40••••63``, what the caller reads out
is enough to pick the row), the subtype of a non-personal account, and what the query matched when
it is not the name (a representative, an e-mail…). The columns come in the order an agent needs
them: at 80 columns the name, the hint, the kind and what matched stay on screen.

A session that expires while the agent types does not take them away from the box mid-word (the
rest of the name would land in the sign-in form): the screen says so, and Enter signs in again.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from helpdesk.api.errors import PortalError, PortalUnavailable, Unauthenticated
from helpdesk.api.models import ProfileSummary
from helpdesk.i18n import _, _l, format_time, ngettext
from screens.base import ConsoleScreen
from screens.errors import retry_line
from screens.profile import ProfileScreen
from screens.widgets.cells import PlainCell
from screens.widgets.footer import KeyFooter
from screens.widgets.header import HelpdeskHeader
from screens.widgets.labels import kind_label, language_label, subtype_label

RESULT_LIMIT = 50
# The portal's limit on a query.
MAX_QUERY_LENGTH = 100
# Long names and organisations are cut at this width, names shorter when the other columns need
# the room (never below NAME_WIDTH_MIN): at 120 columns every column stays on screen, at 80 the name,
# recovery number, kind and what matched, the city starting.
COLUMN_WIDTH = 36
NAME_WIDTH_MIN = 20
# Around the table: its margins (styles/search.tcss) and its vertical scroll bar.
TABLE_CHROME = 4
# Around the state line: its padding (styles/search.tcss).
STATE_LINE_CHROME = 4

SearchState = str  # "empty" | "loading" | "results" | "none" | "unreachable" | "expired"
STATES = ("empty", "loading", "results", "none", "unreachable", "expired")


class ResultsTable(DataTable[PlainCell]):
    """The results; Enter opens the profile under the cursor, Up on the first row goes back to the box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", _l("Open profile"), id="search.open"),
    ]

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.screen.query_one("#search-query", Input).focus()
            return
        super().action_cursor_up()


class SearchScreen(ConsoleScreen, Screen[None]):
    CSS_PATH = "../styles/search.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_results", _l("Results"), id="search.results", show=False),
        Binding("escape", "back_to_query", _l("Clear search"), id="search.clear"),
        Binding("f5", "retry", _l("Retry"), id="search.retry"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sequence = 0
        self._results: list[ProfileSummary] = []
        # Enter was pressed before the answer came: act on it once the answer is shown.
        self._enter_pending = False
        # The portal said the session has expired (state "expired"): Enter hands it to the app.
        self._expired: Unauthenticated | None = None
        self._unreachable: PortalUnavailable | None = None
        self._last_query = ""
        # The query last answered (results, none, unreachable) and how many answers have been
        # shown: tests wait for the count to grow, since searching the same query again must
        # wait for a new answer, not find the old one already there.
        self.answered_query: str | None = None
        self.answers_shown = 0
        self.state: SearchState = "empty"
        self._state_one_line = False

    # --- composition --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HelpdeskHeader()
        yield Input(
            id="search-query",
            max_length=MAX_QUERY_LENGTH,
            placeholder=_("Search: recovery number, user code, name, e-mail, phone, organisation"),
        )
        yield Static(id="search-state")
        yield ResultsTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self._show_state("empty")
        self.query_one("#search-query", Input).focus()

    def on_screen_resume(self) -> None:
        # Back from a profile: the query is kept but selected, so typing starts a new search
        # instead of appending to the old one, and Down still goes to the same results.
        box = self.query_one("#search-query", Input)
        box.focus()
        box.select_all()
        if self.state == "expired":
            # Signed in again: the query typed meanwhile gets its answer.
            self._search_now()

    @staticmethod
    def _columns() -> tuple[tuple[str, str], ...]:
        """Key and label of each column, in the order an agent needs them."""
        return (
            ("name", _("Name")),
            ("recovery_number", _("Recovery no.")),
            ("kind", _("Kind")),
            ("matched_on", _("Matched on")),
            ("city", _("City")),
            ("lock", _("Lock")),
            ("language", _("Language")),
            ("organisation", _("Organisation")),
        )

    def _set_columns(self, rows: list[tuple[str, ...]] | None = None) -> None:
        """Columns as wide as their widest cell, computed here rather than left to the table's
        measuring on idle, which a busy machine delays past the first frame of new results.
        Rows without their last cell (no organisation to show) leave that column out."""
        table = self.query_one(ResultsTable)
        table.clear(columns=True)
        count = len(rows[0]) if rows else len(self._columns()) - 1
        for index, (key, label) in enumerate(self._columns()[:count]):
            width = max([cell_len(label), *(cell_len(row[index]) for row in rows or [])])
            table.add_column(label, key=key, width=width)

    def _name_width(self, rows: list[tuple[str, ...]]) -> int:
        """As wide as the longest name (up to COLUMN_WIDTH) if the other columns leave the room."""
        room = self.size.width - TABLE_CHROME
        for index, (_key, label) in enumerate(self._columns()[1 : len(rows[0])], start=1):
            room -= 2 + max(cell_len(label), *(cell_len(row[index]) for row in rows))
        longest = max(cell_len(row[0]) for row in rows)
        return max(NAME_WIDTH_MIN, min(COLUMN_WIDTH, longest, room - 2))

    def on_resize(self) -> None:
        if self._results:
            table = self.query_one(ResultsTable)
            row = table.cursor_row
            self._fill_table(self._results)
            table.move_cursor(row=row)

    def translate(self) -> None:
        """The language changed (the app calls this): every text is rebuilt from the data."""
        self.query_one("#search-query", Input).placeholder = _(
            "Search: recovery number, user code, name, e-mail, phone, organisation"
        )
        self._set_columns()
        self._fill_table(self._results)
        self._show_state(self.state)

    # --- typing -------------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self.query_one("#search-query", Input).value.strip()

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        # An earlier Enter meant the earlier query.
        self._enter_pending = False
        if not event.value.strip():
            # Anything in flight now answers an older query.
            self._sequence += 1
            self.workers.cancel_group(self, "search")
            self._results = []
            self._fill_table([])
            self._show_state("empty")
            return
        self._search_now()

    @on(Input.Submitted, "#search-query")
    def _query_submitted(self) -> None:
        # A recovery number or user code typed and Enter: one keystroke to the profile. With
        # several results Enter only moves into the table, so a wrong row is never opened blind.
        if self.state == "loading":
            # The agent did not wait for the answer: act on Enter when it arrives.
            self._enter_pending = True
            return
        self._act_on_enter()

    def _act_on_enter(self) -> None:
        self._enter_pending = False
        if self.state == "expired" and self._expired is not None:
            self.helpdesk.report_error(self._expired)  # sign in again, then back here
        elif len(self._results) == 1:
            self.app.push_screen(ProfileScreen(self._results[0].id))
        else:
            self.action_focus_results()

    def _search_now(self) -> None:
        query = self.query_text
        if not query:
            return
        self._sequence += 1
        self._last_query = query
        self._show_state("loading")
        self._search(query, self._sequence)

    @work(exclusive=True, exit_on_error=False, group="search", description="search profiles")
    async def _search(self, query: str, sequence: int) -> None:
        try:
            results = await self.helpdesk.client.search_profiles(query, limit=RESULT_LIMIT)
        except PortalUnavailable as error:
            if sequence == self._sequence:
                self._unreachable = error
                self._show_state("unreachable")
                self._answered(query)
            return
        except Unauthenticated as error:
            if sequence == self._sequence:
                self._expired = error
                self._show_state("expired")
                self._answered(query)
                if self._enter_pending:
                    self._act_on_enter()
            return
        except PortalError as error:
            if sequence == self._sequence:
                self._show_state("empty")
                self.helpdesk.report_error(error)
                self._answered(query)
            return
        self.apply_results(query, sequence, results)

    def apply_results(self, query: str, sequence: int, results: list[ProfileSummary]) -> bool:
        """Shows an answer unless a newer query has been typed since; says whether it was shown."""
        if sequence != self._sequence or query != self.query_text:
            return False
        self._results = results
        # Shown before it is filled: a hidden table does not measure its new rows.
        self._show_state("results" if results else "none")
        self._fill_table(results)
        self._answered(query)
        if self._enter_pending:
            self._act_on_enter()
        return True

    def _answered(self, query: str) -> None:
        self.answered_query = query
        self.answers_shown += 1

    # --- display ------------------------------------------------------------------------------

    def _fill_table(self, results: list[ProfileSummary]) -> None:
        now = self.helpdesk.clock.now()
        rows = [self._row(summary, now) for summary in results]
        if not any(row[-1] for row in rows):
            rows = [row[:-1] for row in rows]  # no organisation besides the names: no column
        if rows:
            width = self._name_width(rows)
            rows = [(shorten(row[0], width), *row[1:]) for row in rows]
        self._set_columns(rows)
        table = self.query_one(ResultsTable)
        for summary, row in zip(results, rows, strict=True):
            # Shown as written (a name with "[/]" in it is not markup), and drawn in one step.
            table.add_row(*(PlainCell(cell) for cell in row), key=summary.id)

    @staticmethod
    def _row(summary: ProfileSummary, now: datetime) -> tuple[str, ...]:
        organisation = summary.organisation_name or ""
        if organisation == summary.display_name:
            # A non-personal account is named after its organisation: once is enough.
            organisation = ""
        return (
            summary.display_name,
            summary.recovery_number_hint,
            subtype_label(summary.subtype) or kind_label(summary.kind),
            matched_on_text(summary),
            summary.city or "",
            lock_text(summary.locked_until, now),
            language_label(summary.preferred_language),
            shorten(organisation),
        )

    def _show_state(self, state: SearchState) -> None:
        state_line = self.query_one("#search-state", Static)
        if state != "loading":
            # "loading" keeps what is on screen (the last answer): a keystroke changes no style.
            # A new state restyles the state line alone, in one batch; a class on the screen
            # restyled every widget on it, header and footer included (25 ms of the last key's
            # answer on a busy machine). The table is shown or hidden without a restyle.
            state_line.update_classes({f"-{name}": name == state for name in STATES})
            self.query_one(ResultsTable).display = state == "results"
        retry_was_offered = self.state == "unreachable"
        self.state = state
        if (state == "unreachable") != retry_was_offered:
            self.refresh_bindings()  # F5 comes or goes; the footer is rebuilt only then
        text = self._state_text(state)
        # One line before and after: the screen's layout stays as it is. A layout pass re-renders
        # every widget, the results table too, and each key typed changes this line.
        one_line = cell_len(text) <= self.size.width - STATE_LINE_CHROME
        layout = not (one_line and self._state_one_line)
        self._state_one_line = one_line
        state_line.update(text, layout=layout)

    def _state_text(self, state: SearchState) -> str:
        query = self._last_query
        if state == "loading":
            return _("Searching for “{query}”…").format(query=query)
        if state == "results":
            count = len(self._results)
            return ngettext(
                "{count} profile for “{query}” — ↓ to choose, Enter to open.",
                "{count} profiles for “{query}” — ↓ to choose, Enter to open.",
                count,
            ).format(count=count, query=query)
        if state == "none":
            return _(
                "No profile matches “{query}”. Check the spelling, or search by another detail: "
                "recovery number, user code, name, e-mail, phone or organisation."
            ).format(query=query)
        if state == "unreachable":
            return retry_line(
                self._unreachable or PortalUnavailable(), self.key_for("search.retry")
            )
        if state == "expired":
            return _("Your session has expired. Press Enter to sign in again.")
        return _(
            "Type to find the caller's profile by recovery number, user code, name, "
            "e-mail, phone number or organisation."
        )

    # --- actions ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.state == "unreachable"
        return True

    def action_focus_results(self) -> None:
        table = self.query_one(ResultsTable)
        if table.row_count:
            table.focus()

    def action_back_to_query(self) -> None:
        box = self.query_one("#search-query", Input)
        if box.has_focus:
            box.value = ""
        else:
            box.focus()

    def action_retry(self) -> None:
        self._search_now()

    @on(DataTable.RowSelected, "#search-results")
    def _open_profile(self, event: DataTable.RowSelected) -> None:
        profile_id = event.row_key.value
        if profile_id is None:
            return
        self.app.push_screen(ProfileScreen(profile_id))


def shorten(text: str, width: int = COLUMN_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def matched_on_text(summary: ProfileSummary) -> str:
    """What the query matched, when it is not the name the row shows (then it goes without saying)."""
    matched = summary.matched_on
    if matched == "holder_name" or (
        matched == "organisation_name" and summary.organisation_name == summary.display_name
    ):
        return ""
    labels = {
        "recovery_number": _("Recovery number"),
        "user_code": _("User code"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "representative_name": _("Representative"),
        "organisation_name": _("Organisation"),
    }
    return labels.get(matched, matched)


def lock_text(locked_until: datetime | None, now: datetime) -> str:
    if locked_until is None or locked_until <= now:
        return ""
    return _("locked until {time}").format(time=format_time(locked_until))

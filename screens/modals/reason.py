"""Asking for the words an action records, then doing the action: a reason (required) or a note.

The dialog says what will happen and to whom; typing the reason and pressing Enter (or the button
that names the action) is the agent's confirmation, Escape goes back with nothing done. What is
typed goes to the portal's audit trail, never anywhere else.

The texts are given as functions (``lambda: _("Unlock {name}?").format(...)``) so that F4 redraws
the dialog in the other language; the reason typed stays. ``unsent`` says what Ctrl+Q or Ctrl+O
would lose while something is typed (the app asks first).

``send(dialog, text)`` makes the portal call (through ``dialog.call_portal``, with
``status=dialog.problem``): the dialog stays open until it succeeds, so when the portal cannot be
reached the reason is still there for Enter or F5 to send again. The dialog dismisses with what
``send`` returned, or ``None`` when the agent went back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from helpdesk.i18n import _, _l
from screens.base import ConsoleScreen
from screens.widgets.footer import KeyFooter

# The portal's limit on a reason or a note.
MAX_LENGTH = 500

T = TypeVar("T")
Words = str | Callable[[], str]
"""A text of the dialog: best a function that makes it in the language of the moment (a plain
string stays in the language it was made in)."""


def _say(words: Words) -> str:
    return words if isinstance(words, str) else words()


class ReasonScreen(ConsoleScreen, ModalScreen[T | None], Generic[T]):
    CSS_PATH = "../../styles/modals.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_back", _l("Go back"), id="reason.cancel"),
        Binding("f5", "go_ahead", _l("Send again"), id="reason.retry", show=False),
    ]

    def __init__(
        self,
        question: Words,
        details: Words,
        *,
        go_ahead: Words,
        label: Words,
        unsent: Words | None = None,
        send: Callable[[ReasonScreen[T], str], Awaitable[T | None]],
        required: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.details = details
        self.go_ahead = go_ahead
        self.label = label
        self.unsent = unsent
        self.send = send
        self.required = required
        self._sending = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reason-dialog"):
            yield Static(_say(self.question), id="reason-question", markup=False)
            yield Static(_say(self.details), id="reason-details", markup=False)
            yield Label(_say(self.label), id="reason-label", markup=False)
            yield Input(id="reason-input", max_length=MAX_LENGTH)
            yield Static("", id="reason-problem", markup=False)
            with Horizontal(id="reason-buttons"):
                yield Button(_say(self.go_ahead), id="reason-go-ahead", variant="primary")
                yield Button(_("Go back"), id="reason-back")
            yield KeyFooter()

    def translate(self) -> None:
        """F4: the same dialog in the other language, the reason typed kept where it is."""
        self.refresh_bindings()
        self.query_one("#reason-question", Static).update(_say(self.question))
        self.query_one("#reason-details", Static).update(_say(self.details))
        self.query_one("#reason-label", Label).update(_say(self.label))
        self.query_one("#reason-go-ahead", Button).label = _say(self.go_ahead)
        self.query_one("#reason-back", Button).label = _("Go back")

    def what_would_be_lost(self) -> str | None:
        """The app asks before quitting or signing out (``screens.modals.confirm``)."""
        if self.unsent is None or not self.query_one("#reason-input", Input).value.strip():
            return None
        return _say(self.unsent)

    @property
    def problem(self) -> Static:
        """The line under the input where the dialog (and ``send``) say what went wrong."""
        return self.query_one("#reason-problem", Static)

    def on_mount(self) -> None:
        self.query_one("#reason-input", Input).focus()

    @on(Input.Submitted, "#reason-input")
    @on(Button.Pressed, "#reason-go-ahead")
    def action_go_ahead(self) -> None:
        if self._sending:
            return  # Enter again while the portal has it: wait for its answer, do not send twice
        text = self.query_one("#reason-input", Input).value.strip()
        if self.required and not text:
            self.problem.update(_("Type the reason first: it is kept in the audit trail."))
            self.problem.add_class("-error")
            self.query_one("#reason-input", Input).focus()
            return
        self._sending = True  # now: a second Enter may come before the worker starts
        self._send(text)

    @work(exclusive=True, exit_on_error=False, group="send")
    async def _send(self, text: str) -> None:
        button = self.query_one("#reason-go-ahead", Button)
        button.disabled = True
        self.problem.remove_class("-error")
        self.problem.update(_("Sending…"))
        try:
            result = await self.send(self, text)
        finally:
            button.disabled = False
            self._sending = False
        if result is None:
            if not self.problem.has_class("-error"):
                # Refused: the notification says why; the text stays for another try.
                self.problem.update("")
            return
        self.dismiss(result)

    @on(Button.Pressed, "#reason-back")
    def action_go_back(self) -> None:
        self.dismiss(None)

"""Asking before something the agent would lose: the question, what would be lost, two buttons.

The safe choice has the focus, so an Enter pressed out of habit keeps everything; Escape keeps
everything too. The dialog dismisses with ``True`` only when the agent chose to go ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from helpdesk.i18n import _, _l
from screens.base import ConsoleScreen
from screens.widgets.footer import KeyFooter


class ConfirmScreen(ConsoleScreen, ModalScreen[bool]):
    CSS_PATH = "../../styles/modals.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", _l("Go back"), id="confirm.cancel"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(
        self, question: str, details: str, *, go_ahead: str, keep: str, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.details = details
        self.go_ahead = go_ahead
        self.keep = keep

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(self.details, id="confirm-details", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.keep, id="confirm-keep", variant="primary")
                yield Button(self.go_ahead, id="confirm-go-ahead", variant="error")
            yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-keep", Button).focus()

    @on(Button.Pressed, "#confirm-go-ahead")
    def _go_ahead(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-keep")
    def action_keep(self) -> None:
        self.dismiss(False)


def what_would_be_lost(screens: Iterable[Screen[Any]]) -> list[str]:
    """What the agent would lose by leaving these screens, as each screen says it in its
    ``what_would_be_lost() -> str | None`` (answers typed, a verified caller)."""
    losses: list[str] = []
    for screen in screens:
        says = getattr(screen, "what_would_be_lost", None)
        loss = says() if callable(says) else None
        if loss:
            losses.append(loss)
    return losses


def ask_before_losing(
    app: App[Any],
    screens: Iterable[Screen[Any]],
    question: str,
    go_ahead: str,
    then: Callable[[], object],
    *,
    id: str,
) -> None:
    """Does ``then`` at once when none of ``screens`` (all of the app's, in every mode) would
    lose anything; otherwise asks first, saying what would be lost, and does it only if the agent
    goes ahead."""
    losses = what_would_be_lost(screens)
    if not losses:
        then()
        return

    def answered(go: bool | None) -> None:
        if go:
            then()

    details = "\n".join(losses)
    app.push_screen(
        ConfirmScreen(question, details, go_ahead=go_ahead, keep=_("Stay"), id=id), answered
    )

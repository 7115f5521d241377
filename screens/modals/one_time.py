"""A DFO access code, shown once, for the agent to read out to the caller.

The code comes large and grouped (``XXXX-XXXX-XXXX``), each character under its spelling
(``helpdesk.phonetic``: ICAO letters, digits in the language of the call, F4 switches), with its
expiry in local time and how far off it is, and where the portal told the account holder. ``c``
copies it to the clipboard. Closing the dialog forgets it: the widgets are emptied and the dialog
drops its only reference, so nothing of the code stays in the console (the portal keeps an HMAC
of it, never the code).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from helpdesk.api.models import IssuedAccessCode
from helpdesk.i18n import _, _l, current_language, format_datetime, format_duration
from helpdesk.phonetic import spell
from screens.base import ConsoleScreen
from screens.widgets.footer import KeyFooter


class AccessCodeScreen(ConsoleScreen, ModalScreen[None]):
    CSS_PATH = "../../styles/modals.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", _l("Done: forget the code"), id="code.close"),
        Binding("c", "copy", _l("Copy"), id="code.copy"),
    ]

    def __init__(self, issued: IssuedAccessCode, name: str, notice: str) -> None:
        super().__init__(id="access-code")
        self._issued: IssuedAccessCode | None = issued
        self.name_ = name
        self.notice = notice

    def compose(self) -> ComposeResult:
        issued = self._issued
        with VerticalScroll(id="code-dialog"):
            yield Static(
                _("DFO access code for {name}").format(name=self.name_),
                id="code-title",
                markup=False,
            )
            if issued is None:
                return
            # Spaced out, large for a terminal: read from a glance, one group after another.
            spaced = "   ·   ".join(" ".join(group) for group in issued.code.split("-"))
            yield Static(spaced, id="code-value", markup=False)
            with Horizontal(id="code-spelling"):
                for group in spell(issued.code, current_language()):
                    with Vertical(classes="code-group"):
                        for item in group:
                            yield Static(
                                f"{item.character}  {item.word}",
                                classes="code-letter",
                                markup=False,
                            )
            now = self.helpdesk.clock.now()
            yield Static(
                _("Valid until {moment} (in {duration}), once.").format(
                    moment=format_datetime(issued.expires_at),
                    # "24 hours", as the portal's rule says it, not "1 day".
                    duration=format_duration(
                        (issued.expires_at - now).total_seconds(), granularity="minute", threshold=2
                    ),
                ),
                id="code-expiry",
                markup=False,
            )
            yield Static(
                _(
                    "Read it out now: it will not be shown again. Any code issued before it no "
                    "longer works."
                ),
                id="code-once",
                markup=False,
            )
            yield Static(self.notice, id="code-notice", markup=False)
            yield KeyFooter()

    def action_copy(self) -> None:
        if self._issued is not None:
            self.app.copy_to_clipboard(self._issued.code)
            self.notify(_("Copied to the clipboard."), timeout=3)

    def action_close(self) -> None:
        self._issued = None
        for widget in self.query("#code-value, .code-letter"):
            if isinstance(widget, Static):
                widget.update("")
        self.dismiss(None)

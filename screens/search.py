"""The search screen: find a caller's profile in a keystroke or two (placeholder until search lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input


class SearchScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="search-query")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()

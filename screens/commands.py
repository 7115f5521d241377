"""The command palette (Ctrl+P): every action of the current screen and of the app, by its name.

The hits are the active bindings of the screen the palette was opened on, so the palette always
offers what the footer and the F1 help screen show, in the current language. Textual's palette
writes its own words in English; ``HelpdeskCommandPalette`` puts them in the agent's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.widgets.option_list import Option

from helpdesk.i18n import _

HIDDEN_ACTIONS = {"command_palette", "app.command_palette", "help_quit", "app.help_quit"}


class HelpdeskCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, str, DOMNode, Binding]]:
        seen: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.action in HIDDEN_ACTIONS or not active.enabled:
                continue
            title = str(binding.description or "")
            if not title or binding.action in seen or (binding.id is None and not binding.show):
                continue
            seen.add(binding.action)
            yield title, self.app.get_key_display(binding) or key, active.node, binding

    def _run(self, node: DOMNode, action: str) -> None:
        self.app.call_later(self.app.run_action, action, node)

    async def discover(self) -> Hits:
        for title, key, node, binding in sorted(self._commands(), key=lambda item: item[0]):
            yield DiscoveryHit(
                title,
                partial(self._run, node, binding.action),
                help=_("Key: {key}").format(key=key),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key, node, binding in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._run, node, binding.action),
                    text=title,
                    help=_("Key: {key}").format(key=key),
                )


class HelpdeskCommandPalette(CommandPalette):
    """Textual's palette with its placeholder and its "No matches found" in the agent's language."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, placeholder=_("Search for commands…"))

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, but for its English text (textual 8.2: the words are in the method).
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

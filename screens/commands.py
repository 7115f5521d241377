"""The command palette (Ctrl+P): every action of the current screen and of the app, by its name.

The hits are the active bindings of the screen the palette was opened on, so the palette always
offers what the footer and the F1 help screen show, in the current language.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

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

"""The footer of the console's screens: Textual's, except that a key that does not fit whole is left
out instead of being cut in the middle of a word ("^o S▏").

The keys come in the order of the bindings: the screen's own first, most needed first, then the
app's (``screens/app.py``). An 80-column terminal has room for the first few; the others stay a
key press away, listed by F1 help and the command palette. So F1 itself is never left out: its room
is kept, as the palette's is, whatever the screen's own keys.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# The palette's key at the right end: its left border and right padding (Textual's footer CSS).
PALETTE_KEY_FRAME = 2


class KeyFooter(Footer):
    _shown: tuple[object, ...] | None = None

    async def recompose(self) -> None:
        # Textual composes the footer again (every key a new widget, styled and laid out) each
        # time a screen refreshes its bindings, which the console's screens do on every change of
        # state: a dozen times before the sign-in screen's first frame, several times per profile
        # opened. Composed again only when what it shows changed.
        if not self.is_attached or self._pruning:
            return  # as Textual's: removed before its turn came
        shown = self._what_it_shows()
        if shown == self._shown:
            return
        await super().recompose()
        self._shown = shown
        self.fit_keys()

    def _what_it_shows(self) -> tuple[object, ...]:
        """What ``Footer.compose`` makes the keys of, in the current language."""
        if not self._bindings_ready:
            return (False,)
        return (
            True,
            self.show_command_palette,
            self.app.ENABLE_COMMAND_PALETTE,
            self.app.COMMAND_PALETTE_BINDING,
            *(
                (
                    key,
                    binding.key,
                    self.app.get_key_display(binding),
                    str(binding.description),
                    binding.action,
                    binding.show,
                    binding.group,
                    str(binding.tooltip),
                    enabled,
                    str(tooltip),
                )
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            ),
        )

    def on_resize(self) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Shows the keys, in order, as long as each one fits whole; hides the rest."""
        keys = list(self.query_children(FooterKey))
        room = self.size.width
        for key in keys:
            if key.has_class("-command-palette"):
                room -= _width(key) + PALETTE_KEY_FRAME
            elif _is_help(key):
                room -= _width(key)
        fits = True
        for key in keys:
            if key.has_class("-command-palette") or _is_help(key):
                continue
            width = _width(key)
            fits = fits and width <= room
            key.display = fits
            if fits:
                room -= width


def _is_help(key: FooterKey) -> bool:
    return key.action in ("help", "app.help")


def _width(key: FooterKey) -> int:
    return cell_len(key.render().plain)

"""The yardstick of ``bench.startup``: a bare Textual app, one ``Static``, nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import Static

TEXT = "A bare Textual app: one Static."


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(TEXT)


if __name__ == "__main__":
    Bare().run()

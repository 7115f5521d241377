"""``helpdesk``: parse the arguments, load the settings, pick the language, start the console.

This module and ``helpdesk.__main__`` are the only ones under ``helpdesk/`` allowed to import the
Textual layer (``screens``), and they do so only once the arguments are parsed, so ``--help`` and
``--version`` answer without loading it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from helpdesk import __version__
from helpdesk.i18n import LANGUAGES, _, set_language

if TYPE_CHECKING:
    from helpdesk.config import Settings
    from helpdesk.embedded import EmbeddedPortal
    from screens.app import HelpdeskApp


def _early_language(argv: Sequence[str]) -> None:
    """The language for ``--help`` itself: ``--lang`` or ``HELPDESK_LANG``, before parsing."""
    language = os.environ.get("HELPDESK_LANG", "")
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            language = argv[index + 1]
        elif arg.startswith("--lang="):
            language = arg.split("=", 1)[1]
    if language in LANGUAGES:
        set_language(language)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="helpdesk",
        description=_(
            "Keyboard-first console for portal phone support. With no portal configured it "
            "starts the reference portal with demo data on this computer."
        ),
    )
    parser.add_argument(
        "--portal",
        metavar="URL",
        help=_(
            "the portal admin API to use (default: config.toml, HELPDESK_PORTAL_URL, or embedded)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_("the console's language (default: en, or HELPDESK_LANG)"),
    )
    parser.add_argument("--version", action="version", version=f"helpdesk {__version__}")
    return parser


def _nothing() -> None:
    pass


def _configuration_error(error: Exception) -> int:
    print(_("helpdesk: configuration error: {error}").format(error=error), file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    _early_language(args_list)
    args = build_parser().parse_args(args_list)

    from helpdesk.config import ConfigError, load_settings

    try:
        settings = load_settings(portal_url=args.portal, language=args.lang)
    except ConfigError as exc:
        return _configuration_error(exc)
    set_language(settings.language)

    settings.paths.state_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=settings.paths.state_dir / "helpdesk.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    try:
        app, embedded = make_console(settings)  # checks the keymap
    except ConfigError as exc:
        return _configuration_error(exc)
    if sys.stdin.isatty():
        from helpdesk.terminal import end_when_the_terminal_hangs_up

        end_when_the_terminal_hangs_up(
            sys.stdin.fileno(), before_exit=embedded.stop if embedded is not None else _nothing
        )
    try:
        app.run()
    finally:
        if embedded is not None:
            embedded.stop()
    return app.return_code or 0


def make_console(settings: Settings) -> tuple[HelpdeskApp, EmbeddedPortal | None]:
    """The console as ``helpdesk`` runs it, and the embedded portal it starts (to stop after)."""
    from helpdesk.credentials import CredentialStore

    embedded = None
    locate_portal = None
    credentials = None
    if settings.embedded:
        from helpdesk.embedded import EmbeddedPortal

        embedded = EmbeddedPortal(settings.paths.embedded_database, settings.paths.embedded_log)
        locate_portal = embedded.start
        credentials = CredentialStore(settings.paths.state_file, portal_key=embedded.portal_key)

    from screens.app import build_app

    return build_app(settings, locate_portal=locate_portal, credentials=credentials), embedded

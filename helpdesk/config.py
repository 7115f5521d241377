"""The console's settings: a TOML file in the user config dir, then environment, then the command line.

``config.toml`` in the user config dir (``~/.config/helpdesk/config.toml`` on Linux, or under
``$XDG_CONFIG_HOME``; see ``Paths``)::

    portal_url = "https://portal.example.gc.ca"   # leave out to use the embedded portal
    language = "fr"                               # en | fr
    tls_verify = true                             # or the path of a CA bundle

Environment overrides: ``HELPDESK_PORTAL_URL``, ``HELPDESK_LANG``. The command line overrides both.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from helpdesk.i18n import DEFAULT_LANGUAGE, LANGUAGES

APP_NAME = "helpdesk"
ENV_PORTAL_URL = "HELPDESK_PORTAL_URL"
ENV_LANGUAGE = "HELPDESK_LANG"


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the setting and where it came from."""


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    state_dir: Path

    @classmethod
    def default(cls) -> Paths:
        # platformdirs honours XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_STATE_HOME on Linux.
        import platformdirs

        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME)),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def embedded_database(self) -> Path:
        return self.data_dir / "embedded-portal.sqlite3"

    @property
    def state_file(self) -> Path:
        """Non-secret memory between runs: the last username per portal (never a token)."""
        return self.state_dir / "state.json"

    @property
    def embedded_log(self) -> Path:
        return self.state_dir / "embedded-portal.log"


@dataclass(frozen=True)
class Settings:
    portal_url: str | None = None
    """The portal admin API's base URL; ``None`` runs the embedded reference portal."""
    language: str = DEFAULT_LANGUAGE
    tls_verify: bool | str = True
    paths: Paths = field(default_factory=Paths.default)

    @property
    def embedded(self) -> bool:
        return self.portal_url is None


def _check_url(url: str, origin: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{origin}: {url!r} is not an http(s) URL")
    return url.rstrip("/")


def _check_language(language: str, origin: str) -> str:
    if language not in LANGUAGES:
        raise ConfigError(f"{origin}: language {language!r} is not one of {', '.join(LANGUAGES)}")
    return language


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def load_settings(
    *,
    portal_url: str | None = None,
    language: str | None = None,
    environ: Mapping[str, str] | None = None,
    paths: Paths | None = None,
) -> Settings:
    """Settings from the config file, overridden by the environment, overridden by the arguments."""
    environ = os.environ if environ is None else environ
    paths = paths or Paths.default()
    file_values = _read_file(paths.config_file)
    unknown = set(file_values) - {"portal_url", "language", "tls_verify"}
    if unknown:
        raise ConfigError(f"{paths.config_file}: unknown setting(s) {', '.join(sorted(unknown))}")

    url: str | None = None
    if isinstance(file_values.get("portal_url"), str) and file_values["portal_url"]:
        url = _check_url(file_values["portal_url"], str(paths.config_file))
    if environ.get(ENV_PORTAL_URL):
        url = _check_url(environ[ENV_PORTAL_URL], ENV_PORTAL_URL)
    if portal_url:
        url = _check_url(portal_url, "--portal")

    lang = DEFAULT_LANGUAGE
    if "language" in file_values:
        lang = _check_language(str(file_values["language"]), str(paths.config_file))
    if environ.get(ENV_LANGUAGE):
        lang = _check_language(environ[ENV_LANGUAGE], ENV_LANGUAGE)
    if language:
        lang = _check_language(language, "--lang")

    tls_verify = file_values.get("tls_verify", True)
    if not isinstance(tls_verify, bool | str):
        raise ConfigError(
            f"{paths.config_file}: tls_verify must be true, false or a CA bundle path"
        )

    return Settings(portal_url=url, language=lang, tls_verify=tls_verify, paths=paths)

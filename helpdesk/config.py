"""The console's settings: a TOML file in the user config dir, then environment, then the command line.

``config.toml`` in the user config dir (``~/.config/helpdesk/config.toml`` on Linux, or under
``$XDG_CONFIG_HOME``; see ``Paths``)::

    portal_url = "https://portal.example.gc.ca"   # leave out to use the embedded portal
    language = "fr"                               # en | fr
    tls_verify = true                             # or the path of a CA bundle
    idle_lock_minutes = 10                        # shared terminals: sign out after this idle

    [keymap]                                      # binding id = key(s), comma-separated
    "search.clear" = "ctrl+l"
    new_call = "f2"

Environment overrides: ``HELPDESK_PORTAL_URL``, ``HELPDESK_LANG``. The command line overrides both.

``Settings`` is a pydantic-settings model: constructing it reads those sources, in that order, for
every setting it is not given. Each source is checked on its own before they are merged, so a bad
value is reported with the place it came from, even when a later source overrides it. The keymap
is checked for its shape here; which binding ids exist and which keys a terminal sends is the
console's knowledge (``screens.keymap``), checked when the app is built.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from helpdesk.i18n import DEFAULT_LANGUAGE, LANGUAGES

APP_NAME = "helpdesk"
ENV_PORTAL_URL = "HELPDESK_PORTAL_URL"
ENV_LANGUAGE = "HELPDESK_LANG"
COMMAND_LINE_OPTIONS: Mapping[str, str] = {"portal_url": "--portal", "language": "--lang"}


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


class SettingValues(BaseModel):
    """What each setting may be. A plain model, so that one source's values can be checked alone
    (``Settings`` itself reads every source whenever it is validated)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    portal_url: str | None = None
    """The portal admin API's base URL; ``None`` runs the embedded reference portal."""
    language: str = DEFAULT_LANGUAGE
    tls_verify: bool | str = True
    """Verify the portal's certificate (``true``), not at all (``false``), or with this CA bundle."""
    idle_lock_minutes: int = Field(default=10, ge=1, le=1440)
    """After this long without a key or a click the console signs out and forgets the call."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id → key(s), comma-separated: ``{"search.clear": "ctrl+l"}``."""

    @field_validator("portal_url", mode="before")
    @classmethod
    def _http_url(cls, url: object) -> object:
        if url == "":
            return None  # an empty URL means "no portal configured"
        if not isinstance(url, str):
            return url  # the type check says what is wrong
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url.rstrip("/")

    @field_validator("language")
    @classmethod
    def _known_language(cls, language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"{language!r} is not one of {', '.join(LANGUAGES)}")
        return language

    @field_validator("tls_verify", mode="before")
    @classmethod
    def _bool_or_bundle(cls, value: object) -> object:
        if not isinstance(value, bool | str):
            raise ValueError("must be true, false or a CA bundle path")
        return value

    @field_validator("keymap", mode="before")
    @classmethod
    def _binding_keys(cls, keymap: object) -> object:
        if not isinstance(keymap, Mapping):
            return keymap
        flat = _flatten(keymap)
        for binding_id, keys in flat.items():
            if not isinstance(keys, str) or not all(key.strip() for key in keys.split(",")):
                raise ValueError(
                    f"{binding_id!r} = {keys!r}: give the key(s) as a string, such as "
                    '"ctrl+l" or "f2,ctrl+n"'
                )
        return {binding_id: keys.replace(" ", "") for binding_id, keys in flat.items()}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``search.clear = "ctrl+l"`` without quotes is a nested table in TOML: the ids have dots."""
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def _checked(values: Mapping[str, Any], origin: Callable[[str], str]) -> dict[str, Any]:
    """``values`` once they pass ``SettingValues``; else a ``ConfigError`` naming their origin."""
    try:
        SettingValues.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        setting = ".".join(str(part) for part in error["loc"]) or "?"
        if error["type"] == "extra_forbidden":
            unknown = sorted(set(values) - set(SettingValues.model_fields))
            raise ConfigError(
                f"{origin(setting)}: unknown setting(s) {', '.join(unknown)}"
            ) from None
        cause = error.get("ctx", {}).get("error")
        message = str(cause) if isinstance(cause, ValueError) else error["msg"]
        raise ConfigError(f"{origin(setting)}: {setting}: {message}") from None
    return dict(values)


class ConfigFile(TomlConfigSettingsSource):
    """``config.toml``: the lowest of the sources."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        self.path = path
        try:
            super().__init__(settings_cls, toml_file=path)
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc

    def __call__(self) -> dict[str, Any]:
        return _checked(super().__call__(), lambda _setting: str(self.path))


class Environment(PydanticBaseSettingsSource):
    """The two documented variables only: ``HELPDESK_LANG`` is not ``HELPDESK_LANGUAGE``, and no
    other ``HELPDESK_*`` variable changes the console behind the agent's back. Empty is unset."""

    NAMES: ClassVar[Mapping[str, str]] = {"portal_url": ENV_PORTAL_URL, "language": ENV_LANGUAGE}

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self.environ = environ

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        name = self.NAMES.get(field_name)
        return (self.environ.get(name) if name else None), field_name, False

    def __call__(self) -> dict[str, Any]:
        values = {
            setting: self.environ[name]
            for setting, name in self.NAMES.items()
            if self.environ.get(name)
        }
        return _checked(values, lambda setting: self.NAMES.get(setting, "environment"))


class Settings(SettingValues, BaseSettings):
    """The console's settings. ``Settings(language="fr")`` reads the environment and the config
    file of ``paths`` (the user's, by default) for the rest; ``load_settings`` is the CLI's way in."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True, case_sensitive=True)

    paths: Paths = Field(default_factory=Paths.default, exclude=True)

    @property
    def embedded(self) -> bool:
        return self.portal_url is None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Highest first: what the model is given (the command line), the environment, the file."""
        given = init_settings.init_kwargs if isinstance(init_settings, InitSettingsSource) else {}
        paths = given.get("paths") or Paths.default()
        return (
            init_settings,
            Environment(settings_cls, os.environ),
            ConfigFile(settings_cls, paths.config_file),
        )


def load_settings(
    *,
    portal_url: str | None = None,
    language: str | None = None,
    paths: Paths | None = None,
) -> Settings:
    """Settings from the config file, overridden by the environment, overridden by the arguments."""
    given: dict[str, Any] = {
        setting: value
        for setting, value in (("portal_url", portal_url), ("language", language))
        if value
    }
    _checked(given, lambda setting: COMMAND_LINE_OPTIONS.get(setting, "command line"))
    return Settings(**given, paths=paths or Paths.default())

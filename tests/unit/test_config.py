from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.config import ConfigError, Paths, load_settings


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "data", tmp_path / "state")


def write_config(paths: Paths, text: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")


def test_defaults_use_the_embedded_portal_in_english(paths: Paths) -> None:
    settings = load_settings(environ={}, paths=paths)
    assert settings.portal_url is None and settings.embedded
    assert settings.language == "en"
    assert settings.tls_verify is True


def test_the_file_then_the_environment_then_the_arguments(paths: Paths) -> None:
    write_config(paths, 'portal_url = "https://file.example/"\nlanguage = "fr"\n')
    from_file = load_settings(environ={}, paths=paths)
    assert (from_file.portal_url, from_file.language) == ("https://file.example", "fr")

    environ = {"HELPDESK_PORTAL_URL": "https://env.example", "HELPDESK_LANG": "en"}
    from_env = load_settings(environ=environ, paths=paths)
    assert (from_env.portal_url, from_env.language) == ("https://env.example", "en")

    from_args = load_settings(
        portal_url="http://127.0.0.1:9000", language="fr", environ=environ, paths=paths
    )
    assert (from_args.portal_url, from_args.language) == ("http://127.0.0.1:9000", "fr")
    assert not from_args.embedded


@pytest.mark.parametrize(
    ("text", "environ", "named"),
    [
        ('language = "de"\n', {}, "config.toml"),
        ('portal_url = "ftp://x"\n', {}, "config.toml"),
        ("portal_url = [\n", {}, "config.toml"),
        ('colour = "red"\n', {}, "colour"),
        ("", {"HELPDESK_LANG": "es"}, "HELPDESK_LANG"),
        ("", {"HELPDESK_PORTAL_URL": "not a url"}, "HELPDESK_PORTAL_URL"),
    ],
)
def test_bad_settings_are_named(
    paths: Paths, text: str, environ: dict[str, str], named: str
) -> None:
    write_config(paths, text)
    with pytest.raises(ConfigError, match=named):
        load_settings(environ=environ, paths=paths)


def test_paths_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "dat"))
    paths = Paths.default()
    assert paths.config_file == tmp_path / "cfg" / "helpdesk" / "config.toml"
    assert paths.embedded_database.parent == tmp_path / "dat" / "helpdesk"

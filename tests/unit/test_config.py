from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk import cli
from helpdesk.config import ConfigError, Paths, Settings, load_settings


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "data", tmp_path / "state")


@pytest.fixture(autouse=True)
def no_helpdesk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HELPDESK_PORTAL_URL", "HELPDESK_LANG"):
        monkeypatch.delenv(name, raising=False)


def write_config(paths: Paths, text: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")


def test_defaults_use_the_embedded_portal_in_english(paths: Paths) -> None:
    settings = load_settings(paths=paths)
    assert settings.portal_url is None and settings.embedded
    assert settings.language == "en"
    assert settings.tls_verify is True
    assert settings.keymap == {}
    assert settings.paths == paths


def test_the_file_then_the_environment_then_the_arguments(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(paths, 'portal_url = "https://file.example/"\nlanguage = "fr"\n')
    from_file = load_settings(paths=paths)
    assert (from_file.portal_url, from_file.language) == ("https://file.example", "fr")

    monkeypatch.setenv("HELPDESK_PORTAL_URL", "https://env.example")
    monkeypatch.setenv("HELPDESK_LANG", "en")
    from_env = load_settings(paths=paths)
    assert (from_env.portal_url, from_env.language) == ("https://env.example", "en")

    from_args = load_settings(portal_url="http://127.0.0.1:9000", language="fr", paths=paths)
    assert (from_args.portal_url, from_args.language) == ("http://127.0.0.1:9000", "fr")
    assert not from_args.embedded


def test_an_empty_variable_is_unset(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(paths, 'portal_url = "https://file.example"\n')
    monkeypatch.setenv("HELPDESK_PORTAL_URL", "")
    assert load_settings(paths=paths).portal_url == "https://file.example"


def test_the_model_reads_the_same_sources(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Settings(...)`` is what ``load_settings`` builds: what it is given wins."""
    write_config(paths, 'language = "fr"\ntls_verify = "/etc/ssl/bundle.pem"\n')
    monkeypatch.setenv("HELPDESK_PORTAL_URL", "https://env.example")
    settings = Settings(language="en", paths=paths)
    assert (settings.portal_url, settings.language) == ("https://env.example", "en")
    assert settings.tls_verify == "/etc/ssl/bundle.pem"


def test_keymap_from_the_file(paths: Paths) -> None:
    write_config(
        paths,
        "[keymap]\n"
        '"search.clear" = "ctrl+l"\n'
        'new_call = "f2, ctrl+n"\n'
        'profile.verify = "w"\n',  # unquoted: a dotted key, a nested table in TOML
    )
    assert load_settings(paths=paths).keymap == {
        "search.clear": "ctrl+l",
        "new_call": "f2,ctrl+n",
        "profile.verify": "w",
    }


@pytest.mark.parametrize(
    ("text", "environ", "named"),
    [
        ('language = "de"\n', {}, "config.toml: language: 'de' is not one of en, fr"),
        ('portal_url = "ftp://x"\n', {}, "config.toml: portal_url: 'ftp://x' is not"),
        ("portal_url = [\n", {}, "config.toml"),
        ('colour = "red"\n', {}, "config.toml: unknown setting.* colour"),
        ("tls_verify = 3\n", {}, "config.toml: tls_verify: must be true, false or a CA bundle"),
        ("[keymap]\nquit = 3\n", {}, "config.toml: keymap: 'quit' = 3"),
        ('[keymap]\nquit = "ctrl+q,"\n', {}, "config.toml: keymap: 'quit'"),
        ("", {"HELPDESK_LANG": "es"}, "HELPDESK_LANG: language: 'es'"),
        ("", {"HELPDESK_PORTAL_URL": "not a url"}, "HELPDESK_PORTAL_URL: portal_url"),
        # A bad file is reported even where the environment would override it.
        ('language = "de"\n', {"HELPDESK_LANG": "fr"}, "config.toml: language"),
    ],
)
def test_bad_settings_are_named(
    paths: Paths,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    environ: dict[str, str],
    named: str,
) -> None:
    write_config(paths, text)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=named):
        load_settings(paths=paths)


@pytest.mark.parametrize(
    ("portal_url", "language", "named"),
    [("gopher://x", None, "--portal: portal_url"), (None, "de", "--lang: language")],
)
def test_bad_arguments_are_named(
    paths: Paths, portal_url: str | None, language: str | None, named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(portal_url=portal_url, language=language, paths=paths)


@pytest.mark.parametrize(
    ("keymap", "named"),
    [
        ('"search.clr" = "ctrl+l"', "'search.clr': no binding has this id"),
        ('"search.clear" = "ctrl+banana+x"', "'search.clear' = 'ctrl+banana+x': not a key"),
        ('quit = "F5"', "did you mean 'f5'"),
        ('"search.clear" = "f5"', "'search.clear' and 'search.retry' both on 'f5'"),
        ('"search.clear" = "f1"', "'help' is tried first on every screen"),
        ('help = "?"', "'help' = '?': this key types a character"),
    ],
)
def test_a_keymap_the_console_cannot_use_stops_it_at_start(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    keymap: str,
    named: str,
) -> None:
    """The CLI's path: the message, the config file's name, no traceback, exit status 2."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "dat"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    write_config(Paths.default(), f"[keymap]\n{keymap}\n")
    assert cli.main(["--lang", "en"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("helpdesk: configuration error: ")
    assert str(Paths.default().config_file) in error
    assert "Traceback" not in error
    assert named in error, error


def test_paths_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "dat"))
    paths = Paths.default()
    assert paths.config_file == tmp_path / "cfg" / "helpdesk" / "config.toml"
    assert paths.embedded_database.parent == tmp_path / "dat" / "helpdesk"

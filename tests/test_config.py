"""Settings are declared once, parsed strictly, fail naming the key, create local secrets, match the README."""

import re
import types
from dataclasses import fields
from pathlib import Path
from typing import get_args, get_origin, get_type_hints

import pytest

from hotline.config import KEYS, ConfigError, Settings, configuration_table, parse_bool, parse_path, parse_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("Yes", True), ("on", True),
     ("false", False), ("0", False), ("no", False), ("OFF", False)],
)
def test_bool_parser_accepts_usual_spellings(raw, expected):
    assert parse_bool("X", raw) is expected


@pytest.mark.parametrize("raw", ["flase", "", "2", "ja"])
def test_bool_parser_rejects_typos(raw):
    with pytest.raises(ConfigError, match="X: expected true or false"):
        parse_bool("X", raw)


def _env(tmp_path, **values):
    return {"HOTLINE_DATA_DIR": str(tmp_path / "data"), **values}


def test_defaults_use_sqlite_in_the_data_dir_and_create_it(tmp_path):
    settings = Settings.from_env(_env(tmp_path), read_dotenv=False)
    assert (tmp_path / "data").is_dir()
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'hotline.sqlite3'}"
    assert settings.redis_url is None
    assert settings.twilio_recording_hosts == ("api.twilio.com",)


def test_missing_twilio_token_creates_a_stable_local_one(tmp_path):
    first = Settings.from_env(_env(tmp_path), read_dotenv=False)
    second = Settings.from_env(_env(tmp_path), read_dotenv=False)
    assert len(first.twilio_auth_token) == 64
    assert first.twilio_auth_token == second.twilio_auth_token
    assert first.secret_key == second.secret_key != first.twilio_auth_token
    assert (tmp_path / "data" / "twilio-auth-token").stat().st_mode & 0o777 == 0o600


def test_given_token_is_used(tmp_path):
    settings = Settings.from_env(_env(tmp_path, TWILIO_AUTH_TOKEN="abc"), read_dotenv=False)
    assert settings.twilio_auth_token == "abc"
    assert not (tmp_path / "data" / "twilio-auth-token").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("DATABASE_URL", "mysql://localhost/x", "DATABASE_URL: only sqlite and postgresql"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: not a database URL"),
        ("REDIS_URL", "http://localhost", "REDIS_URL: expected redis://"),
        ("PUBLIC_BASE_URL", "hotline.example.org", "PUBLIC_BASE_URL: expected an absolute"),
        ("PUBLIC_BASE_URL", "https://x.org/?a=1", "PUBLIC_BASE_URL: must not contain a query"),
        ("CLAIM_TIMEOUT_MINUTES", "soon", "CLAIM_TIMEOUT_MINUTES: expected a whole number"),
        ("CLAIM_TIMEOUT_MINUTES", "0", "CLAIM_TIMEOUT_MINUTES: must be greater than 0"),
        ("TWILIO_RECORDING_HOSTS", "https://api.twilio.com/x", "TWILIO_RECORDING_HOSTS: expected"),
        ("RETENTION_TWILIO_CALL_LOG_DAYS", "0", "RETENTION_TWILIO_CALL_LOG_DAYS: must be greater than 0"),
        ("RETENTION_TWILIO_CALL_LOG_DAYS", "181", "RETENTION_TWILIO_CALL_LOG_DAYS: must not be longer than"),
    ],
)
def test_bad_values_are_rejected_with_the_key_named(tmp_path, key, value, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(_env(tmp_path, **{key: value}), read_dotenv=False)


def test_twilio_call_logs_are_deleted_after_a_week_by_default(tmp_path):
    settings = Settings.from_env(_env(tmp_path), read_dotenv=False)
    assert settings.retention_twilio_call_log_days == 7
    assert Settings.from_env(_env(tmp_path, RETENTION_TWILIO_CALL_LOG_DAYS="2"),
                             read_dotenv=False).retention_twilio_call_log_days == 2


def test_all_bad_values_are_reported_together(tmp_path):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(_env(tmp_path, REDIS_URL="x", CLAIM_TIMEOUT_MINUTES="-1"), read_dotenv=False)
    assert "REDIS_URL" in str(caught.value)
    assert "CLAIM_TIMEOUT_MINUTES" in str(caught.value)


def test_postgres_urls_get_the_installed_driver(tmp_path):
    settings = Settings.from_env(
        _env(tmp_path, DATABASE_URL="postgresql://u@db.internal/hotline"), read_dotenv=False
    )
    assert settings.database_url == "postgresql+psycopg://u@db.internal/hotline"


def test_recording_hosts_are_a_list(tmp_path):
    settings = Settings.from_env(
        _env(tmp_path, TWILIO_RECORDING_HOSTS="api.twilio.com, 127.0.0.1"), read_dotenv=False
    )
    assert settings.twilio_recording_hosts == ("api.twilio.com", "127.0.0.1")


def test_dotenv_is_honoured_and_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("PUBLIC_BASE_URL=https://from-dotenv.example\nSECRET_KEY=dot\n")
    settings = Settings.from_env(_env(tmp_path, SECRET_KEY="env"))
    assert settings.public_base_url == "https://from-dotenv.example"
    assert settings.secret_key == "env"


def test_bad_value_in_dotenv_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("CLAIM_TIMEOUT_MINUTES=abc\n")
    with pytest.raises(ConfigError, match="CLAIM_TIMEOUT_MINUTES"):
        Settings.from_env(_env(tmp_path))


# Settings fields a process sets itself rather than reading them from the environment.
NOT_FROM_ENVIRONMENT = {"testing", "queue_name"}
README = Path(__file__).parent.parent / "README.md"


def test_every_settings_field_has_a_key_and_every_key_a_field():
    declared = {key.field for key in KEYS}
    assert declared == {field.name for field in fields(Settings)} - NOT_FROM_ENVIRONMENT
    assert len({key.env for key in KEYS}) == len(KEYS)


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.env)
def test_every_key_parses_its_default_and_says_what_it_is(key):
    key.read(None)
    assert key.meaning
    assert key.default is not None or key.shown_default, "say in shown_default what happens when unset"


@pytest.mark.parametrize("key", [key for key in KEYS if key.parse not in {parse_text, parse_path}],
                         ids=lambda key: key.env)
def test_a_bad_value_names_its_variable(tmp_path, key):
    with pytest.raises(ConfigError, match=rf"\n  {key.env}: "):
        Settings.from_env(_env(tmp_path, **{key.env: "not valid"}), read_dotenv=False)


def _fits(value, hint):
    """Whether value is of the annotated type (the kinds Settings uses)."""
    if isinstance(hint, types.UnionType):
        return any(_fits(value, arg) for arg in get_args(hint))
    if hint is type(None):
        return value is None
    if get_origin(hint) is tuple:
        args = get_args(hint)
        items = args[:1] * len(value) if args[-1] is Ellipsis else args
        return isinstance(value, tuple) and len(items) == len(value) and all(map(_fits, value, items))
    return isinstance(value, hint)


@pytest.mark.parametrize("environment", [
    {},
    {"PUBLIC_BASE_URL": "https://x.org", "REDIS_URL": "redis://r", "VOSK_MODEL_PATH": "~/model",
     "DATABASE_URL": "postgresql://u@db/h", "TWILIO_AUTH_TOKEN": "t", "SECRET_KEY": "s"},
], ids=["defaults", "all-set"])
def test_parsed_values_have_the_types_settings_declares(tmp_path, environment):
    settings = Settings.from_env(_env(tmp_path, **environment), read_dotenv=False)
    hints = get_type_hints(Settings)
    wrong = [field.name for field in fields(Settings) if not _fits(getattr(settings, field.name), hints[field.name])]
    assert wrong == []


def test_the_readme_table_is_the_declared_one():
    text = README.read_text()
    found = re.search(r"<!-- settings:begin[^\n]*-->\n(.*?)<!-- settings:end -->", text, re.DOTALL)
    assert found, "README.md lost its <!-- settings:begin --> / <!-- settings:end --> markers"
    assert found.group(1) == configuration_table(), (
        "README.md's configuration table differs from hotline/config.py: replace the lines between"
        " the settings markers with the output of `python -m hotline.config`"
    )

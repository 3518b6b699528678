"""Settings come from the environment; production refuses to start without SECRET_KEY."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    dropped = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_source():
    return (ROOT / "samtal" / "settings.py").read_text()


def test_production_without_secret_key_refuses_to_start_and_names_the_variable():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "set the environment variable SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="samtal.example.se",
        DATABASE_URL="sqlite:///:memory:",
        EMAIL_HOST="smtp.example.se",
        DEFAULT_FROM_EMAIL="Samtal <samtal@example.se>",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "samtal.example.se"}


def test_production_without_email_host_refuses_to_start_and_names_it():
    result = run_manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "EMAIL_HOST saknas" in result.stderr


def test_production_without_a_sender_refuses_to_start_and_names_it():
    result = run_manage("check", **PRODUCTION, EMAIL_HOST="smtp.example.se")
    assert result.returncode != 0
    assert "DEFAULT_FROM_EMAIL saknas" in result.stderr


def test_production_with_an_explicit_backend_needs_no_email_host():
    backend = "django.core.mail.backends.dummy.EmailBackend"
    result = run_manage("check", **PRODUCTION, EMAIL_BACKEND=backend)
    assert result.returncode == 0, result.stderr


def settings_value(expression, **env):
    dropped = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); print({expression})"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "samtal.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_smtp_timeout_defaults_to_ten_seconds_and_is_settable():
    expression = "__import__('django.conf').conf.settings.EMAIL_TIMEOUT"
    assert settings_value(expression) == "10.0"
    assert settings_value(expression, EMAIL_TIMEOUT="3") == "3.0"


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("AXES_FAILURE_LIMIT", "7", "AXES_FAILURE_LIMIT", "7"),
        ("CONN_MAX_AGE", "0", "DATABASES['default']['CONN_MAX_AGE']", "0"),
        ("LOG_LEVEL", "WARNING", "LOGGING['root']['level']", "WARNING"),
        ("MATERIAL_MAX_UPLOAD_MB", "5", "MATERIAL_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)),
        ("PERSONAL_LINK_DAYS_AFTER_MEETING", "14", "PERSONAL_LINK_DAYS_AFTER_MEETING", "14"),
        ("REPORT_LINK_DAYS", "30", "REPORT_LINK_DAYS", "30"),
        ("PROXY_COUNT", "2", "PROXY_COUNT", "2"),
    ],
)
def test_documented_settings_are_read_from_the_environment(variable, value, setting, expected):
    database = "postgres://u:p@127.0.0.1:5432/samtal"  # CONN_MAX_AGE is forced to 0 on SQLite
    got = settings_value(
        f"__import__('django.conf').conf.settings.{setting}", **{variable: value},
        DATABASE_URL=database,
    )  # fmt: skip
    assert got == expected


def test_env_example_lists_every_setting_the_settings_read():
    import re

    read = set(re.findall(r'env(?:_bool|_list)?\(\s*"([A-Z_]+)"', _settings_source()))
    read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', _settings_source()))
    read -= {"DJANGO_SETTINGS_MODULE"}
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no settings found"
    assert read - listed == set(), f"missing from .env.example: {sorted(read - listed)}"


def test_database_url_chooses_the_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "samtal.settings",
            "DEBUG": "true",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/samtal",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql", result.stderr

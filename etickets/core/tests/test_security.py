"""Security headers on every page, and production settings that refuse to run unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-real-production-secret-" + "k8Zq3vX1pW" * 5,
    "ALLOWED_HOSTS": "www.jo-etickets.fr",
    "SITE_URL": "https://www.jo-etickets.fr",
    "TICKET_SIGNING_KEY": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLXRlc3Q=",
    "ALLOW_SANDBOX_PAYMENTS": "true",
}


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_templates_carry_no_inline_script_or_third_party_asset(client):
    html = client.get("/offres/").content.decode()
    assert "<script>" not in html
    assert "onclick=" not in html
    assert 'src="http' not in html and 'href="http' not in html.replace('href="mailto', "")


def _django(args, **env):
    unset = (
        "SECRET_KEY",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "TICKET_SIGNING_KEY",
        "ALLOW_SANDBOX_PAYMENTS",
        "PAYMENT_PROVIDER",
    )
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _django(["check"], DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_ticket_signing_key():
    without = {k: v for k, v in PRODUCTION.items() if k != "TICKET_SIGNING_KEY"}
    result = _django(["check"], **without)
    assert result.returncode != 0
    assert "TICKET_SIGNING_KEY must be set" in result.stderr


def test_production_refuses_the_sandbox_acquirer_unless_allowed():
    """The sandbox approves any valid-looking card: production must not take it by default."""
    without = {k: v for k, v in PRODUCTION.items() if k != "ALLOW_SANDBOX_PAYMENTS"}
    refused = _django(["check"], **without)
    assert refused.returncode != 0
    assert "PAYMENT_PROVIDER is the sandbox acquirer" in refused.stderr
    assert _django(["check"], **without, ALLOW_SANDBOX_PAYMENTS="false").returncode != 0
    allowed = _django(["check"], **without, ALLOW_SANDBOX_PAYMENTS="true")
    assert allowed.returncode == 0, allowed.stderr
    # A real acquirer needs no flag (the check is made on the setting, before any import).
    real = _django(["check"], **without, PAYMENT_PROVIDER="acquirer.Live")
    assert "PAYMENT_PROVIDER is the sandbox acquirer" not in real.stderr
    # Development keeps the sandbox as its default.
    assert _django(["check"], DEBUG="true").returncode == 0


def test_production_settings_pass_the_deployment_checklist():
    result = _django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_cookies_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'))"
    )
    result = _django(
        ["shell", "--verbosity", "0", "-c", code],
        **PRODUCTION,
    )
    assert result.stdout.split() == ["True"] * 5, result.stderr


def test_static_files_collect_for_production(tmp_path):
    """whitenoise's manifest storage refuses a reference to a missing file: collect them all."""
    result = _django(["collectstatic", "--noinput"], **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()

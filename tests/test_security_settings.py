"""Production settings and the headers every page carries."""

import os
import re
import subprocess
import sys

from django.conf import settings as django_settings
from django.urls import reverse


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 20 + "-a-long-and-random-enough-production-key-7f3a9c",
        ALLOWED_HOSTS="learning-lead.example",
    )
    return env | extra


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_boolean_in_environment_fails_loudly():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=production_env(DEBUG="maybe"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_session_cookie_is_secure_httponly_and_lax(client, member, settings):
    # Settings as production has them (DEBUG off).
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    response = client.post(
        reverse("login"), {"username": "mia", "password": "a-long-test-password-42"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_pages_carry_csp_with_a_nonce_that_the_htmx_script_uses(client, member):
    client.force_login(member)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    body = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", body)
    assert scripts, "htmx is loaded"
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_pages_deny_framing_and_sniffing(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_htmx_post_without_csrf_token_is_refused(member):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(
        reverse("teams:preferences"),
        {"language": "fi", "time_zone": "Europe/Helsinki"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403

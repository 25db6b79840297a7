"""Production settings are safe: argon2 first, `check --deploy` clean, secure cookies, a CSP."""

import importlib.util
import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
SETTINGS_FILE = ROOT / "opiekun" / "settings.py"


def production_environment(tmp_path: Path) -> dict[str, str]:
    """What a production server has: no DEBUG, no test switch, a real secret, its host name."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "opiekun.settings",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "desk.example.com",
        "OPIEKUN_VAR_DIR": str(tmp_path / "var"),
    }


def test_production_hashes_passwords_with_argon2(tmp_path: Path) -> None:
    # The root conftest swaps in a fast hasher, so read the settings module itself afresh.
    spec = importlib.util.spec_from_file_location("opiekun_settings_fresh", SETTINGS_FILE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_deploy_check_is_clean_in_production(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "opiekun", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=tmp_path,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.fixture(scope="module")
def production_cookie_settings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp_path = tmp_path_factory.mktemp("production")
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
    ]
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    values: dict[str, object] = json.loads(result.stdout)
    return values


def test_session_cookie_is_secure_and_http_only_in_production(
    production_cookie_settings: dict[str, object],
) -> None:
    assert production_cookie_settings["SESSION_COOKIE_SECURE"] is True
    assert production_cookie_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_cookie_settings["SECURE_SSL_REDIRECT"] is True
    assert production_cookie_settings["DEBUG"] is False


def test_csrf_cookie_is_secure_in_production(
    production_cookie_settings: dict[str, object],
) -> None:
    assert production_cookie_settings["CSRF_COOKIE_SECURE"] is True


def test_csrf_cookie_is_http_only_in_production(
    production_cookie_settings: dict[str, object],
) -> None:
    assert production_cookie_settings["CSRF_COOKIE_HTTPONLY"] is True


def test_login_page_sends_a_strict_content_security_policy(db: None) -> None:
    response = Client().get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    directives = {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
        if name
    }
    assert response.status_code == 200
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_login_page_has_no_inline_style_or_script_without_nonce(db: None) -> None:
    response = Client().get(reverse("accounts:login"))

    html = response.content.decode()
    nonce = response.context["csp_nonce"]
    assert " style=" not in html
    assert " onclick=" not in html
    assert html.count("<script") == html.count(f'nonce="{nonce}"')

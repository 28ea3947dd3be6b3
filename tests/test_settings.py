"""Production mode refuses to start without its secrets and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "DJANGO_ALLOWED_HOSTS": "diagnostico.example.gob.mx",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PROD.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PROD.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_debug():
    result = run_manage("check", env={**PROD, "DJANGO_DEBUG": "1"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG cannot be on" in result.stderr


def test_production_passes_the_deploy_checks_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PROD)
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_defaults_start_without_any_variable():
    result = run_manage("check", env={})
    assert result.returncode == 0, result.stderr


def test_production_refuses_an_invalid_organization_colour():
    result = run_manage("check", env={**PROD, "ORGANIZATION_COLOR": "azul"})
    assert result.returncode != 0
    assert "ORGANIZATION_COLOR must be a colour" in result.stderr


def test_development_warns_about_an_invalid_colour_and_a_missing_logo():
    result = run_manage(
        "check", env={"ORGANIZATION_COLOR": "azul", "ORGANIZATION_LOGO": "img/none.svg"}
    )
    assert "accounts.W001" in result.stderr + result.stdout
    assert "accounts.W002" in result.stderr + result.stdout

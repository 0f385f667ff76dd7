"""Behind a TLS proxy, DJANGO_SECURE_COOKIES / DJANGO_SSL_REDIRECT / DJANGO_HSTS_SECONDS make Django send cookies
only over HTTPS, redirect plain HTTP (except the health check) and send HSTS. They are off by default, because
the embedded stack serves plain HTTP."""

import subprocess
import sys

import pytest
from django.test import Client, override_settings

from conftest import ROOT, child_env

HTTPS = {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
         "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True}


@pytest.mark.django_db
def test_plain_http_is_redirected_but_the_health_check_is_not():
    with override_settings(**HTTPS):
        client = Client()
        login = client.get("/accounts/login/")
        health = client.get("/healthz")

    assert login.status_code == 301 and login["Location"].startswith("https://")
    assert health.status_code in (200, 503)  # answered, not redirected


@pytest.mark.django_db
def test_https_answers_carry_hsts_and_secure_cookies(user):
    with override_settings(**HTTPS):
        client = Client()
        client.get("/accounts/login/", secure=True)
        response = client.post("/accounts/login/", {"username": user.username, "password": "correct horse battery"},
                               secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["sessionid"]["secure"] is True
    assert client.cookies["csrftoken"]["secure"] is True


def settings_with(**env: str) -> str:
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
            "[s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=child_env(**env), capture_output=True,
                         text=True, timeout=60, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_the_environment_switches_them_on_and_they_default_to_off():
    assert settings_with() == "[false, false, false, 0]"
    assert settings_with(DJANGO_SECURE_COOKIES="true", DJANGO_SSL_REDIRECT="true",
                         DJANGO_HSTS_SECONDS="3600") == "[true, true, true, 3600]"

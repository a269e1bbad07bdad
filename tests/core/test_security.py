"""Safe defaults: production settings, HTTPS variables, CSP, no public /media/, Vietnamese error
pages (JSON under /api/), login lockout per (user, address), API throttling and expiring tokens."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hdnd_portal import env

ROOT = Path(__file__).resolve().parents[2]
HTTPS_ENV = {
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "ALLOWED_HOSTS": "hdnd.example.vn",
}


def _manage(*args, env_extra=None, tmp_path=None):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; a deployment never has it.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("SECURE_")}
    env.update(env_extra or {})
    if tmp_path is not None:
        env["HDND_VAR_DIR"] = str(tmp_path)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_check_deploy_is_clean_with_the_https_variables(tmp_path):
    result = _manage("check", "--deploy", env_extra=HTTPS_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, "\n".join(
        line for line in (result.stdout + result.stderr).splitlines() if "drf_spectacular" not in line
    )
    # No security warning and no error. (drf-spectacular's schema warnings, also listed by
    # --deploy, belong to the apps' API classes.)
    output = result.stdout + result.stderr
    assert "security." not in output and "ERRORS" not in output, output
    assert "core/views/tokens.py" not in output
    without = _manage("check", "--deploy", tmp_path=tmp_path)
    assert "security.W004" in without.stdout + without.stderr  # the test sees warnings when they exist


def test_the_defaults_are_production_with_a_generated_secret_kept_private(tmp_path):
    code = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)"
    first = _manage("shell", "-c", code, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    debug, key = first.stdout.split("\n")[-2].split()
    assert debug == "False" and len(key) >= 50
    secret = tmp_path / "secret_key"
    assert secret.read_text() == key and secret.stat().st_mode & 0o777 == 0o600
    assert env.persistent_secret_key(secret) == key  # kept across starts


def test_uploaded_files_are_not_served_from_media(staff_client, settings, tmp_path):
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    settings.MEDIA_ROOT = str(tmp_path)
    assert staff_client.get("/media/secret.pdf").status_code == 404
    with override_settings(DEBUG=True):
        assert staff_client.get("/media/secret.pdf").status_code == 404


def test_pages_send_a_content_security_policy_with_a_nonce_for_inline_scripts(staff_client):
    response = staff_client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]


@pytest.mark.django_db
def test_error_pages_are_vietnamese_and_the_api_answers_json(staff_client, client):
    page = staff_client.get("/khong-co-trang-nay/")
    assert page.status_code == 404 and "Không tìm thấy trang" in page.content.decode()
    api = staff_client.get("/api/khong-co/")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")
    assert api.json()["message"] == "Không tìm thấy."


@pytest.mark.django_db
def test_an_unhandled_error_shows_the_vietnamese_500_page_without_the_request_context(staff_user, monkeypatch):
    from hdnd_portal.core.views import home as home_module

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(home_module, "dashboard_sections", boom)
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Máy chủ gặp sự cố" in text and "boom" not in text


@pytest.mark.django_db
def test_wrong_passwords_lock_only_that_user_from_that_address(settings, make_user):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    make_user("daibieu1")
    attacker, deputy = Client(REMOTE_ADDR="10.0.0.66"), Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        attacker.post(reverse("login"), {"username": "daibieu1", "password": "wrong"})
    locked = attacker.post(reverse("login"), {"username": "daibieu1", "password": "pw-12345-test"})
    assert locked.status_code == 429 and "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    # The deputy, from their own address, still logs in.
    assert deputy.post(reverse("login"), {"username": "daibieu1", "password": "pw-12345-test"}).status_code == 302


@pytest.mark.django_db
def test_the_api_throttles_with_a_vietnamese_message(staff_user, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"anon": "2/hour", "user": "3/hour"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates  # read at import time by DRF
    from django.core.cache import cache

    cache.clear()
    try:
        client = APIClient()
        client.force_authenticate(staff_user)
        statuses = [client.get("/api/core/councils/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.get("/api/core/councils/")
        assert response.json()["detail"] == "Quá nhiều yêu cầu. Hãy thử lại sau 60 phút."
        assert response["Retry-After"]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert api_settings.DEFAULT_THROTTLE_RATES["user"] == "1000/hour"


@pytest.mark.django_db
def test_api_tokens_expire_and_can_be_created_and_revoked(staff_user, settings):
    session = APIClient()
    session.force_authenticate(staff_user)
    created = session.post("/api/core/token/")
    assert created.status_code == 201
    key = created.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/core/councils/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS + 1))
    expired = client.get("/api/core/councils/")
    assert expired.status_code in (401, 403) and "hết hạn" in expired.json()["detail"]
    renewed = session.post("/api/core/token/").json()["token"]
    assert renewed != key and not Token.objects.filter(key=key).exists()
    assert session.delete("/api/core/token/").status_code == 204
    assert not Token.objects.filter(user=staff_user).exists()


@pytest.mark.django_db
def test_the_api_key_page_creates_shows_once_and_revokes(staff_client, staff_user):
    url = reverse("core:api_token")
    assert "Bạn chưa có khóa API." in staff_client.get(url).content.decode()
    page = staff_client.post(url, {"action": "create"})
    key = Token.objects.get(user=staff_user).key
    assert page.status_code == 200 and key in page.content.decode()
    assert key not in staff_client.get(url).content.decode()  # shown once
    assert staff_client.post(url, {"action": "revoke"}).status_code == 302
    assert not Token.objects.filter(user=staff_user).exists()
    assert "Khóa API" in staff_client.get(reverse("home")).content.decode()  # in the account menu

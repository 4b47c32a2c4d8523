import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

from core.models import AuditLog


def test_login_locks_after_repeated_failures(client, personas):
    url = reverse("accounts:login")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post(url, {"username": "xf_liaison", "password": "nope"})
        assert "用户名或密码不正确" in response.content.decode()
    response = client.post(url, {"username": "xf_liaison", "password": personas.password})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action="login.failed").count() == settings.LOGIN_MAX_FAILURES


def test_successful_login_is_audited_and_clears_failures(client, personas):
    url = reverse("accounts:login")
    client.post(url, {"username": "xf_liaison", "password": "nope"})
    response = client.post(url, {"username": "xf_liaison", "password": personas.password})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="login", actor=personas.xf_liaison).exists()


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert b"<script>" not in response.content


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOUHU_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="shouhu.settings",
        SHOUHU_SECRET_KEY="x" * 20 + "-production-secret-key-for-the-check-only-0123456789",
        SHOUHU_DATA_KEYS="8p2cSx7Z1V9kq0H3Z1dGm0mN0Xw7rXQmV3bq6Yl3x2s=",
        SHOUHU_HASH_KEY="0" * 64,
        SHOUHU_ALLOWED_HOSTS="12345.example.gov.cn",
        SHOUHU_SECURE_COOKIES="1",
        SHOUHU_SSL_REDIRECT="1",
        SHOUHU_HSTS_SECONDS="31536000",
        SHOUHU_VAR_DIR=str(settings.VAR_DIR / "deploycheck"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

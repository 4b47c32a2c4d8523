import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import access
from interop import services
from interop.models import ApiKey


def test_key_is_stored_hashed_with_a_visible_prefix(keys):
    key = ApiKey.objects.get(pk=keys.district.key.pk)
    assert keys.district.raw.startswith("shk_") and len(keys.district.raw) > 40
    assert key.prefix == keys.district.raw[:12]
    assert keys.district.raw not in str(ApiKey.objects.filter(pk=key.pk).values().first())
    assert services.find_key(keys.district.raw) == key


def test_system_account_is_scoped_like_a_member(keys, org):
    user = keys.xingfu.user
    assert not user.has_usable_password()
    assert access.has_perm(user, "hotline.view", org.huaqiao)
    assert not access.has_perm(user, "hotline.view", org.chenqiao)
    assert access.units(keys.district.user, "hotline.intake") == [org.district]


def test_create_api_key_command_prints_the_key_alone_on_its_last_line(org, capsys):
    call_command("create_api_key", unit="320611", role="operator", name="市民小程序")
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("shk_") and " " not in last
    key = services.find_key(last)
    assert key.account.unit == org.district and key.account.role == "operator"


def test_create_api_key_command_refuses_an_unknown_unit(org):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("create_api_key", unit="999", role="operator", name="x")


def test_a_second_key_reuses_the_system_account(keys, org):
    key, raw = services.create_api_key(unit=org.district, role="operator", name="市民小程序")
    assert key.account == keys.district.key.account and raw != keys.district.raw


def test_revoked_key_is_refused(keys, client):
    url = "/api/v1/interop/upper/status"
    assert client.get(url, HTTP_X_API_KEY=keys.district.raw).status_code == 200
    services.revoke_key(keys.district.key)
    response = client.get(url, HTTP_X_API_KEY=keys.district.raw)
    # 403 rather than 401: session authentication comes first in DRF's list and sets no challenge header.
    assert response.status_code == 403
    assert "吊销" in response.json()["detail"]
    assert client.get(url, HTTP_AUTHORIZATION=f"Api-Key {keys.district.raw}").status_code == 403


def test_both_header_forms_authenticate(keys, client):
    url = "/api/v1/interop/upper/status"
    assert client.get(url, HTTP_AUTHORIZATION=f"Api-Key {keys.district.raw}").status_code == 200
    assert client.get(url, HTTP_X_API_KEY=keys.district.raw).status_code == 200
    assert client.get(url, HTTP_X_API_KEY="shk_forged").status_code == 403
    assert client.get(url).status_code in (401, 403)


def test_admin_shows_a_new_key_once_and_revokes(org, client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("admin:interop_apikey_add"), {
        "unit": org.district.pk, "role": "operator", "name": "市12345平台", "channel": "web", "label": "正式",
    }, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    raw = next(m.split(":", 1)[1] for m in shown if "只显示这一次" in m)
    key = services.find_key(raw)
    assert key is not None and key.label == "正式"
    page = client.get(reverse("admin:interop_apikey_changelist")).content.decode()
    assert raw not in page and key.prefix in page
    client.post(reverse("admin:interop_apikey_changelist"), {"action": "revoke", "_selected_action": [key.pk]})
    assert services.find_key(raw) is None


def test_demo_loads_twice_with_the_same_printed_key(org, categories, settings):
    import io

    from interop import demo
    from interop.models import Open311Request, UpperOrder

    settings.DEMO = True
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    assert out.getvalue().count(demo.demo_key()) == 2
    assert services.find_key(demo.demo_key()).account.name == "市民小程序"
    assert Open311Request.objects.count() == 2 and UpperOrder.objects.count() == 1

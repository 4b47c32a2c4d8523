import pytest
from django.urls import reverse

from accounts import access
from places.models import OrgUnit


def test_membership_grants_subtree(personas, org):
    visible = access.scope(personas.xf_liaison, OrgUnit.objects.all())
    assert visible.filter(pk=org.huaqiao.pk).exists()
    assert not visible.filter(pk=org.lidu.pk).exists()
    assert access.scope(personas.operator, OrgUnit.objects.all()).count() == OrgUnit.objects.count()


def test_outsider_gets_404_for_xingfu_unit(client, personas, org):
    client.force_login(personas.outsider)
    assert client.get(reverse("places:unit_detail", args=[org.huaqiao.code])).status_code == 404
    assert client.get(reverse("places:unit_detail", args=[org.lidu.code])).status_code == 200


def test_wrong_role_gets_403(client, personas, org):
    client.force_login(personas.volunteer)
    assert client.get(reverse("places:unit_list")).status_code == 403
    assert client.get(reverse("core:audit")).status_code == 403


def test_home_lists_my_units(client, personas):
    client.force_login(personas.xf_liaison)
    body = client.get(reverse("core:home")).content.decode()
    assert "幸福街道" in body and "联络员" in body


def test_anonymous_redirected_to_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("perm,unit_attr,expected", [
    ("hotline.accept", "huaqiao", True),
    ("hotline.accept", "lidu", False),
    ("hotline.dispatch", "huaqiao", False),
])
def test_has_perm_follows_role_and_subtree(personas, org, perm, unit_attr, expected):
    assert access.has_perm(personas.xf_liaison, perm, getattr(org, unit_attr)) is expected


def test_each_area_grants_its_own_permissions_and_the_table_is_merged():
    import hotline.permissions as hotline_grants
    from accounts import roles

    before = {role: set(perms) for role, perms in roles.collect().items()}
    assert {"hotline.dispatch", "places.view", "reports.view"} <= before[roles.Role.DISPATCHER]
    assert before[roles.Role.VOLUNTEER] == {"community.register_entry", "volunteers.self"}
    original = dict(hotline_grants.GRANTS)
    try:
        hotline_grants.GRANTS[roles.Role.HANDLER] = {"hotline.reply", "supplies.manage"}
        with pytest.raises(ValueError, match="another area"):
            roles.collect()
        hotline_grants.GRANTS.clear()
        hotline_grants.GRANTS.update(original, mayor={"hotline.view"})
        with pytest.raises(ValueError, match="unknown role"):
            roles.collect()
    finally:
        hotline_grants.GRANTS.clear()
        hotline_grants.GRANTS.update(original)
        roles.collect()
    assert roles.PERMISSIONS == before


def test_roles_command_prints_who_may_do_what():
    import io

    from django.core.management import call_command

    from accounts.roles import PERMISSIONS

    out = io.StringIO()
    call_command("roles", permission="hotline.signoff", stdout=out)
    assert out.getvalue().strip() == "head (负责人): " + ", ".join(sorted(PERMISSIONS["head"]))

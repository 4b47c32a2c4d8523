import pytest
from django.urls import reverse

from supplies import services
from supplies.models import Allocation, Need
from supplies.public import trace_token
from supplies.tests.factories import give, item, keeper


@pytest.fixture
def xingfu_state(org, personas):
    """Stock and paperwork inside 幸福街道 / 花桥社区, which the 陈桥街道 outsider must not see."""
    street_keeper = keeper(org.xingfu)
    gift = give(street_keeper, org.xingfu, {"一次性医用口罩": 500})
    need = services.post_need(personas.hq_worker, org.huaqiao, "花桥社区口罩", [(item("一次性医用口罩"), 200)])
    allocation = services.allocate(street_keeper, org.xingfu, org.huaqiao, [(item("一次性医用口罩"), 200)], need=need)
    cert = services.issue_certificate(street_keeper, gift)
    return {"keeper": street_keeper, "gift": gift, "need": need, "allocation": allocation, "cert": cert}


def test_outsider_gets_404_on_another_streets_supplies(client, personas, org, xingfu_state):
    client.force_login(personas.outsider)
    s = xingfu_state
    urls = [
        reverse("supplies:stock", args=[org.xingfu.code]), reverse("supplies:stock", args=[org.huaqiao.code]),
        reverse("supplies:need_detail", args=[s["need"].code]),
        reverse("supplies:donation_detail", args=[s["gift"].code]),
        reverse("supplies:allocation_detail", args=[s["allocation"].code]),
        reverse("supplies:certificate_pdf", args=[s["cert"].code]),
        reverse("supplies:lot_trace", args=[s["gift"].lines.get().lot.code]),
        "/api/v1/supplies/stock/%s/" % org.huaqiao.code, "/api/v1/supplies/needs/%s/" % s["need"].code,
        "/api/v1/supplies/donations/%s/" % s["gift"].code, "/api/v1/supplies/allocations/%s/" % s["allocation"].code,
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/supplies/allocations/{s['allocation'].code}/confirm/").status_code == 404
    assert client.post(reverse("supplies:allocation_action", args=[s["allocation"].code, "received"])).status_code == 404
    for url in ["/api/v1/supplies/needs/", "/api/v1/supplies/donations/", "/api/v1/supplies/allocations/"]:
        assert client.get(url).json()["count"] == 0
    assert s["need"].title not in client.get(reverse("supplies:needs")).content.decode()


def test_community_confirms_receipt_and_the_need_is_met(client, personas, org, xingfu_state):
    s = xingfu_state
    client.force_login(personas.hq_worker)
    page = client.get(reverse("supplies:allocation_detail", args=[s["allocation"].code])).content.decode()
    assert "确认签收" in page
    client.post(reverse("supplies:allocation_action", args=[s["allocation"].code, "received"]))
    s["allocation"].refresh_from_db()
    assert s["allocation"].status == Allocation.Status.RECEIVED
    board = client.get(reverse("supplies:needs")).content.decode()
    assert "花桥社区口罩" in board and "已满足" in board
    stock = client.get(reverse("supplies:stock", args=[org.huaqiao.code])).content.decode()
    assert "200" in stock and s["gift"].lines.get().lot.code in stock


def test_screens_render_for_the_street(client, org, xingfu_state):
    client.force_login(xingfu_state["keeper"])
    for name, args in [("needs", []), ("need_create", []), ("donation_list", []), ("donation_create", []),
                       ("donation_import", []), ("stock_index", []), ("allocation_list", []),
                       ("allocation_create", []), ("certificate_list", []),
                       ("donation_detail", [xingfu_state["gift"].code])]:
        response = client.get(reverse(f"supplies:{name}", args=args), follow=True)
        assert response.status_code == 200, name
    assert client.get(reverse("supplies:donation_create") + "?kind=cash").status_code == 200
    assert client.get(reverse("core:home")).status_code == 200


def test_need_posted_through_the_form(client, personas, org):
    client.force_login(personas.hq_worker)
    masks = item("一次性医用口罩")
    data = {"unit": org.huaqiao.pk, "title": "楼道消毒口罩", "urgency": "urgent", "visibility": "public",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-0-item": masks.pk, "lines-0-quantity": "50"}
    response = client.post(reverse("supplies:need_create"), data)
    need = Need.objects.get(title="楼道消毒口罩")
    assert response.status_code == 302 and need.lines.get().quantity == 50


def test_public_pages_verify_thank_and_trace_without_login(client, org, xingfu_state):
    s = xingfu_state
    assert "证书真实有效" in client.get(reverse("supplies:verify") + f"?code={s['cert'].code}").content.decode()
    assert "未找到" in client.get(reverse("supplies:verify") + "?code=NOPE").content.decode()
    thanks = client.get(reverse("supplies:thanks")).content.decode()
    assert "江苏博恩医疗科技有限公司" not in thanks  # the factory donor did not consent
    trace = client.get(reverse("supplies:donor_trace", args=[trace_token(s["gift"])]))
    assert trace.status_code == 200 and "花桥社区" in trace.content.decode()
    assert client.get(reverse("supplies:donor_trace", args=["forged"])).status_code == 404
    pdf = client.get(reverse("supplies:donor_certificate", args=[trace_token(s["gift"])]))
    assert pdf["Content-Type"] == "application/pdf"


def test_api_allocates_and_confirms(client, personas, org, xingfu_state):
    s = xingfu_state
    client.force_login(s["keeper"])
    response = client.post("/api/v1/supplies/allocations/", {
        "from_unit": org.xingfu.code, "to_unit": org.huaqiao.code,
        "lines": [{"item": item("一次性医用口罩").pk, "quantity": 400}]}, content_type="application/json")
    assert response.status_code == 400 and "库存不足" in response.json()["detail"]
    stock = client.get(f"/api/v1/supplies/stock/{org.xingfu.code}/").json()
    assert stock["items"][0]["quantity"] == 300
    client.force_login(personas.hq_worker)
    confirmed = client.post(f"/api/v1/supplies/allocations/{s['allocation'].code}/confirm/")
    assert confirmed.json()["status"] == "received"
    need = client.get(f"/api/v1/supplies/needs/{s['need'].code}/").json()
    assert need["received_fill"] == "complete"


def test_donor_phone_is_masked_and_reveal_is_audited(client, personas, org):
    from core.models import AuditLog
    from supplies.models import Donor
    from supplies.tests.factories import donor

    street_keeper = keeper(org.xingfu)
    wu = donor("吴正平", kind=Donor.Kind.PERSON, phone="13951300606")
    gift = give(street_keeper, org.xingfu, {"额温枪": 11}, donor_obj=wu)
    give(street_keeper, org.huaqiao, {"额温枪": 1}, donor_obj=wu)  # two donations: still one donor row in scope
    client.force_login(street_keeper)
    page = client.get(reverse("supplies:donation_detail", args=[gift.code])).content.decode()
    assert "139****0606" in page and "13951300606" not in page
    response = client.post("/reveal/", {"model": "supplies.Donor", "pk": wu.pk, "field": "phone"})
    assert response.json()["value"] == "13951300606"
    assert AuditLog.objects.filter(action="reveal", object_id=str(wu.pk)).exists()
    client.force_login(personas.outsider)
    assert client.post("/reveal/", {"model": "supplies.Donor", "pk": wu.pk, "field": "phone"}).status_code == 404


def test_need_board_query_count_does_not_grow_with_needs(client, personas, org, django_assert_max_num_queries):
    masks, guns = item("一次性医用口罩"), item("额温枪")
    for n in range(12):
        services.post_need(personas.hq_worker, org.huaqiao, f"求助{n}", [(masks, 10), (guns, 1)])
    client.force_login(personas.xf_head)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("supplies:needs")).status_code == 200


def test_cash_form_refuses_splits_that_do_not_add_up_and_keeps_the_input(client, org):
    street_keeper = keeper(org.xingfu)
    client.force_login(street_keeper)
    union = org.by_code["320611D08"]
    data = {"kind": "organisation", "name": "通城电建公司", "title": "cppcc", "received_by": org.xingfu.pk,
            "amount": "150000", "received": "on",
            "splits-TOTAL_FORMS": "3", "splits-INITIAL_FORMS": "0",
            "splits-0-purpose": "支援武汉医护人员", "splits-0-recipient_name": "南通援鄂医疗队", "splits-0-amount": "80000",
            "splits-1-purpose": "防护用品", "splits-1-recipient_unit": union.pk, "splits-1-amount": "60000"}
    page = client.post(reverse("supplies:donation_create") + "?kind=cash", data).content.decode()
    assert "相差10,000.00元" in page and 'value="通城电建公司"' in page
    data["splits-1-amount"] = "70000"
    response = client.post(reverse("supplies:donation_create") + "?kind=cash", data)
    assert response.status_code == 302
    from supplies.models import Donation
    assert Donation.objects.get(donor__name="通城电建公司").splits.count() == 2


def test_api_donation_outside_the_users_area_is_refused_without_leaving_a_donor(client, personas, org):
    from supplies.models import Donor

    client.force_login(keeper(org.chenqiao))
    response = client.post("/api/v1/supplies/donations/", {
        "donor": {"kind": "organisation", "name": "文峰超市"}, "received_by": org.huaqiao.code,
        "lines": [{"item": item("84消毒液", "桶").pk, "quantity": 6}]}, content_type="application/json")
    assert response.status_code == 403
    assert not Donor.objects.exists()
    ok = client.post("/api/v1/supplies/donations/", {
        "donor": {"kind": "organisation", "name": "文峰超市", "consent_public": True}, "received_by": org.lidu.code,
        "lines": [{"item": item("84消毒液", "桶").pk, "quantity": 6}]}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["status"] == "received"

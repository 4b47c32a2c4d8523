"""Every move through the real views: the right role in the right unit succeeds; a wrong role that can see
the order gets 403; the 陈桥 liaison (outsider) gets 404."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hotline import services
from hotline.models import State

pytestmark = pytest.mark.django_db


def requested(flow, personas):
    from hotline.tests.conftest import at

    return services.request_extension(flow.handling(), personas.xf_liaison, until=at("2020-03-01 23:59:59"),
                                      reason="需要协调")


MATRIX = {
    # action: (builder, right, wrong role that sees the order, posted data, state afterwards)
    "answer": ("new", "operator", "auditor", {"text": "按规定居家隔离14天"}, State.PENDING_CALLBACK),
    "dispatch": ("new", "dispatcher", "operator", {"lead_unit": "XINGFU"}, State.PENDING_ACCEPT),
    "accept": ("dispatched", "xf_liaison", "xf_head", {}, State.HANDLING),
    "return": ("dispatched", "xf_liaison", "xf_handler", {"reason": "非本辖区"}, State.PENDING_DISPATCH),
    "subdispatch": ("handling", "xf_liaison", "xf_handler", {"community": "HUAQIAO"}, State.HANDLING),
    "request_extension": ("handling", "xf_liaison", "xf_head", {"until": "2020-03-01", "reason": "需协调"},
                          State.HANDLING),
    "decide_extension": (requested, "supervisor", "operator", {"approve": "1"}, State.HANDLING),
    "reply": ("handling", "xf_handler", "auditor", {"text": "已核实处理"}, State.PENDING_SIGNOFF),
    "send_back": ("signoff_pending", "xf_head", "xf_liaison", {"note": "请补充"}, State.HANDLING),
    "signoff": ("signoff_pending", "xf_head", "xf_handler", {}, State.PENDING_REVIEW),
    "approve": ("review_pending", "operator", "xf_head", {}, State.PENDING_CALLBACK),
    "reject": ("review_pending", "dispatcher", "auditor", {"note": "答复不完整"}, State.HANDLING),
    "callback": ("callback_pending", "operator", "supervisor", {"result": "satisfied"}, State.CLOSED),
    "redo": ("callback_pending", "operator", "dispatcher", {"note": "未上门"}, State.HANDLING),
    "urge": ("dispatched", "supervisor", "dispatcher", {}, State.PENDING_ACCEPT),
    "supervise": ("dispatched", "supervisor", "operator", {}, State.PENDING_ACCEPT),
    "merge": ("new", "dispatcher", "operator", {"into": "OTHER"}, State.MERGED),
    "cancel": ("new", "dispatcher", "operator", {"reason": "重复来电"}, State.CANCELLED),
}


def build(flow, personas, org, action):
    builder, right, wrong, data, after = MATRIX[action]
    order = builder(flow, personas) if callable(builder) else getattr(flow, builder)()
    posted = {}
    for key, value in data.items():
        posted[key] = {"XINGFU": org.xingfu.pk, "HUAQIAO": org.huaqiao.pk}.get(value, value)
        if value == "OTHER":
            posted[key] = flow.new().number
    return order, getattr(personas, right), getattr(personas, wrong), posted, after


@pytest.mark.parametrize("action", list(MATRIX))
def test_move_allowed_for_right_role_only(client, flow, personas, org, action):
    order, right, wrong, data, after = build(flow, personas, org, action)
    url = reverse("hotline:act", args=[order.pk, action])
    client.force_login(personas.outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(wrong)
    assert client.post(url, data).status_code == 403
    client.force_login(right)
    response = client.post(url, data)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == after
    assert order.events.filter(action=action).count() == 1


def test_buttons_come_from_available_transitions(client, flow, personas):
    order = flow.dispatched()
    client.force_login(personas.xf_liaison)
    html = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert 'data-testid="do-accept"' in html and 'data-testid="do-return"' in html
    assert 'data-testid="do-dispatch"' not in html
    client.force_login(personas.xf_head)
    html = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert 'data-testid="do-accept"' not in html


def test_second_accept_gets_a_clear_message(client, flow, personas):
    order = flow.handling()
    client.force_login(personas.xf_liaison)
    response = client.post(reverse("hotline:act", args=[order.pk, "accept"]), follow=True)
    assert "请刷新" in response.content.decode()


def test_outsider_cannot_see_order_or_list_it(client, flow, personas):
    order = flow.dispatched()
    client.force_login(personas.outsider)
    assert client.get(reverse("hotline:order", args=[order.pk])).status_code == 404
    assert order.number not in client.get(reverse("hotline:orders")).content.decode()
    assert order.number not in client.get(reverse("hotline:queue", args=["inbox"])).content.decode()


def anonymous_order(flow, personas, org):
    order = flow.new(anonymous=True, caller_phone="13987654321", caller_name="李四")
    return services.dispatch(order, personas.dispatcher, lead_unit=org.xingfu)


def test_anonymous_caller_never_reaches_the_unit(client, flow, personas, org):
    order = anonymous_order(flow, personas, org)
    order = services.subdispatch(services.accept(order, personas.xf_liaison), personas.xf_liaison,
                                 community=org.huaqiao)
    for user in (personas.xf_liaison, personas.hq_worker, personas.xf_head):
        client.force_login(user)
        for url in (reverse("hotline:order", args=[order.pk]), reverse("hotline:orders"),
                    reverse("hotline:queue", args=["inbox"]), reverse("hotline:queue", args=["tasks"])):
            html = client.get(url).content.decode()
            assert "13987654321" not in html and "4321" not in html and "李四" not in html
        sheet = load_workbook(BytesIO(client.get(reverse("hotline:export")).content)).active
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert order.number in cells and "4321" not in cells and "保密" in cells
    client.force_login(personas.hq_worker)  # holds core.reveal_person_data, still refused
    response = client.post(reverse("core:reveal"), {"model": "hotline.WorkOrder", "pk": order.pk,
                                                    "field": "caller_phone"})
    assert response.status_code == 403


def test_platform_sees_masked_and_may_reveal(client, flow, personas, org):
    order = anonymous_order(flow, personas, org)
    client.force_login(personas.operator)
    html = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert "13987654321" not in html and "4321" in html
    response = client.post(reverse("core:reveal"), {"model": "hotline.WorkOrder", "pk": order.pk,
                                                    "field": "caller_phone"})
    assert response.json()["value"] == "13987654321"


def test_search_by_number_phone_and_text(client, flow, personas):
    a = flow.new(caller_phone="13800001111", content="口罩价格过高")
    b = flow.new(caller_phone="13800002222", content="鄂籍车辆滞留")
    client.force_login(personas.operator)
    url = reverse("hotline:orders")
    assert b.number not in client.get(url, {"q": "口罩"}).content.decode()
    assert a.number in client.get(url, {"q": "口罩"}).content.decode()
    html = client.get(url, {"phone": "138 0000 2222"}).content.decode()
    assert b.number in html and a.number not in html
    html = client.get(url, {"q": a.number}).content.decode()
    assert a.number in html and b.number not in html


def test_queues_and_home_tiles(client, flow, personas):
    flow.dispatched()
    client.force_login(personas.xf_liaison)
    html = client.get(reverse("core:home")).content.decode()
    assert "本单位待办" in html
    for name in ("inbox",):
        assert client.get(reverse("hotline:queue", args=[name])).status_code == 200
    assert client.get(reverse("hotline:queue", args=["dispatch"])).status_code == 403
    client.force_login(personas.supervisor)
    for name in ("red", "overdue", "extensions", "review"):
        assert client.get(reverse("hotline:queue", args=[name])).status_code == 200


def test_inbox_query_count_is_flat(client, flow, personas, django_assert_max_num_queries):
    for _ in range(5):
        flow.dispatched()
    client.force_login(personas.xf_liaison)
    client.get(reverse("hotline:queue", args=["inbox"]))
    with django_assert_max_num_queries(12):
        client.get(reverse("hotline:queue", args=["inbox"]))


def test_intake_form_creates_an_order(client, personas, categories):
    client.force_login(personas.operator)
    assert client.get(reverse("hotline:intake")).status_code == 200
    response = client.post(reverse("hotline:intake"), {
        "caller_phone": "13812345678", "caller_name": "张三", "order_type": "report", "category": "EP-PRICE",
        "content": "陈桥某药店口罩一只卖10元", "channel": "phone", "urgency": "normal", "next": "order"})
    assert response.status_code == 302
    history = client.get(reverse("hotline:caller_history"), {"phone": "13812345678"}).json()
    assert len(history["orders"]) == 1
    client.force_login(personas.xf_liaison)
    assert client.get(reverse("hotline:intake")).status_code == 403
    assert client.get(reverse("hotline:caller_history"), {"phone": "13812345678"}).status_code == 403


def test_knowledge_hits_and_public_faq(client, personas):
    from hotline.models import KnowledgeEntry

    KnowledgeEntry.objects.create(question="从湖北返回需要隔离吗", answer="须居家隔离观察14天", tags="隔离,湖北")
    KnowledgeEntry.objects.create(question="内部口径", answer="x", public=False)
    client.force_login(personas.operator)
    hits = client.get(reverse("hotline:knowledge_hits"), {"q": "我家邻居刚从湖北回来没有隔离"}).json()["entries"]
    assert hits and hits[0]["question"] == "从湖北返回需要隔离吗"
    client.logout()
    html = client.get(reverse("hotline:faq")).content.decode()
    assert "从湖北返回需要隔离吗" in html and "内部口径" not in html


def test_emergency_screen(client, personas):
    client.force_login(personas.supervisor)
    client.post(reverse("hotline:emergency"), {"on": "1", "level": "一级", "note": "疫情防控"})
    assert "应急响应已启动" in client.get(reverse("hotline:orders")).content.decode()
    client.force_login(personas.operator)
    assert client.get(reverse("hotline:emergency")).status_code == 403


def test_community_worker_may_reveal_a_non_anonymous_caller(client, flow, personas, org):
    order = services.subdispatch(flow.handling(), personas.xf_liaison, community=org.huaqiao)
    client.force_login(personas.hq_worker)
    response = client.post(reverse("core:reveal"), {"model": "hotline.WorkOrder", "pk": order.pk,
                                                    "field": "caller_phone"})
    assert response.json()["value"] == "13812345678"
    client.force_login(personas.yh_worker)  # another street's community: the order does not exist for them
    assert client.post(reverse("core:reveal"), {"model": "hotline.WorkOrder", "pk": order.pk,
                                                "field": "caller_phone"}).status_code == 404


def test_order_page_query_count_is_pinned(client, flow, personas, org, django_assert_max_num_queries):
    order = services.subdispatch(flow.handling(), personas.xf_liaison, community=org.huaqiao)
    client.force_login(personas.xf_liaison)
    url = reverse("hotline:order", args=[order.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_admin_shows_orders_read_only(client, flow, django_user_model):
    order = flow.new()
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    assert client.get(reverse("admin:hotline_workorder_changelist")).status_code == 200
    html = client.get(reverse("admin:hotline_workorder_change", args=[order.pk])).content.decode()
    assert "13812345678" not in html
    assert client.get(reverse("admin:hotline_knowledgeentry_add")).status_code == 200


def test_co_unit_sees_the_order_but_cannot_act_for_the_lead_unit(client, flow, personas, org):
    order = services.dispatch(flow.new(), personas.dispatcher, lead_unit=org.xingfu, co_units=[org.chenqiao])
    client.force_login(personas.outsider)  # 陈桥街道 liaison, here a co-unit
    assert client.get(reverse("hotline:order", args=[order.pk])).status_code == 200
    for action in ("accept", "return"):
        assert client.post(reverse("hotline:act", args=[order.pk, action]), {"reason": "x"}).status_code == 403


def test_co_unit_gives_its_opinion_to_the_lead_unit(client, flow, personas, org):
    order = services.dispatch(flow.new(), personas.dispatcher, lead_unit=org.xingfu, co_units=[org.chenqiao])
    client.force_login(personas.outsider)  # 陈桥街道 liaison, here a co-unit
    page = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert "协办意见" in page
    empty = client.post(reverse("hotline:act", args=[order.pk, "co_opinion"]), {"note": "  "}, follow=True)
    assert "请填写协办意见" in empty.content.decode()
    client.post(reverse("hotline:act", args=[order.pk, "co_opinion"]), {"note": "已核实:该药店不在陈桥街道辖区。"})
    event = order.events.filter(action="co_opinion").get()
    assert event.note.startswith("已核实") and event.data["co_units"] == ["陈桥街道"]
    order.refresh_from_db()
    assert order.state == "pending_accept"  # an opinion moves nothing
    # The lead unit reads it but cannot speak as a co-unit; a unit that is neither gets 404.
    client.force_login(personas.xf_liaison)
    assert "已核实:该药店不在陈桥街道辖区" in client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert client.post(reverse("hotline:act", args=[order.pk, "co_opinion"]), {"note": "x"}).status_code == 403
    client.force_login(personas.hq_worker)
    assert client.post(reverse("hotline:act", args=[order.pk, "co_opinion"]), {"note": "x"}).status_code == 404

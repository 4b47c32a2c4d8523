"""The gate page in a real browser: offline → register → online → stored exactly once."""

import pytest

from conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_offline_entry_is_queued_and_stored_once_when_online(page, org, personas):
    from community.models import GateEntry

    login(page, "volunteer")
    page.goto(f"{page.base_url}/community/gates/{org.yonghe_gate.pk}/")
    page.wait_for_selector(".person .who")
    page.context.set_offline(True)
    page.click(".seg-btn[data-value=vehicle]")
    for key in ["苏", "F", "1", "2", "3", "4", "5"]:
        page.click(f'.kbd button[data-key="{key}"]')
    assert page.input_value("#plate") == "苏F12345"
    page.fill(".person .who", "送货司机")
    page.fill(".person .phone", "13800001234")
    page.click('[data-testid="submit"]')
    page.wait_for_selector('[data-testid="queue"]:has-text("待发送 1")')
    assert page.locator('[data-testid="net"]').inner_text() == "离线"
    assert GateEntry.objects.count() == 0

    page.context.set_offline(False)
    page.wait_for_selector('[data-testid="queue"]', state="hidden", timeout=15000)
    page.wait_for_selector("#result.ok")
    assert GateEntry.objects.count() == 1
    entry = GateEntry.objects.get()
    assert entry.plate == "苏F12345" and entry.recorder.username == "volunteer"

    # A resend of the same key (e.g. the answer was lost) must not create a second entry.
    page.evaluate("""() => {
        const k = 'shouhu.gate.recent.' + document.getElementById('gate-app').dataset.gate;
        return JSON.parse(localStorage.getItem(k))[0].key; }""")
    status = page.evaluate("""async (key) => {
        const m = document.cookie.match(/csrftoken=([^;]+)/);
        const r = await fetch('/api/v1/community/entries/', {method: 'POST', credentials: 'same-origin',
          headers: {'Content-Type': 'application/json', 'X-CSRFToken': m[1]},
          body: JSON.stringify({gate: %d, idempotency_key: key, direction: 'in', mode: 'vehicle', plate: '苏F12345',
                                people: [{name: '送货司机', phone: '13800001234', temperature: '36.5'}]})});
        return r.status; }""" % org.yonghe_gate.pk, entry.idempotency_key)
    assert status == 200
    assert GateEntry.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fever_shows_advice_to_volunteer(page, org, personas):
    from community.rules import ensure_default_rules

    ensure_default_rules()  # a transactional test flushed the migration's rows
    login(page, "volunteer")
    page.goto(f"{page.base_url}/community/gates/{org.yonghe_gate.pk}/")
    page.wait_for_selector(".person .who")
    page.fill(".person .who", "访客乙")
    page.fill(".person .phone", "13800001235")
    for _ in range(10):
        page.click('.person .step[data-step="0.1"]')
    assert page.input_value(".person .temp") == "37.5"
    page.click('[data-testid="submit"]')
    page.wait_for_selector("#result.alert")
    assert "复测" in page.inner_text("#result")
    page.screenshot(path="/tmp/community-gate-alert.png", full_page=True)

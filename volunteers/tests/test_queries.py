"""Lists must not issue a query per row: the count stays the same as the roster grows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from volunteers import services
from volunteers.tests.factories import MONDAY, gate_post, sign_up, volunteer_user


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_roster_signup_list_and_hours_pages_have_a_fixed_query_count(client, org, personas):
    gate = gate_post(personas.yh_worker, org.yonghe_gate, templates=((7, 11),))
    volunteer_user(org.yonghe, personas.yh_worker, 1)
    sign_up(org.yonghe, 50)
    services.generate_roster(personas.yh_worker, gate, MONDAY)
    client.force_login(personas.yh_worker)
    urls = [reverse("volunteers:post_detail", args=[gate.pk]) + f"?week={MONDAY}",
            reverse("volunteers:signup_list") + "?status=all",
            reverse("volunteers:hours") + f"?start={MONDAY}&end={MONDAY}",
            reverse("volunteers:index")]
    before = [_queries(client, url) for url in urls]
    for n in range(2, 6):
        volunteer_user(org.yonghe, personas.yh_worker, n)
        sign_up(org.yonghe, 50 + n)
    for shift in services.ensure_shifts(gate, MONDAY, 7):
        for user in services.eligible_users(gate)[:3]:
            try:
                services.assign(personas.yh_worker, shift, user)
            except services.DoubleBooking:
                pass
    after = [_queries(client, url) for url in urls]
    assert after == before

"""Demo data: a citizen mini-program's key, two Open311 reports from it, and the city platform's transfer of
one order. Idempotent. In demo mode (SHOUHU_DEMO=1) the mini-program's key is derived from the development
secret, so it is the same on every load and printed here; outside demo mode no key is made."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from interop import services
from interop.models import ApiKey, Open311Request, UpperOrder
from interop.services.open311 import Submission, submit
from places.models import OrgUnit

REPORTS = [
    {"service_code": "EP-GATHER", "address_string": "幸福街道永和佳苑南门", "description": "小区门口棋牌室仍在营业,十几个人聚集打牌。"},
    {"service_code": "EP-LIVING", "address_id": "320611006", "description": "封闭小区里独居老人买不到菜,请社区帮忙。",
     "attribute[order_type]": "help", "attribute[urgency]": "urgent"},
]
UPPER = dict(platform_number="NT2020020700012", content="市12345转办:港闸区某药店口罩一只卖十元,请核查处理并反馈。",
             category="EP-PRICE", order_type="complaint", address="港闸区幸福街道")


def demo_key():
    digest = hashlib.sha256(("demo-api-key:" + settings.SECRET_KEY).encode()).hexdigest()
    return services.KEY_PREFIX + "demo_" + digest[:32]


def load(stdout=None):
    if not settings.DEMO:
        return
    district = OrgUnit.objects.filter(code="320611").first()
    if district is None:
        return
    raw = demo_key()
    key = ApiKey.objects.filter(key_hash=services.hash_key(raw)).first()
    if key is None:
        key, raw = services.create_api_key(unit=district, role="operator", name="市民小程序", channel="wechat",
                                           label="演示", raw=raw)
    made = 0
    if not Open311Request.objects.filter(api_key=key).exists():
        for report in REPORTS:
            post = QueryDict(mutable=True)
            post.update(report)
            submit(key, Submission.from_post(post))
            made += 1
    if not UpperOrder.objects.filter(platform_number=UPPER["platform_number"]).exists():
        city, _raw = services.create_api_key(unit=district, role="operator", name="市12345平台", label="演示")
        # the city's transfer belongs to the story's day, like the hotline's demo orders (received "now" with a
        # 2020 deadline it would read as received today and already overdue)
        services.receive_order(city.account.user, deadline=timezone.make_aware(datetime(2020, 2, 8, 18)),
                               now=timezone.make_aware(datetime(2020, 2, 7, 14, 20)), **UPPER)
    if stdout:
        stdout.write(f"interop: demo API key of 市民小程序 (Open311): {raw} ({made} new reports)")

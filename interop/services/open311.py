"""Open311 POST requests: a citizen's report becomes a real work order through hotline's intake."""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from accounts import access
from hotline import services as hotline
from hotline.models import OrderType, Urgency
from interop.models import Open311Request
from interop.open311 import catalog
from places.models import OrgUnit

MAX_DESCRIPTION = 4000


class NotFound(Exception):
    pass


@dataclass
class Submission:
    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    description: str = ""
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""
    attributes: dict = field(default_factory=dict)

    @classmethod
    def from_post(cls, post):
        names = {f for f in cls.__dataclass_fields__ if f != "attributes"}
        data = {name: (post.get(name) or "").strip() for name in names}
        attributes = {}
        for raw in post:
            if raw.startswith("attribute[") and raw.endswith("]"):
                code = raw[len("attribute["):-1]
                many = code.endswith("][")
                code = code[:-2] if many else code
                values = [v.strip() for v in post.getlist(raw) if v.strip()]
                if values:
                    attributes[code] = values if many or len(values) > 1 else values[0]
        return cls(attributes=attributes, **data)


def _coordinate(value, name, limit):
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValidationError(f"{name} 须为十进制数(WGS84)。") from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise ValidationError(f"{name} 超出范围(-{limit} 至 {limit})。")
    return number.quantize(Decimal("0.000001"))


def _location(sub):
    """lat+long, address_string or address_id: at least one (the spec's rule)."""
    lat = long = None
    if sub.lat or sub.long:
        if not (sub.lat and sub.long):
            raise ValidationError("lat 与 long 须同时提供。")
        lat, long = _coordinate(sub.lat, "lat", 90), _coordinate(sub.long, "long", 180)
    if lat is None and not sub.address_string and not sub.address_id:
        raise ValidationError("请提供位置:lat 与 long,或 address_string,或 address_id。")
    address = sub.address_string
    if not address and sub.address_id:
        unit = OrgUnit.objects.filter(code=sub.address_id).first()
        address = unit.name if unit else sub.address_id
    if not address and lat is not None:
        address = f"坐标 {lat},{long}"
    return lat, long, address[:300]


def _attributes(category, given):
    result = dict(given)
    for attr in catalog.attributes(category):
        value = given.get(attr["code"])
        if value in (None, "", []):
            if attr["required"]:
                raise ValidationError(f"请填写 attribute[{attr['code']}]({attr['description']})。")
            continue
        keys = {v["key"] for v in attr.get("values", [])}
        values = value if isinstance(value, list) else [value]
        if keys and any(v not in keys for v in values):
            raise ValidationError(f"attribute[{attr['code']}] 的取值不正确,可选:{'、'.join(sorted(keys))}。")
        if attr["datatype"] == "singlevaluelist" and len(values) > 1:
            raise ValidationError(f"attribute[{attr['code']}] 只能取一个值。")
    return result


def _contact(sub):
    if sub.email:
        validate_email(sub.email)  # raises ValidationError with Django's (Chinese) message
    if sub.media_url:
        URLValidator(schemes=["http", "https"])(sub.media_url)
    if len(sub.description) > MAX_DESCRIPTION:
        raise ValidationError(f"description 不能超过 {MAX_DESCRIPTION} 个字符。")


def submit(key, sub):
    """Create the work order for an Open311 request. Raises PermissionDenied (403), NotFound (404),
    ValidationError (400). Returns (order, Open311Request)."""
    user = key.account.user
    if not access.has_perm(user, "hotline.intake"):
        raise PermissionDenied("该 API 密钥所属账号无权提交诉求。")
    if not sub.service_code:
        raise ValidationError("请提供 service_code。")
    category = catalog.service(sub.service_code)
    if category is None:
        raise NotFound(f"服务 {sub.service_code} 不存在。")
    lat, long, address = _location(sub)
    _contact(sub)
    attributes = _attributes(category, sub.attributes)
    order_type = attributes.get("order_type") if attributes.get("order_type") in OrderType.values else OrderType.HELP
    urgency = attributes.get("urgency") if attributes.get("urgency") in Urgency.values else Urgency.NORMAL
    content = sub.description or f"{category.name}({address})"
    with transaction.atomic():
        order = hotline.intake(
            user, content=content, order_type=order_type, category=category,
            caller_name=(sub.last_name + sub.first_name).strip(), caller_phone=sub.phone, address=address,
            channel=key.account.channel, urgency=urgency,
        )
        extra = Open311Request.objects.create(
            order=order, api_key=key, token=secrets.token_hex(16), lat=lat, long=long, address_id=sub.address_id[:100],
            media_url=sub.media_url[:500], email=sub.email, device_id=sub.device_id[:100],
            account_id=sub.account_id[:100], attributes=attributes,
        )
    return order, extra

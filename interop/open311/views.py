"""Open311 GeoReport v2 endpoints (thin: parse, check the key, call selectors/services, render).

discovery, services and service definitions are public; every request endpoint needs an api_key
(query/form field `api_key`, or the `X-Api-Key` / `Authorization: Api-Key` header) and sees only the
orders in the jurisdiction of the key's system account.
"""

import functools
from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from interop.auth import key_from_headers
from interop.open311 import catalog, selectors
from interop.open311.render import error_response, respond
from interop.services import keys
from interop.services.open311 import NotFound, Submission, submit

CHANGESET = "2026-11-29T00:00:00+08:00"


def endpoint(*methods):
    """Allowed methods, errors in the spec's format (the format comes from the URL's suffix)."""

    def decorator(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, fmt="xml", **kwargs):
            if request.method not in methods:
                response = error_response(fmt, 405, f"不支持 {request.method} 方法。")
                response["Allow"] = ", ".join(methods)
                return response
            if _has_nul(request, kwargs):
                return error_response(fmt, 400, "参数含有非法字符(NUL)。")
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except NotFound as exc:
                return error_response(fmt, 404, exc)
            except PermissionDenied as exc:
                return error_response(fmt, 403, exc)
            except ValidationError as exc:
                return error_response(fmt, 400, ";".join(exc.messages))

        return wrapper

    return decorator


def _has_nul(request, kwargs):
    """NUL cannot be stored or compared in PostgreSQL text: refuse it up front rather than fail with a 500."""
    values = list(kwargs.values()) + [v for q in (request.GET, request.POST) for vs in q.lists() for v in vs[1]]
    values += [k for q in (request.GET, request.POST) for k in q]
    return any("\x00" in str(v) for v in values)


def _key(request):
    raw = key_from_headers(request) or request.POST.get("api_key", "") or request.GET.get("api_key", "")
    if not raw.strip():
        raise PermissionDenied("缺少 api_key。")
    key = keys.find_key(raw.strip())
    if key is None:
        raise PermissionDenied("api_key 无效或已吊销。")
    keys.touch(key)
    return key


def _when(request, name):
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    # An unencoded "+08:00" arrives as " 08:00".
    try:
        value = parse_datetime(raw.replace(" ", "+")) if "T" in raw else None
        if value is None and "T" not in raw:
            day = parse_date(raw)
            if day is not None:
                value = datetime.combine(day, time.min)
    except ValueError:  # well-formed but impossible (month 13)
        value = None
    if value is None:
        raise ValidationError(f"{name} 须为 ISO 8601 日期时间,如 2020-02-07T10:00:00+08:00。")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _list(request, name):
    return [v.strip() for v in (request.GET.get(name) or "").split(",") if v.strip()]


@endpoint("GET")
def discovery(request, fmt):
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0] + "/"
    return respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": "向区12345平台管理员申请 API 密钥(系统账号)",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": base,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    })


@endpoint("GET")
def service_list(request, fmt):
    return respond(fmt, "services", [catalog.as_service(c) for c in catalog.services()])


@endpoint("GET")
def service_definition(request, fmt, code):
    category = catalog.service(code)
    if category is None:
        raise NotFound(f"服务 {code} 不存在。")
    attributes = catalog.attributes(category)
    if not attributes:
        raise NotFound(f"服务 {code} 没有附加字段(metadata 为 false),无需获取服务定义。")
    return respond(fmt, "service_definition", {"service_code": category.code, "attributes": attributes})


@endpoint("GET", "POST")
def requests(request, fmt):
    key = _key(request)
    if request.method == "POST":
        order, extra = submit(key, Submission.from_post(request.POST))
        item = {"service_request_id": order.number, "service_notice": selectors.as_request(order)["service_notice"],
                "account_id": extra.account_id or None}
        return respond(fmt, "service_requests", [item], status=201)
    statuses = _list(request, "status")
    if any(s not in ("open", "closed") for s in statuses):
        raise ValidationError("status 只能为 open 或 closed(可用逗号分隔)。")
    start, end = _when(request, "start_date"), _when(request, "end_date")
    if start and end and end < start:
        raise ValidationError("end_date 不能早于 start_date。")
    found = selectors.requests_for(
        key.account.user, numbers=_list(request, "service_request_id"), service_codes=_list(request, "service_code"),
        statuses=statuses, start=start, end=end, now=timezone.now(),
    )
    return respond(fmt, "service_requests", [selectors.as_request(o) for o in found])


@endpoint("GET")
def request_detail(request, fmt, number):
    key = _key(request)
    found = selectors.requests_for(key.account.user, numbers=[number])
    if not found:
        raise NotFound(f"服务请求 {number} 不存在。")
    return respond(fmt, "service_requests", [selectors.as_request(found[0])])


@endpoint("GET")
def token(request, fmt, token):
    key = _key(request)
    extra = selectors.token_for(key.account.user, token)
    if extra is None:
        raise NotFound(f"令牌 {token} 不存在。")
    return respond(fmt, "service_requests", [{"service_request_id": extra.order.number, "token": extra.token}])


@endpoint("GET")
def updates(request, fmt):
    key = _key(request)
    start, end = _when(request, "start_date"), _when(request, "end_date")
    if start and end and end < start:
        raise ValidationError("end_date 不能早于 start_date。")
    found = selectors.updates_for(key.account.user, numbers=_list(request, "service_request_id"), start=start,
                                  end=end, now=timezone.now())
    return respond(fmt, "service_request_updates", [selectors.as_update(e) for e in found])


@csrf_exempt
def not_found(request, rest=""):
    return error_response(request.path, 404, "资源不存在。")

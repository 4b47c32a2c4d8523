"""Open311 GeoReport v2 output: XML (required by the spec) and JSON by the Spark convention
(the XML root is dropped; repeated elements become arrays)."""

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

# Element name of one item inside each list element.
ITEM = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "errors": "error", "endpoints": "endpoint", "formats": "format", "service_request_updates": "request_update",
}
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


def w3c(value):
    """ISO 8601 (W3C note) with the offset, in local time: 2020-02-07T10:00:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value)
    return str(value)


def _build(parent, tag, value):
    element = ET.SubElement(parent, tag) if parent is not None else ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _build(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _build(element, ITEM[tag], child)
    else:
        element.text = _text(value)
    return element


def to_xml(root, value):
    body = ET.tostring(_build(None, root, value), encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body


def _jsonable(value):
    if isinstance(value, datetime):
        return w3c(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def respond(fmt, root, value, status=200):
    """`value` is what the root element holds: a list for list roots, a dict otherwise."""
    if fmt == "json":
        body = json.dumps(value, ensure_ascii=False, default=_jsonable)
    else:
        body = to_xml(root, value)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def format_of(path):
    return "json" if path.rstrip("/").endswith(".json") else "xml"


def error_response(path_or_fmt, status, description):
    fmt = path_or_fmt if path_or_fmt in CONTENT_TYPES else format_of(path_or_fmt)
    return respond(fmt, "errors", [{"code": status, "description": str(description)}], status=status)

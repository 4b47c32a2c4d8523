"""A byte limit for every request body, files included. Django's DATA_UPLOAD_MAX_MEMORY_SIZE counts only
non-file fields; an Excel import or a photo could otherwise stream gigabytes to the temp directory before any
form looks at it. Over SHOUHU_MAX_REQUEST_BYTES (default 20 MB): 413 with a Chinese message, nothing read.

In settings.MIDDLEWARE right after SecurityMiddleware: "core.uploads.RequestSizeLimitMiddleware".
"""

import json

from django.conf import settings
from django.http import HttpResponse

MESSAGE = "上传的内容过大(上限 {mb} MB),请拆分文件或压缩照片后重试。"


def limit():
    return int(getattr(settings, "SHOUHU_MAX_REQUEST_BYTES", 20 * 1024 * 1024))


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit():
            return refuse(request, 413, MESSAGE.format(mb=limit() // (1024 * 1024)))
        return self.get_response(request)


def refuse(request, status, message):
    """A Chinese refusal: JSON for the API and Open311, a small page otherwise."""
    if request.path.startswith(("/api/", "/open311/")):
        return HttpResponse(json.dumps({"detail": message}, ensure_ascii=False), status=status,
                            content_type="application/json; charset=utf-8")
    return HttpResponse(f"<!doctype html><meta charset=\"utf-8\"><title>{status}</title><p>{message}</p>",
                        status=status, content_type="text/html; charset=utf-8")


NUL_MESSAGE = "请求中含有不可见的空字符(\\0),请删除后重试。"


class NulByteMiddleware:
    """A NUL character is never meant in text and PostgreSQL refuses it in text columns (a 500 deep in a
    query): refused as 400 before any view, in the path, the query string, forms and JSON bodies. Multipart
    bodies are left alone (files hold NUL bytes); Django's form fields refuse NUL in their text fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.has_nul(request):
            return refuse(request, 400, NUL_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def has_nul(request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            body = request.body  # within the size limit checked just before
            return b"\x00" in body or b"\\u0000" in body
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"%00" in request.body or b"\x00" in request.body
        return False

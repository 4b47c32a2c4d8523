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
            message = MESSAGE.format(mb=limit() // (1024 * 1024))
            if request.path.startswith(("/api/", "/open311/")):
                return HttpResponse(json.dumps({"detail": message}, ensure_ascii=False), status=413,
                                    content_type="application/json; charset=utf-8")
            return HttpResponse(f"<!doctype html><meta charset=\"utf-8\"><title>413</title><p>{message}</p>",
                                status=413, content_type="text/html; charset=utf-8")
        return self.get_response(request)

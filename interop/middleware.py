"""Idempotency-Key for POSTs under /api/v1/ and /open311/.

The first answer is stored together with the write, in the same transaction: a retry with the same key
gets that answer back and writes nothing; two requests racing with one key cannot both write, since the
loser's insert of the record fails and its whole transaction (its write included) rolls back. Server
errors (5xx) are not stored, so the client may retry them. The same key with another body, method or
path is refused with 422. Records expire after SHOUHU_IDEMPOTENCY_HOURS (24) and are purged by the worker.
"""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from interop.auth import key_from_headers

PREFIXES = ("/api/v1/", "/open311/")
HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"


def _identity(request):
    """Who the key belongs to: the API key (header or Open311 api_key field) or the signed-in user."""
    raw = key_from_headers(request)
    if not raw and request.path.startswith("/open311/"):
        raw = request.POST.get("api_key", "") or request.GET.get("api_key", "")
    if raw:
        return "key:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anon"


def _error(request, status, message):
    if request.path.startswith("/open311/"):
        from interop.open311.render import error_response

        return error_response(request.path, status, message)
    return HttpResponse(json.dumps({"detail": message}, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def expired_before(now=None):
    return (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_HOURS)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(PREFIXES):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return _error(request, 400, f"Idempotency-Key 须为 1 至 {MAX_KEY_LENGTH} 个字符。")
        return self._handle(request, key)

    def _handle(self, request, key):
        from interop.models import IdempotencyRecord

        body_hash = hashlib.sha256(request.body).hexdigest()
        identity = _identity(request)
        IdempotencyRecord.objects.filter(identity=identity, key=key, created_at__lt=expired_before()).delete()
        found = self._find(identity, key)
        if found is not None:
            return self._replay(request, found, body_hash)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500 or getattr(response, "streaming", False):
                    if response.status_code >= 500:
                        transaction.set_rollback(True)
                    return response
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        key=key, identity=identity, method=request.method, path=request.path, body_hash=body_hash,
                        status=response.status_code, content_type=response.get("Content-Type", ""),
                        body=bytes(response.content),
                    )
                return response
        except IntegrityError:
            # Another request with this key committed first: our write is rolled back, theirs answers.
            found = self._find(identity, key)
            if found is None:
                raise
            return self._replay(request, found, body_hash)

    def _find(self, identity, key):
        from interop.models import IdempotencyRecord

        return IdempotencyRecord.objects.filter(identity=identity, key=key).first()

    def _replay(self, request, found, body_hash):
        if (found.method, found.path, found.body_hash) != (request.method, request.path, body_hash):
            return _error(request, 422, "该 Idempotency-Key 已用于另一个不同内容的请求;"
                                        "重试时请原样提交,新的请求请换一个新的 Idempotency-Key。")
        response = HttpResponse(bytes(found.body), status=found.status, content_type=found.content_type or None)
        response[REPLAY_HEADER] = "true"
        return response

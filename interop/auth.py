"""DRF authentication by API key: `Authorization: Api-Key <key>` or `X-Api-Key: <key>`."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from interop.services import keys


def key_from_headers(request):
    """The clear key a request carries in its headers, or "" (Django request or DRF request)."""
    meta = request.META
    header = meta.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "api-key" and value.strip():
        return value.strip()
    return meta.get("HTTP_X_API_KEY", "").strip()


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request):
        raw = key_from_headers(request)
        if not raw:
            return None
        key = keys.find_key(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("API 密钥无效或已吊销。"))
        keys.touch(key)
        return key.account.user, key

    def authenticate_header(self, request):
        return self.keyword


from interop import schema  # noqa: E402,F401  (registers the OpenAPI security scheme)

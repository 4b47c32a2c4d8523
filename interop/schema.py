"""OpenAPI additions: the API-key security scheme and the Idempotency-Key header on every POST."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "interop.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key",
                "description": "API 密钥;也可用 `Authorization: Api-Key <key>`。"}


IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 255},
    "description": "重试安全:同一密钥 24 小时内重复提交返回首次结果,不会重复写入;内容不同返回 422。",
}


def interop_additions(result, generator, request, public):
    """Postprocessing hook: add the Open311 endpoints (plain Django views) and document Idempotency-Key
    on every POST (the middleware honours it)."""
    from interop.open311 import openapi

    result.setdefault("paths", {}).update(openapi.PATHS)
    result.setdefault("components", {}).setdefault("schemas", {}).update(openapi.SCHEMAS)
    for operations in result.get("paths", {}).values():
        post = operations.get("post")
        if post is not None:
            params = post.setdefault("parameters", [])
            if not any(p.get("name") == "Idempotency-Key" for p in params):
                params.append(dict(IDEMPOTENCY_PARAMETER))
    return result

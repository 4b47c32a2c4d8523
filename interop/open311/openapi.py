"""The Open311 endpoints described for the OpenAPI schema (they are plain Django views, not DRF),
so /api/docs documents them and schemathesis exercises them like the REST API."""

FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": ["json", "xml"]},
          "description": "响应格式(XML 为规范必选,JSON 按 Spark 约定)"}
API_KEY = {"name": "api_key", "in": "query", "required": False, "schema": {"type": "string"},
           "description": "API 密钥(也可用 X-Api-Key 请求头);查询工单必填"}


def _query(name, description, **schema):
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string", **schema},
            "description": description}


def _path(name, description):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[^/.]+$"},
            "description": description}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description, schema, status="200"):
    errors = {"description": "错误:errors[{code, description}]", "content": {
        "application/json": {"schema": _ref("Open311Errors")}, "text/xml": {"schema": {"type": "string"}}}}
    return {status: {"description": description, "content": {"application/json": {"schema": schema},
                                                            "text/xml": {"schema": {"type": "string"}}}},
            "400": errors, "403": errors, "404": errors}


def _op(op_id, summary, params, description, schema, status="200", **extra):
    return {"operationId": op_id, "summary": summary, "tags": ["open311"], "parameters": params,
            "responses": _answer(description, schema, status), "security": [{"ApiKey": []}, {}], **extra}


DATE = {"format": "date-time"}
SCHEMAS = {
    "Open311Errors": {"type": "array", "items": {"type": "object", "properties": {
        "code": {"type": "integer"}, "description": {"type": "string"}}}},
    "Open311Service": {"type": "object", "properties": {
        "service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
        "metadata": {"type": "boolean"}, "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"}, "group": {"type": "string"}}},
    "Open311Request": {"type": "object", "properties": {
        **{name: {"type": "string"} for name in (
            "service_request_id", "status_notes", "service_name", "service_code", "description",
            "agency_responsible", "service_notice", "address", "address_id", "zipcode", "media_url")},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "requested_datetime": {"type": "string", **DATE}, "updated_datetime": {"type": "string", **DATE},
        "expected_datetime": {"type": "string", "nullable": True, **DATE},
        "lat": {"type": "number", "nullable": True}, "long": {"type": "number", "nullable": True}}},
    "Open311Update": {"type": "object", "properties": {
        "update_id": {"type": "string"}, "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]}, "updated_datetime": {"type": "string", **DATE},
        "description": {"type": "string"}, "media_url": {"type": "string"}}},
}

POST_BODY = {"type": "object", "required": ["api_key", "service_code"], "properties": {
    "api_key": {"type": "string"}, "service_code": {"type": "string"},
    "lat": {"type": "string", "description": "WGS84 纬度;与 long 同时提供"}, "long": {"type": "string"},
    "address_string": {"type": "string"}, "address_id": {"type": "string", "description": "单位编码,如 320611"},
    "first_name": {"type": "string"}, "last_name": {"type": "string"}, "phone": {"type": "string"},
    "email": {"type": "string"}, "description": {"type": "string", "maxLength": 4000},
    "media_url": {"type": "string"}, "device_id": {"type": "string"}, "account_id": {"type": "string"},
    "attribute[order_type]": {"type": "string"}, "attribute[urgency]": {"type": "string"},
}}

V2 = "/open311/v2/"
PATHS = {
    V2 + "discovery.{format}": {"get": _op(
        "open311_discovery", "服务发现(discovery)", [FORMAT], "发现文档", {"type": "object"})},
    V2 + "services.{format}": {"get": _op(
        "open311_services", "服务列表(公开的诉求分类)", [FORMAT], "服务列表",
        {"type": "array", "items": _ref("Open311Service")})},
    V2 + "services/{service_code}.{format}": {"get": _op(
        "open311_service_definition", "服务定义(附加字段)", [_path("service_code", "服务编码"), FORMAT], "服务定义",
        {"type": "object"})},
    V2 + "requests.{format}": {
        "get": _op("open311_requests", "查询服务请求(默认近 90 天、至多 1000 条)", [
            FORMAT, API_KEY, _query("service_request_id", "工单编号,逗号分隔"), _query("service_code", "服务编码"),
            _query("start_date", "ISO 8601 起始时间"), _query("end_date", "ISO 8601 截止时间"),
            _query("status", "open / closed,可逗号分隔")],
            "服务请求列表", {"type": "array", "items": _ref("Open311Request")}),
        "post": _op("open311_request_create", "提交服务请求(生成工单)", [FORMAT], "已受理",
                    {"type": "array", "items": {"type": "object"}}, status="201",
                    requestBody={"required": True, "content": {
                        "application/x-www-form-urlencoded": {"schema": POST_BODY}}}),
    },
    V2 + "requests/{service_request_id}.{format}": {"get": _op(
        "open311_request", "查询一个服务请求", [_path("service_request_id", "工单编号"), FORMAT, API_KEY],
        "服务请求", {"type": "array", "items": _ref("Open311Request")})},
    V2 + "tokens/{token}.{format}": {"get": _op(
        "open311_token", "由令牌查工单编号", [_path("token", "令牌"), FORMAT, API_KEY], "工单编号",
        {"type": "array", "items": {"type": "object"}})},
    V2 + "servicerequestupdates.{format}": {"get": _op(
        "open311_updates", "服务请求进展(updates 扩展)", [
            FORMAT, API_KEY, _query("service_request_id", "工单编号,逗号分隔"),
            _query("start_date", "ISO 8601 起始时间"), _query("end_date", "ISO 8601 截止时间")],
        "进展列表", {"type": "array", "items": _ref("Open311Update")})},
}

"""The API's JSON parser: every operation takes an object, so a body of null, a list, a number or a string is
refused here as 400 with a Chinese message, before any view calls request.data.get() on it."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class ObjectJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError("请求体须为 JSON 对象(以 { 开头的键值对)。")
        return data

"""OpenAPI descriptions of community/api.py. The views build their JSON by hand and pass the raw body to the
services (which validate it with Chinese messages); these serializers only describe it."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class CommunityErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="中文错误说明")


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    id_number = serializers.CharField(required=False)
    temperature = serializers.CharField(required=False, help_text="体温 ℃,如 36.5")
    resident = serializers.IntegerField(required=False, help_text="本小区居民 id(仅工作人员登记)")


class EntryRequestSerializer(serializers.Serializer):
    gate = serializers.IntegerField(help_text="卡口(门岗)id")
    idempotency_key = serializers.CharField()
    direction = serializers.CharField(help_text="in / out")
    mode = serializers.CharField(help_text="步行、车辆等")
    plate = serializers.CharField(required=False)
    people = PersonSerializer(many=True, required=False)
    travel = serializers.CharField(required=False)
    purpose = serializers.CharField(required=False)
    note = serializers.CharField(required=False)
    occurred_at = serializers.DateTimeField(required=False, help_text="离线登记时按下“登记”的时刻(带时区)")


class SelfEntryRequestSerializer(EntryRequestSerializer):
    gate = None
    occurred_at = None


class AlertSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()
    advice = serializers.CharField()


class EntryPersonSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="脱敏")
    temperature = serializers.CharField()
    resident = serializers.IntegerField(allow_null=True)


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created = serializers.BooleanField(help_text="false:同一 idempotency_key 已登记过,返回原记录")
    idempotency_key = serializers.CharField()
    gate = serializers.IntegerField()
    direction = serializers.CharField()
    mode = serializers.CharField()
    plate = serializers.CharField()
    plate_local = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    people = EntryPersonSerializer(many=True)
    alerts = AlertSerializer(many=True)


class EntryRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direction = serializers.CharField()
    mode = serializers.CharField()
    plate = serializers.CharField()
    alerted = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class SelfEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created = serializers.BooleanField()
    alerts = serializers.ListField(child=serializers.CharField(), help_text="给登记人的提示")


class QuarantineSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    end = serializers.DateField()
    day_n = serializers.IntegerField()


class ResidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField(help_text="脱敏")
    elderly = serializers.BooleanField()
    quarantine = QuarantineSerializer(allow_null=True)


class PlateSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    plate = serializers.CharField()
    province = serializers.CharField()
    city = serializers.CharField()
    local = serializers.BooleanField()
    new_energy = serializers.BooleanField()
    reason = serializers.CharField()


class CheckRequestSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text="隔离对象 id")
    temperature = serializers.CharField(help_text="体温 ℃")
    idempotency_key = serializers.CharField()
    symptoms = serializers.CharField(required=False)


class ResidentCheckRequestSerializer(CheckRequestSerializer):
    case = None


class CheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day_n = serializers.IntegerField()
    slot = serializers.CharField()
    temperature = serializers.CharField()
    late = serializers.BooleanField()
    after_end = serializers.BooleanField()
    fever = serializers.BooleanField()


class InspectionRequestSerializer(serializers.Serializer):
    checkpoint = serializers.IntegerField(help_text="检查点或卡口 id")
    kind = serializers.CharField()
    idempotency_key = serializers.CharField()
    people = PersonSerializer(many=True, required=False)
    vessel_name = serializers.CharField(required=False)
    vessel_registration = serializers.CharField(required=False)
    origin = serializers.CharField(required=False)
    destination = serializers.CharField(required=False)
    ports = serializers.ListField(child=serializers.CharField(), required=False)
    plate = serializers.CharField(required=False)


class InspectionRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    vessel_name = serializers.CharField()
    plate = serializers.CharField()
    flagged = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())
    at = serializers.DateTimeField()


class InspectionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    flagged = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())


ERRORS = {400: CommunityErrorSerializer, 403: CommunityErrorSerializer, 404: CommunityErrorSerializer}
PUBLIC_ERRORS = {400: CommunityErrorSerializer, 404: CommunityErrorSerializer}
TOKEN = OpenApiParameter("token", str, OpenApiParameter.PATH, description="签名链接中的令牌")

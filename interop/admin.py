"""Admin: create API keys (the clear key is shown once, in a message), revoke them, and retry
status pushes to the upper platform that used all their attempts (the dead-letter list)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core import jobs
from interop import services
from interop.models import ApiKey, SystemAccount, UpperOrder, WebhookDelivery
from places.models import OrgUnit


class ApiKeyCreateForm(forms.ModelForm):
    unit = forms.ModelChoiceField(OrgUnit.objects.filter(active=True).order_by("path"), label=_("所属单位"))
    role = forms.ChoiceField(choices=Role.choices, label=_("角色"), initial=Role.OPERATOR)
    name = forms.CharField(max_length=100, label=_("系统名称"), help_text=_("如:市民小程序、市12345平台"))
    channel = forms.ChoiceField(choices=SystemAccount.Channel.choices, label=_("受理渠道"))

    class Meta:
        model = ApiKey
        fields = ["label"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "account", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["account__role"]
    search_fields = ["prefix", "account__name", "label"]
    actions = ["revoke"]
    readonly_fields = ["prefix", "account", "label", "created_at", "created_by", "last_used_at", "revoked_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiKeyCreateForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["unit", "role", "name", "channel", "label"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        key, raw = services.create_api_key(unit=data["unit"], role=data["role"], name=data["name"],
                                           channel=data["channel"], label=data["label"], actor=request.user)
        obj.__dict__.update({k: v for k, v in key.__dict__.items() if not k.startswith("_")})
        messages.warning(request, _("新密钥只显示这一次,请立即复制保存:") + raw)

    @admin.action(description=_("吊销所选密钥"))
    def revoke(self, request, queryset):
        for key in queryset:
            services.revoke_key(key, request.user)
        messages.success(request, _("已吊销 %(n)d 个密钥。") % {"n": queryset.count()})


@admin.register(SystemAccount)
class SystemAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "role", "channel", "created_at"]
    readonly_fields = ["user", "name", "unit", "role", "created_at"]

    def has_add_permission(self, request):
        return False  # created with a key (ApiKey admin or create_api_key)


@admin.register(UpperOrder)
class UpperOrderAdmin(admin.ModelAdmin):
    list_display = ["platform_number", "order", "platform_deadline", "received_at"]
    search_fields = ["platform_number", "order__number"]
    readonly_fields = ["order", "platform_number", "platform_deadline", "platform_content", "platform_category",
                       "received_at", "received_by", "payload"]


class DeadFilter(admin.SimpleListFilter):
    title = _("送达情况")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("dead", _("失败待重试")), ("pending", _("发送中")), ("delivered", _("已送达"))]

    def queryset(self, request, queryset):
        from core.models import Job

        if self.value() == "dead":
            return queryset.filter(delivered_at__isnull=True, job__status=Job.Status.FAILED)
        if self.value() == "pending":
            return queryset.filter(delivered_at__isnull=True).exclude(job__status=Job.Status.FAILED)
        if self.value() == "delivered":
            return queryset.filter(delivered_at__isnull=False)
        return queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_id", "upper", "created_at", "delivered_at", "response_status"]
    list_filter = [DeadFilter]
    readonly_fields = ["event_id", "upper", "order_event", "payload", "created_at", "delivered_at",
                       "response_status", "job"]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新推送所选(失败的)消息"))
    def retry(self, request, queryset):
        count = sum(jobs.retry(d.job_id) for d in queryset if d.job_id and d.delivered_at is None)
        messages.success(request, _("已重新排队 %(n)d 条。") % {"n": count})

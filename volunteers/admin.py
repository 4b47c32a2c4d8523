"""Admin: read-mostly. Status changes go through services (approval, check-in); person data stays masked."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from core.person import mask_phone
from volunteers import services
from volunteers.models import Assignment, Post, Shift, ShiftTemplate, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "masked_phone", "party_member", "high_risk_ok", "status", "created_at"]
    list_filter = ["status", "party_member", "high_risk_ok"]
    search_fields = ["name"]
    exclude = ["phone", "id_number", "phone_hash", "id_hash"]
    readonly_fields = ["community", "status", "user", "created_at", "decided_at", "decided_by", "decision_note"]
    actions = ["approve", "decline"]

    @admin.display(description="电话")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def has_add_permission(self, request):
        return False  # sign-ups come through the public form

    def _decide(self, request, queryset, to_status):
        done = 0
        for volunteer in queryset:
            try:
                services.decide(request.user, volunteer, to_status)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{volunteer.name}: {exc}", messages.WARNING)
        self.message_user(request, f"已处理 {done} 条(新账号的初始密码请在报名详情页审核时查看)。")

    @admin.action(description="通过(已有账号的志愿者)")
    def approve(self, request, queryset):
        self._decide(request, queryset.filter(user__isnull=False), Volunteer.Status.APPROVED)

    @admin.action(description="不通过")
    def decline(self, request, queryset):
        self._decide(request, queryset, Volunteer.Status.DECLINED)


class TemplateInline(admin.TabularInline):
    model = ShiftTemplate
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "staffing", "high_risk", "active"]
    list_filter = ["kind", "staffing", "active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [TemplateInline]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["post", "start", "end", "min_staff"]
    list_filter = ["post"]
    date_hierarchy = "start"


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "shift", "status", "late", "checked_in_at", "checked_out_at", "credited_minutes"]
    list_filter = ["status", "late"]
    date_hierarchy = "start"
    readonly_fields = [f.name for f in Assignment._meta.fields]

    def has_add_permission(self, request):
        return False  # through the roster page: the overlap rule lives in services.assign

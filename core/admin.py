from django.contrib import admin, messages

from core import jobs
from core.models import AuditLog, CalendarDay, Job, Notification, Person
from core.person import mask_id_card, mask_phone


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "unit", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "status", "run_at", "attempts", "finished_at", "worker"]
    list_filter = ["status", "task"]
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry_failed"]

    @admin.action(description="重新执行所选的失败任务")
    def retry_failed(self, request, queryset):
        count = sum(jobs.retry(job.id) for job in queryset)
        self.message_user(request, f"已重新排队 {count} 个任务。", messages.SUCCESS)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "note"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "level", "read_at"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_phone", "masked_id", "unit", "created_at"]
    search_fields = ["name"]
    exclude = ["phone_hash", "id_hash"]

    @admin.display(description="电话")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description="身份证号")
    def masked_id(self, obj):
        return mask_id_card(obj.id_number)

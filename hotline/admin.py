from django.contrib import admin

from hotline.models import Category, DeadlineRule, EmergencyResponse, KnowledgeEntry, OrderEvent, WorkOrder


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_epidemic", "public", "territorial", "active", "sort"]
    list_filter = ["is_epidemic", "public", "active"]
    search_fields = ["code", "name"]


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "category", "valid_from", "valid_to", "public"]
    list_filter = ["public", "category"]
    search_fields = ["question", "answer", "tags", "source"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "order_type", "category", "urgency", "reply_workdays", "accept_workdays", "epidemic",
                    "active"]
    list_filter = ["active", "epidemic", "order_type"]


@admin.register(EmergencyResponse)
class EmergencyResponseAdmin(admin.ModelAdmin):
    """Read-only: the switch is the 应急响应 page, which audits every change."""

    list_display = ["level", "note", "started_at", "started_by", "ended_at", "ended_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    fields = ["at", "actor_label", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    """Read-only: every change of an order goes through hotline.services (STYLE.md §3)."""

    list_display = ["number", "order_type", "category", "state", "lead_unit", "received_at", "reply_due", "warning"]
    list_filter = ["state", "order_type", "epidemic", "warning"]
    search_fields = ["number", "external_id"]
    list_select_related = ["category", "lead_unit"]
    exclude = ["caller_name", "caller_phone"]  # person data: shown masked on the order page, revealed with audit
    inlines = [OrderEventInline]
    show_full_result_count = False  # no COUNT(*) over millions of rows

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

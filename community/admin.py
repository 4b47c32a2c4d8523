from django.contrib import admin

from community.models import Alert, AlertRule, GateEntry, Household, Inspection, QuarantineCase, StaffProfile


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    """The gate rules are edited here: on/off, the fever threshold, and the advice the volunteer reads."""

    list_display = ("kind", "enabled", "threshold", "level")
    list_editable = ("enabled", "threshold", "level")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "high_risk_ok", "note")
    list_editable = ("high_risk_ok",)
    autocomplete_fields = ("user",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("compound", "building", "entrance", "room")
    list_filter = ("compound",)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "community", "message", "status")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(GateEntry)
class GateEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "gate", "direction", "mode", "plate", "alerted")
    readonly_fields = [f.name for f in GateEntry._meta.fields]
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page

    def has_add_permission(self, request):
        return False


@admin.register(QuarantineCase)
class QuarantineCaseAdmin(admin.ModelAdmin):
    list_display = ("resident", "community", "start_date", "end_date", "status")
    readonly_fields = [f.name for f in QuarantineCase._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("at", "checkpoint", "kind", "vessel_name", "plate", "flagged")
    readonly_fields = [f.name for f in Inspection._meta.fields]

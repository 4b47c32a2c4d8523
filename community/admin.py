from django.contrib import admin

from community.models import Alert, AlertRule, GateEntry, Household, Inspection, QuarantineCase, StaffProfile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only (history, person data): the admin may look, not add or edit."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


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
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "community", "message", "status")
    list_filter = ("kind", "status")


@admin.register(GateEntry)
class GateEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "gate", "direction", "mode", "plate", "alerted")
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page


@admin.register(QuarantineCase)
class QuarantineCaseAdmin(ReadOnlyAdmin):
    list_display = ("resident", "community", "start_date", "end_date", "status")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("at", "checkpoint", "kind", "vessel_name", "plate", "flagged")

from django.contrib import admin

from reports.models import DailyReport, ReportTemplate, UnitReport


@admin.register(DailyReport)
class DailyReportAdmin(admin.ModelAdmin):
    list_display = ["date", "cutoff", "generated_at", "generated_by"]
    readonly_fields = ["date", "cutoff", "generated_at", "generated_by", "figures"]  # made by reports.daily only


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["emergency", "hours", "prompt"]


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "due_at", "submitted_at", "reminded_at"]
    list_filter = ["due_at"]
    readonly_fields = ["emergency", "unit", "due_at", "submitted_at", "submitted_by", "counts", "text", "reminded_at"]

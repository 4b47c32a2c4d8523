"""Reports: stored daily reports (日报) and the units' scheduled reports (定时上报) during 应急响应."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DailyReport(models.Model):
    """One stored 日报 of the whole platform per day and cut-off; `figures` is reports.daily.build()'s dict."""

    date = models.DateField(_("日期"))
    cutoff = models.TimeField(_("截止时间"), default="00:00")
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    figures = models.JSONField(_("数据"), default=dict)

    class Meta:
        verbose_name = _("日报")
        verbose_name_plural = _("日报")
        ordering = ["-date", "cutoff"]
        constraints = [models.UniqueConstraint(fields=["date", "cutoff"], name="reports_daily_unique")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.cutoff:%H:%M}"


class ReportTemplate(models.Model):
    """What units report during one emergency response: count fields plus a text prompt."""

    emergency = models.OneToOneField("hotline.EmergencyResponse", verbose_name=_("应急响应"), on_delete=models.CASCADE,
                                     related_name="report_template")
    fields = models.JSONField(_("数字项"), default=list, help_text=_('如 [{"key": "checked", "label": "排查人数"}]'))
    prompt = models.CharField(_("文字说明提示"), max_length=300, blank=True)
    hours = models.CharField(_("上报时点"), max_length=100, blank=True, help_text=_("如 10:00,16:00;留空用系统默认"))

    class Meta:
        verbose_name = _("定时上报模板")
        verbose_name_plural = _("定时上报模板")

    def __str__(self):
        return f"{self.emergency}"


class UnitReport(models.Model):
    """One unit's report owed at one time (a slot); submitted_at empty = not yet reported."""

    emergency = models.ForeignKey("hotline.EmergencyResponse", verbose_name=_("应急响应"), on_delete=models.CASCADE,
                                  related_name="unit_reports")
    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("应报时间"))
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    counts = models.JSONField(_("数字"), default=dict, blank=True)
    text = models.TextField(_("情况说明"), blank=True)
    reminded_at = models.DateTimeField(_("催报时间"), null=True, blank=True)

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("定时上报")
        verbose_name_plural = _("定时上报")
        ordering = ["-due_at", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["emergency", "unit", "due_at"], name="reports_slot_unique")]
        indexes = [models.Index(fields=["due_at", "submitted_at"])]

    def __str__(self):
        return f"{self.unit} {self.due_at:%m-%d %H:%M}"

    @property
    def late(self):
        return self.submitted_at is not None and self.submitted_at > self.due_at

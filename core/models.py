"""Shared records: the person registry, the audit log, background jobs, notifications, calendar overrides."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedIdCardField, EncryptedPhoneField


class Person(models.Model):
    """Someone the system holds personal data about (caller, resident, visitor, volunteer, donor).

    Phone and ID numbers are encrypted at rest; *_hash columns allow exact search without clear text.
    `unit` is the unit responsible for the record (jurisdiction), usually the home community.
    """

    name = models.CharField(_("姓名"), max_length=60)
    phone = EncryptedPhoneField(_("电话"))
    phone_hash = BlindIndexField(source="phone", kind="phone")
    id_number = EncryptedIdCardField(_("身份证号"))
    id_hash = BlindIndexField(source="id_number", kind="id_card")
    unit = models.ForeignKey(
        "places.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="people"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    JURISDICTION = ("unit",)
    REVEALABLE = ("phone", "id_number")

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self):
        return self.name


class AuditLog(models.Model):
    """Append-only: who did what to which object, when and from where. Never updated or deleted."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "places.OrgUnit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit log rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit log rows are append-only")


class Job(models.Model):
    """A unit of background work. Workers claim due jobs with a row lock; see core/jobs.py."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待执行")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    task = models.CharField(_("任务"), max_length=100)
    args = models.JSONField(_("参数"), default=dict, blank=True)
    run_at = models.DateTimeField(_("计划时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(_("最多尝试"), default=5)
    # Periodic and deduplicated jobs carry a key; the unique constraint makes enqueueing idempotent.
    unique_key = models.CharField(_("去重键"), max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    worker = models.CharField(_("执行者"), max_length=100, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["status", "run_at"])]

    def __str__(self):
        return f"{self.task} #{self.pk} ({self.get_status_display()})"


class Notification(models.Model):
    """An in-app message for one user: who must act next, or what happened."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    level = models.CharField(_("级别"), max_length=10, default="info")  # info | warning | danger
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class CalendarDay(models.Model):
    """An override of the working calendar (e.g. next year's holidays before the package knows them)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {'班' if self.is_workday else '休'} {self.note}"

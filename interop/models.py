"""Interoperability records: system accounts and their API keys, idempotency records, Open311 request
extras, orders pushed in by the upper-level (city) platform and the status webhooks pushed back."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.fields import EncryptedField


class SystemAccount(models.Model):
    """A Django user that is a machine (a citizen app, a mini-program, the city platform), not a person.

    It holds an ordinary Membership (unit, role), so accounts.access scopes it like anyone else."""

    class Channel(models.TextChoices):
        WEB = "web", _("网站")
        WECHAT = "wechat", _("微信/小程序")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="system_account")
    name = models.CharField(_("系统名称"), max_length=100)
    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                             related_name="+")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    channel = models.CharField(_("受理渠道"), max_length=10, choices=Channel.choices, default=Channel.WEB,
                               help_text=_("经此账号提交的工单记为该渠道"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("系统账号")
        verbose_name_plural = _("系统账号")
        constraints = [models.UniqueConstraint(fields=["unit", "role", "name"], name="unique_system_account")]

    def __str__(self):
        return f"{self.name}({self.unit} · {self.get_role_display()})"


class ApiKey(models.Model):
    """Only the SHA-256 of the key is stored; the clear key is shown once when created."""

    account = models.ForeignKey(SystemAccount, verbose_name=_("系统账号"), on_delete=models.CASCADE,
                                related_name="keys")
    label = models.CharField(_("备注"), max_length=100, blank=True)
    prefix = models.CharField(_("密钥前缀"), max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.prefix}… {self.account.name}"

    @property
    def active(self):
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an Idempotency-Key, replayed to retries for 24 hours."""

    key = models.CharField(max_length=255)
    identity = models.CharField(max_length=80, help_text="who sent it: key:<hash> / user:<id> / anon")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["identity", "key"], name="unique_idempotency_key")]

    def __str__(self):
        return f"{self.key} {self.method} {self.path}"


class Open311Request(models.Model):
    """What an Open311 client sent that a work order has no column for (location, media, attributes)."""

    order = models.OneToOneField("hotline.WorkOrder", on_delete=models.CASCADE, related_name="open311")
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=40, unique=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    email = EncryptedField(_("电子邮箱"), kind="email")
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")

    def __str__(self):
        return self.token


class UpperOrder(models.Model):
    """An order pushed in by the city 12345 platform: its own number, deadline and content are kept."""

    order = models.OneToOneField("hotline.WorkOrder", on_delete=models.CASCADE, related_name="upper")
    platform_number = models.CharField(_("上级工单编号"), max_length=60, unique=True)
    platform_deadline = models.DateTimeField(_("上级办结时限"), null=True, blank=True)
    platform_content = models.TextField(_("上级工单内容"))
    platform_category = models.CharField(_("上级分类"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    payload = models.JSONField(_("原始报文"), default=dict, blank=True)

    class Meta:
        verbose_name = _("上级平台工单")
        verbose_name_plural = _("上级平台工单")
        ordering = ["-received_at"]

    def __str__(self):
        return self.platform_number


class ExchangeCursor(models.Model):
    """How far the status scanner has read the hotline timeline (OrderEvent ids are increasing)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)


class WebhookDelivery(models.Model):
    """One signed status message for the upper platform. Its job (core.jobs) does the retries;
    a job that used all its attempts is the dead-letter list."""

    event_id = models.CharField(_("事件编号"), max_length=40, unique=True)
    upper = models.ForeignKey(UpperOrder, verbose_name=_("上级工单"), on_delete=models.CASCADE,
                              related_name="deliveries")
    order_event = models.ForeignKey("hotline.OrderEvent", null=True, on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField(_("内容"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("对方响应码"), null=True, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("状态推送")
        verbose_name_plural = _("状态推送")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.event_id

    @property
    def last_error(self):
        """The failure's message (the traceback's last line, without the exception's class)."""
        lines = [line for line in (self.job.last_error if self.job else "").splitlines() if line.strip()]
        return lines[-1].split(": ", 1)[-1] if lines else ""

    @property
    def dead(self):
        from core.models import Job

        return self.delivered_at is None and self.job is not None and self.job.status == Job.Status.FAILED

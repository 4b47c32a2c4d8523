"""Volunteers and duty rosters: sign-ups, posts with shift templates, shifts, assignments, check-in/out.

One machinery serves both: a Post is staffed either by approved volunteers (a gate, deliveries) or by the
staff of its unit (值班表: the platform, a street's liaison office, a community office at night).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedIdCardField, EncryptedPhoneField

WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


class DayPart(models.TextChoices):
    """Times of day a volunteer can offer; a shift needs every part it overlaps."""

    NIGHT = "night", _("凌晨 0–6点")
    MORNING = "morning", _("上午 6–12点")
    AFTERNOON = "afternoon", _("下午 12–18点")
    EVENING = "evening", _("晚上 18–24点")


DAYPART_HOURS = {DayPart.NIGHT: (0, 6), DayPart.MORNING: (6, 12), DayPart.AFTERNOON: (12, 18),
                 DayPart.EVENING: (18, 24)}


class Skill(models.TextChoices):
    GATE = "gate", _("卡口值守登记")
    DELIVERY = "delivery", _("物资配送")
    MEDICAL = "medical", _("医护")
    DRIVING = "driving", _("驾驶")
    PROPAGANDA = "propaganda", _("宣传")
    PSYCH = "psych", _("心理疏导")
    DISINFECT = "disinfect", _("消杀")
    TECH = "tech", _("信息录入")


class Volunteer(models.Model):
    """A resident's sign-up (报名) at a community, and — once approved — the volunteer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        DECLINED = "declined", _("未通过")
        SUSPENDED = "suspended", _("已暂停")

    # Rows in these states hold the person's ID: a second sign-up with the same ID is refused.
    ACTIVE_STATES = (Status.PENDING, Status.APPROVED, Status.SUSPENDED)

    community = models.ForeignKey(
        "places.OrgUnit", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="volunteers"
    )
    name = models.CharField(_("姓名"), max_length=60)
    phone = EncryptedPhoneField(_("手机号码"))
    phone_hash = BlindIndexField(source="phone", kind="phone")
    id_number = EncryptedIdCardField(_("身份证号"))
    id_hash = BlindIndexField(source="id_number", kind="id_card")
    skills = models.JSONField(_("特长"), default=list, blank=True)
    skills_note = models.CharField(_("其他特长"), max_length=200, blank=True)
    party_member = models.BooleanField(_("党员"), default=False)
    # ["0-morning", "5-evening", …]: weekday (0 = Monday) and DayPart.
    availability = models.JSONField(_("可服务时间"), default=list, blank=True)
    high_risk_ok = models.BooleanField(_("愿意承担高风险任务"), default=False)
    honour_consent = models.BooleanField(_("同意上光荣榜"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="volunteer_profiles",
    )
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    JURISDICTION = ("community",)
    REVEALABLE = ("phone", "id_number")

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"], condition=models.Q(status__in=["pending", "approved", "suspended"]),
                name="volunteer_one_active_signup_per_id",
            )
        ]

    def __str__(self):
        return self.name

    def available_for(self, start, end):
        return covers(set(self.availability), start, end)

    def skill_labels(self):
        labels = dict(Skill.choices)
        return [labels.get(s, s) for s in self.skills]


def covers(availability: set, start, end) -> bool:
    """True if `availability` ("weekday-part" keys) covers every day part the local [start, end) touches."""
    return all(key in availability for key in dayparts_touched(start, end))


def dayparts_touched(start, end):
    start, end = timezone.localtime(start), timezone.localtime(end)
    keys, cursor = [], start
    while cursor < end:
        hour = cursor.hour
        part = next(p for p, (lo, hi) in DAYPART_HOURS.items() if lo <= hour < hi)
        keys.append(f"{cursor.weekday()}-{part}")
        boundary = cursor.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=DAYPART_HOURS[part][1])
        cursor = boundary
    return keys


class VolunteerHistory(models.Model):
    """Append-only record of a sign-up's decisions and the message sent with them."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True, choices=Volunteer.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Volunteer.Status.choices)
    message = models.TextField(_("消息"), blank=True)

    JURISDICTION = ("volunteer__community",)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("志愿者审核记录")
        verbose_name_plural = _("志愿者审核记录")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("history rows are append-only")
        super().save(*args, **kwargs)


def _qr_token():
    return secrets.token_urlsafe(12)


class Post(models.Model):
    """A place or duty to be staffed: a gate, the office at night, deliveries, a checkpoint, a duty desk."""

    class Kind(models.TextChoices):
        GATE = "gate", _("卡口值守")
        OFFICE = "office", _("办公室值班")
        DELIVERY = "delivery", _("物资配送")
        CHECKPOINT = "checkpoint", _("检查站")
        DUTY = "duty", _("值班")

    class Staffing(models.TextChoices):
        VOLUNTEERS = "volunteers", _("志愿者")
        STAFF = "staff", _("本单位工作人员(值班表)")

    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("所在单位"), on_delete=models.PROTECT,
                             related_name="volunteer_posts")
    name = models.CharField(_("岗位名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.GATE)
    staffing = models.CharField(_("人员来源"), max_length=12, choices=Staffing.choices, default=Staffing.VOLUNTEERS)
    high_risk = models.BooleanField(_("高风险岗位"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    qr_token = models.CharField(_("签到码"), max_length=32, unique=True, default=_qr_token, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name

    @property
    def place_label(self):
        """Where the post is, without repeating its own name (a gate post is usually named after the gate)."""
        unit = self.unit.parent if self.unit.name == self.name and self.unit.parent_id else self.unit
        return unit.full_name

    @property
    def is_duty_roster(self):
        return self.staffing == self.Staffing.STAFF

    @property
    def manage_perm(self):
        return "volunteers.duty" if self.is_duty_roster else "volunteers.manage"


class ShiftTemplate(models.Model):
    """A recurring shift of a post (07:00–11:00 on these weekdays, at least N people). end <= start: next day."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(_("班次名称"), max_length=40, blank=True)
    start_time = models.TimeField(_("开始"))
    end_time = models.TimeField(_("结束"))
    weekdays = models.JSONField(_("适用星期"), default=list)  # 0 = Monday
    min_staff = models.PositiveSmallIntegerField(_("最少人数"), default=1)

    JURISDICTION = ("post__unit",)

    class Meta:
        verbose_name = _("班次模板")
        verbose_name_plural = _("班次模板")
        ordering = ["post", "start_time"]

    def __str__(self):
        return f"{self.post} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def weekday_labels(self):
        if len(self.weekdays) == 7:
            return _("每天")
        return "、".join(str(WEEKDAYS[d]) for d in self.weekdays)


class Shift(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="shifts")
    template = models.ForeignKey(ShiftTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    min_staff = models.PositiveSmallIntegerField(_("最少人数"), default=1)

    JURISDICTION = ("post__unit",)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["start", "post_id"]
        constraints = [models.UniqueConstraint(fields=["post", "start"], name="unique_shift_per_post_start")]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.post} {local:%m-%d %H:%M}–{timezone.localtime(self.end):%H:%M}"

    @property
    def hours(self):
        return (self.end - self.start).total_seconds() / 3600


class Assignment(models.Model):
    """One person on one shift. start/end copy the shift's so overlap checks are one indexed query."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已排班")
        CHECKED_IN = "checked_in", _("在岗")
        CHECKED_OUT = "checked_out", _("已签退")
        NO_SHOW = "no_show", _("缺勤")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE,
                             related_name="duty_assignments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    late = models.BooleanField(_("迟到"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    auto_checked_out = models.BooleanField(_("系统签退"), default=False)
    credited_minutes = models.PositiveIntegerField(_("计入时长(分钟)"), default=0)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    JURISDICTION = ("shift__post__unit",)

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["start", "id"]
        constraints = [models.UniqueConstraint(fields=["shift", "user"], name="unique_assignment_per_shift")]
        indexes = [models.Index(fields=["user", "start"]), models.Index(fields=["status", "start"]),
                   models.Index(fields=["start", "end"])]

    def __str__(self):
        return f"{self.user} @ {self.shift}"

    @property
    def hours(self):
        return round(self.credited_minutes / 60, 2)

"""Community prevention: households and residents, gate entries and alerts, home quarantine with daily
checks, door-to-door services, checkpoint inspections.

Gate entries reach millions of rows: each row carries its gate's materialised path (`unit_path`) so
jurisdiction scoping is one indexed prefix filter without joins, and registration is one insert
(the idempotency key is a unique column: a retried entry collides instead of being stored twice).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedIdCardField, EncryptedPhoneField

USER = settings.AUTH_USER_MODEL


def _path_q(field, paths):
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


class Household(models.Model):
    """住户: one flat of a compound (building / unit / room)."""

    compound = models.ForeignKey("places.OrgUnit", verbose_name=_("小区"), on_delete=models.PROTECT,
                                 related_name="households")
    building = models.CharField(_("楼栋"), max_length=20)
    entrance = models.CharField(_("单元"), max_length=20, blank=True)
    room = models.CharField(_("房号"), max_length=20)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    JURISDICTION = ("compound",)

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["compound", "building", "entrance", "room"]
        constraints = [models.UniqueConstraint(fields=["compound", "building", "entrance", "room"],
                                               name="community_unique_household")]

    def __str__(self):
        return f"{self.compound.name} {self.address}"

    @property
    def address(self):
        entrance = f"{self.entrance}单元" if self.entrance else ""
        return f"{self.building}栋{entrance}{self.room}室"


class Resident(models.Model):
    """居民: a person living in a household. Phone and ID encrypted, searchable by blind index."""

    household = models.ForeignKey(Household, verbose_name=_("住户"), on_delete=models.CASCADE,
                                  related_name="residents")
    name = models.CharField(_("姓名"), max_length=60, db_index=True)
    phone = EncryptedPhoneField(_("电话"))
    phone_hash = BlindIndexField(source="phone", kind="phone")
    id_number = EncryptedIdCardField(_("身份证号"))
    id_hash = BlindIndexField(source="id_number", kind="id_card")
    relation = models.CharField(_("与户主关系"), max_length=20, blank=True)
    elderly = models.BooleanField(_("老人(发放固定个人码)"), default=False)
    # A fixed code printed on a card for residents without a smartphone; the volunteer types or scans it.
    personal_code = models.CharField(_("个人码"), max_length=12, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    JURISDICTION = ("household__compound",)
    REVEALABLE = ("phone", "id_number")

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household", "id"]

    def __str__(self):
        return self.name

    @property
    def jurisdiction_unit(self):
        return self.household.compound


class Direction(models.TextChoices):
    IN = "in", _("进")
    OUT = "out", _("出")


class Mode(models.TextChoices):
    FOOT = "foot", _("步行")
    VEHICLE = "vehicle", _("车辆")


class GateEntry(models.Model):
    """出入登记: one passage through a gate (a car with its people, or people on foot)."""

    class Source(models.TextChoices):
        VOLUNTEER = "volunteer", _("值守登记")
        SELF = "self", _("扫码自助登记")

    gate = models.ForeignKey("places.OrgUnit", verbose_name=_("出入口"), on_delete=models.PROTECT,
                             related_name="+")
    community = models.ForeignKey("places.OrgUnit", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="+")
    unit_path = models.CharField(_("路径"), max_length=400, editable=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    occurred_at = models.DateTimeField(_("通行时间"), default=timezone.now)
    direction = models.CharField(_("方向"), max_length=4, choices=Direction.choices)
    mode = models.CharField(_("方式"), max_length=8, choices=Mode.choices)
    plate = models.CharField(_("车牌"), max_length=12, blank=True)
    plate_province = models.CharField(_("车牌省份"), max_length=2, blank=True)
    plate_local = models.BooleanField(_("本地车牌"), default=False)
    travel = models.CharField(_("14天内行程"), max_length=200, blank=True)
    hubei_travel = models.BooleanField(_("14天内到过湖北"), default=False)
    purpose = models.CharField(_("事由"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.VOLUNTEER)
    recorder = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    idempotency_key = models.CharField(_("幂等键"), max_length=64, unique=True)
    alerted = models.BooleanField(_("触发预警"), default=False)

    class Meta:
        verbose_name = _("出入登记")
        verbose_name_plural = _("出入登记")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["gate", "created_at"], name="community_entry_gate_created"),
            # varchar_pattern_ops: PostgreSQL serves `unit_path LIKE '/320611/…%'` (scoping) from this index
            # only with it, as places does for OrgUnit.path; other databases ignore opclasses.
            models.Index(fields=["unit_path", "created_at"], name="community_entry_path_created",
                         opclasses=["varchar_pattern_ops", "timestamptz_ops"]),
            models.Index(fields=["created_at"], name="community_entry_created"),
        ]

    def __str__(self):
        return f"{self.gate.name} {self.get_direction_display()} {self.plate or self.get_mode_display()}"

    @classmethod
    def jurisdiction_q(cls, paths):
        return _path_q("unit_path", paths)

    @property
    def jurisdiction_unit(self):
        return self.gate


class EntryPerson(models.Model):
    entry = models.ForeignKey(GateEntry, verbose_name=_("登记"), on_delete=models.CASCADE, related_name="people")
    resident = models.ForeignKey(Resident, verbose_name=_("居民"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    name = models.CharField(_("姓名"), max_length=60)
    phone = EncryptedPhoneField(_("电话"))
    phone_hash = BlindIndexField(source="phone", kind="phone")
    id_number = EncryptedIdCardField(_("身份证号"))
    id_hash = BlindIndexField(source="id_number", kind="id_card")
    temperature = models.DecimalField(_("体温"), max_digits=3, decimal_places=1)

    REVEALABLE = ("phone", "id_number")

    class Meta:
        verbose_name = _("通行人员")
        verbose_name_plural = _("通行人员")

    def __str__(self):
        return self.name

    @classmethod
    def jurisdiction_q(cls, paths):
        return _path_q("entry__unit_path", paths)

    @property
    def jurisdiction_unit(self):
        return self.entry.gate

    @property
    def is_visitor(self):
        return self.resident_id is None


class AlertRule(models.Model):
    """A gate rule, editable in the admin: switched on/off, threshold and the advice the volunteer sees."""

    class Kind(models.TextChoices):
        FEVER = "fever", _("体温异常")
        HUBEI = "hubei", _("鄂牌或湖北旅居史")
        QUARANTINE_OUT = "quarantine_out", _("居家隔离人员外出")
        MISSED_CHECK = "missed_check", _("隔离人员漏报体温")
        REFERRAL = "referral", _("检查站转介")

    kind = models.CharField(_("规则"), max_length=20, choices=Kind.choices, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    threshold = models.DecimalField(_("体温阈值(℃)"), max_digits=3, decimal_places=1, null=True, blank=True)
    level = models.CharField(_("级别"), max_length=10, default="danger",
                             choices=[("warning", _("提醒")), ("danger", _("紧急"))])
    advice = models.TextField(_("处置提示(志愿者看到)"))

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")

    def __str__(self):
        return self.get_kind_display()


class Alert(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        HANDLING = "handling", _("处理中")
        CLOSED = "closed", _("已处置")

    TRANSITIONS = {Status.OPEN: {Status.HANDLING, Status.CLOSED}, Status.HANDLING: {Status.CLOSED}}

    kind = models.CharField(_("规则"), max_length=20, choices=AlertRule.Kind.choices)
    community = models.ForeignKey("places.OrgUnit", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="+")
    gate = models.ForeignKey("places.OrgUnit", verbose_name=_("出入口"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(GateEntry, verbose_name=_("登记"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="alerts")
    case = models.ForeignKey("QuarantineCase", verbose_name=_("隔离对象"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="alerts")
    message = models.CharField(_("内容"), max_length=300)
    advice = models.TextField(_("处置提示"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    handled_by = models.ForeignKey(USER, verbose_name=_("处置人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    handling_note = models.TextField(_("处置说明"), blank=True)
    # Periodic checks raise an alert once per (case, day, slot): the key makes re-runs harmless.
    dedupe_key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    JURISDICTION = ("community",)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status", "created_at"])]

    def __str__(self):
        return self.message


class QuarantineCase(models.Model):
    """居家隔离: the legal period (start/end, changed only with a reason) apart from the monitoring plan."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("隔离中")
        ENDED = "ended", _("已解除")

    class Outcome(models.TextChoices):
        RELEASED = "released", _("期满解除")
        HOSPITAL = "hospital", _("转送医院")
        CENTRAL = "central", _("转集中隔离")
        MOVED = "moved", _("迁出本地")

    resident = models.ForeignKey(Resident, verbose_name=_("居民"), on_delete=models.PROTECT,
                                 related_name="quarantine_cases")
    community = models.ForeignKey("places.OrgUnit", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="+")
    reason = models.CharField(_("隔离原因"), max_length=200)
    start_date = models.DateField(_("隔离开始"))
    end_date = models.DateField(_("隔离结束"))
    checks_per_day = models.PositiveSmallIntegerField(_("每日测温次数"), default=2)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("结果说明"), max_length=200, blank=True)
    # Bumped to revoke a personal link: tokens embed it.
    link_version = models.PositiveIntegerField(_("链接版本"), default=1)
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    JURISDICTION = ("community",)

    class Meta:
        verbose_name = _("居家隔离")
        verbose_name_plural = _("居家隔离")
        ordering = ["status", "end_date", "id"]

    def __str__(self):
        return f"{self.resident.name} {self.start_date:%m-%d}–{self.end_date:%m-%d}"

    def day_n(self, day):
        """Day 1 is the start date itself."""
        return (day - self.start_date).days + 1

    @property
    def total_days(self):
        return self.day_n(self.end_date)


class QuarantineChange(models.Model):
    """Append-only history of the legal period and status."""

    case = models.ForeignKey(QuarantineCase, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(_("动作"), max_length=20)
    old_end = models.DateField(_("原结束日"), null=True, blank=True)
    new_end = models.DateField(_("新结束日"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    LABELS = {"open": _("开始隔离"), "extend": _("延长"), "shorten": _("缩短"), "end": _("解除")}

    class Meta:
        ordering = ["at", "id"]

    @property
    def action_label(self):
        return self.LABELS.get(self.action, self.action)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("quarantine history rows are append-only")
        super().save(*args, **kwargs)


class HealthCheck(models.Model):
    case = models.ForeignKey(QuarantineCase, verbose_name=_("隔离对象"), on_delete=models.CASCADE,
                             related_name="checks")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    day = models.DateField(_("所属日期"))
    day_n = models.IntegerField(_("第N天"))
    slot = models.PositiveSmallIntegerField(_("第几次"), default=1)
    temperature = models.DecimalField(_("体温"), max_digits=3, decimal_places=1)
    symptoms = models.CharField(_("症状"), max_length=200, blank=True)
    by_resident = models.BooleanField(_("本人上报"), default=False)
    recorder = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    late = models.BooleanField(_("补报"), default=False)
    after_end = models.BooleanField(_("隔离期后上报"), default=False)
    fever = models.BooleanField(_("发热"), default=False)
    idempotency_key = models.CharField(_("幂等键"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("健康监测")
        verbose_name_plural = _("健康监测")
        ordering = ["-at", "-id"]

    @classmethod
    def jurisdiction_q(cls, paths):
        return _path_q("case__community__path", paths)


class StaffProfile(models.Model):
    """Community-side facts about a staff member: volunteered for high-risk door-to-door work."""

    user = models.OneToOneField(USER, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="community_profile")
    high_risk_ok = models.BooleanField(_("自愿承担高风险任务"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("社区人员档案")
        verbose_name_plural = _("社区人员档案")

    def __str__(self):
        return str(self.user)


class ServiceRequest(models.Model):
    """上门服务 for a (usually quarantined) household."""

    class Kind(models.TextChoices):
        SUPPLIES = "supplies", _("代购生活物资")
        MEDICINE = "medicine", _("代购药品")
        THERMOMETER = "thermometer", _("更换体温计")
        GARBAGE = "garbage", _("垃圾清运")
        OTHER = "other", _("其他")

    class Risk(models.TextChoices):
        LOW = "low", _("一般")
        HIGH = "high", _("高风险")

    class Status(models.TextChoices):
        NEW = "new", _("待派")
        ASSIGNED = "assigned", _("已派")
        ON_WAY = "on_way", _("上门中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    # from → {to: permission needed}; the assignee may also move their own task (see services).
    TRANSITIONS = {
        Status.NEW: {Status.ASSIGNED: "community.manage", Status.CANCELLED: "community.manage"},
        Status.ASSIGNED: {Status.ON_WAY: "assignee", Status.DONE: "assignee", Status.ASSIGNED: "community.manage",
                          Status.CANCELLED: "community.manage"},
        Status.ON_WAY: {Status.DONE: "assignee"},
    }

    household = models.ForeignKey(Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="services")
    case = models.ForeignKey(QuarantineCase, verbose_name=_("隔离对象"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="services")
    community = models.ForeignKey("places.OrgUnit", verbose_name=_("社区"), on_delete=models.PROTECT,
                                  related_name="+")
    kind = models.CharField(_("服务类型"), max_length=12, choices=Kind.choices)
    detail = models.CharField(_("需求说明"), max_length=300, blank=True)
    risk = models.CharField(_("风险等级"), max_length=5, choices=Risk.choices, default=Risk.LOW)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(USER, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    by_resident = models.BooleanField(_("居民提交"), default=False)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.CharField(_("完成说明"), max_length=300, blank=True)
    photo = models.ImageField(_("照片"), upload_to="community/services/%Y/%m/", blank=True)

    JURISDICTION = ("community",)

    class Meta:
        verbose_name = _("上门服务")
        verbose_name_plural = _("上门服务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.household.address}"


class ServiceEvent(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=ServiceRequest.Status.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Inspection(models.Model):
    """检查站 inspection: a ship at the river port or a car at a road checkpoint."""

    class Kind(models.TextChoices):
        SHIP = "ship", _("船舶")
        CAR = "car", _("车辆")

    checkpoint = models.ForeignKey("places.OrgUnit", verbose_name=_("检查站"), on_delete=models.PROTECT,
                                   related_name="+")
    kind = models.CharField(_("类型"), max_length=5, choices=Kind.choices)
    at = models.DateTimeField(_("检查时间"), default=timezone.now)
    vessel_name = models.CharField(_("船名"), max_length=60, blank=True)
    vessel_registration = models.CharField(_("船舶登记号"), max_length=40, blank=True)
    origin = models.CharField(_("始发港/出发地"), max_length=60, blank=True)
    destination = models.CharField(_("目的港/目的地"), max_length=60, blank=True)
    ports = models.JSONField(_("14天内停靠港口"), default=list, blank=True)
    plate = models.CharField(_("车牌"), max_length=12, blank=True)
    flagged = models.BooleanField(_("异常"), default=False)
    flags = models.JSONField(_("异常原因"), default=list, blank=True)
    recorder = models.ForeignKey(USER, verbose_name=_("检查人"), null=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(_("幂等键"), max_length=64, unique=True)

    JURISDICTION = ("checkpoint",)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return self.vessel_name or self.plate or str(self.pk)


class InspectedPerson(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("姓名"), max_length=60)
    id_number = EncryptedIdCardField(_("身份证号"))
    id_hash = BlindIndexField(source="id_number", kind="id_card")
    phone = EncryptedPhoneField(_("电话"))
    role = models.CharField(_("职务/身份"), max_length=30, blank=True)
    temperature = models.DecimalField(_("体温"), max_digits=3, decimal_places=1)
    fever = models.BooleanField(_("发热"), default=False)
    referred_case = models.ForeignKey(QuarantineCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    referred_service = models.ForeignKey(ServiceRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")

    REVEALABLE = ("phone", "id_number")

    class Meta:
        verbose_name = _("受检人员")
        verbose_name_plural = _("受检人员")

    @classmethod
    def jurisdiction_q(cls, paths):
        return _path_q("inspection__checkpoint__path", paths)

    @property
    def jurisdiction_unit(self):
        return self.inspection.checkpoint

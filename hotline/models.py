"""Hotline (12345) records: the category tree, work orders with their timeline, deadline rules,
the knowledge base and the emergency-response switch.

Work-order states and moves live in hotline/workflow.py (the transition table as data)."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BlindIndexField, EncryptedField, EncryptedPhoneField


class Category(models.Model):
    """诉求分类: an admin-editable tree. Codes are stable ("EP-PRICE"); EP-* are the epidemic topics."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(_("说明"), blank=True)
    is_epidemic = models.BooleanField(_("疫情相关"), default=False)
    public = models.BooleanField(_("对外公开"), default=True, help_text=_("公开分类作为 Open311 服务对外提供"))
    territorial = models.BooleanField(_("属地办理"), default=False, help_text=_("按地址派给所在街道"))
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["sort", "code"]

    def __str__(self):
        return f"{self.name}"

    @property
    def is_epidemic_topic(self):
        return self.is_epidemic or self.code.startswith("EP-")


class OrderType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    WEB = "web", _("网站")
    WECHAT = "wechat", _("微信/小程序")
    WALKIN = "walkin", _("来访")
    UPPER = "upper", _("上级平台")
    IMPORT = "import", _("批量导入")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class State(models.TextChoices):
    PENDING_DISPATCH = "pending_dispatch", _("待派单")
    PENDING_ACCEPT = "pending_accept", _("待签收")
    HANDLING = "handling", _("办理中")
    PENDING_SIGNOFF = "pending_signoff", _("待签发")
    PENDING_REVIEW = "pending_review", _("待审核")
    PENDING_CALLBACK = "pending_callback", _("待回访")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已并单")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATES = [
    State.PENDING_DISPATCH, State.PENDING_ACCEPT, State.HANDLING, State.PENDING_SIGNOFF, State.PENDING_REVIEW,
    State.PENDING_CALLBACK,
]
# The states a unit works in: they run against the unit's deadlines.
UNIT_STATES = [State.PENDING_ACCEPT, State.HANDLING, State.PENDING_SIGNOFF]


class CallbackResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("联系不上")


class WarningLevel(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")


class DailyCounter(models.Model):
    """One row per day; the number sequence is taken under a row lock so numbers never repeat."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)


class KnowledgeEntry(models.Model):
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("答复口径"))
    source = models.CharField(_("来源文件"), max_length=300, blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("以逗号或空格分隔"))
    category = models.ForeignKey(Category, verbose_name=_("分类"), null=True, blank=True, on_delete=models.SET_NULL)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    public = models.BooleanField(_("公开到常见问题"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库")
        ordering = ["-valid_from", "-id"]

    def __str__(self):
        return self.question

    def is_valid(self, day=None):
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class DeadlineRule(models.Model):
    """A deadline override; the most specific matching active rule wins (category > type > urgency)."""

    order_type = models.CharField(_("诉求类型"), max_length=20, choices=OrderType.choices, blank=True)
    category = models.ForeignKey(Category, verbose_name=_("分类"), null=True, blank=True, on_delete=models.CASCADE)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, blank=True)
    reply_workdays = models.PositiveSmallIntegerField(_("办结时限(工作日)"), null=True, blank=True)
    accept_workdays = models.PositiveSmallIntegerField(_("签收时限(工作日)"), null=True, blank=True)
    epidemic = models.BooleanField(_("按疫情时限"), default=False, help_text=_("当日办结(20:00后受理次日12:00)"))
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")

    def __str__(self):
        parts = [self.get_order_type_display() if self.order_type else "", str(self.category or ""),
                 self.get_urgency_display() if self.urgency else ""]
        return " / ".join(p for p in parts if p) or str(_("全部"))

    def specificity(self):
        return (3 if self.category_id else 0) + (2 if self.order_type else 0) + (1 if self.urgency else 0)

    def save(self, *args, **kwargs):
        from hotline.deadlines import clear_rules_cache

        super().save(*args, **kwargs)
        transaction.on_commit(clear_rules_cache)
        clear_rules_cache()

    def delete(self, *args, **kwargs):
        from hotline.deadlines import clear_rules_cache

        result = super().delete(*args, **kwargs)
        clear_rules_cache()
        return result


class EmergencyResponse(models.Model):
    """应急响应 periods; the open one (ended_at empty) is in force."""

    level = models.CharField(_("响应级别"), max_length=20)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = _("应急响应")
        verbose_name_plural = _("应急响应")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.level} {self.note}"


class WorkOrder(models.Model):
    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    caller_name = EncryptedField(_("来电人"), kind="name")
    caller_phone = EncryptedPhoneField(_("来电号码"))
    caller_phone_hash = BlindIndexField(source="caller_phone", kind="phone")
    anonymous = models.BooleanField(_("保密"), default=False, help_text=_("来电人信息不向承办单位提供"))
    address = models.CharField(_("地址"), max_length=300, blank=True)
    content = models.TextField(_("诉求内容"))
    order_type = models.CharField(_("诉求类型"), max_length=20, choices=OrderType.choices)
    category = models.ForeignKey(Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="orders")
    epidemic = models.BooleanField(_("疫情工单"), default=False)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    major = models.BooleanField(_("重大事项"), default=False)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING_DISPATCH)

    platform = models.ForeignKey("places.OrgUnit", verbose_name=_("受理平台"), on_delete=models.PROTECT,
                                 related_name="+")
    lead_unit = models.ForeignKey("places.OrgUnit", verbose_name=_("主办单位"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    co_units = models.ManyToManyField("places.OrgUnit", verbose_name=_("协办单位"), blank=True, related_name="+")
    community = models.ForeignKey("places.OrgUnit", verbose_name=_("下派社区"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    # Denormalised materialised paths: jurisdiction is an indexed prefix test on the order row itself.
    platform_path = models.CharField(max_length=400, editable=False)
    lead_path = models.CharField(max_length=400, blank=True, editable=False)
    street_path = models.CharField(max_length=400, blank=True, editable=False)
    community_path = models.CharField(max_length=400, blank=True, editable=False)
    # 1 while 待签收 or 办理中 (the unit inbox). An integer, not a boolean: SQLite renders a boolean filter as a
    # bare column test that an index cannot seek on; "unit_open = 1" uses (lead_path, unit_open, reply_due).
    unit_open = models.PositiveSmallIntegerField(default=0, editable=False)

    # Where the caller's address lies, as the triage router read it at intake (paths; empty: not known).
    routed_street_path = models.CharField(_("地址所属街道"), max_length=400, null=True, blank=True, editable=False)
    routed_community_path = models.CharField(_("地址所属社区"), max_length=400, null=True, blank=True,
                                             editable=False)
    # The duplicate search's keys (WorkOrder.denormalise): the order's street and community while it is open —
    # the dispatcher's choice, else the routed address — and NULL once it is closed, so the indexes
    # (dup_community_path, received_at) and (dup_street_path, received_at) hold the open orders' keys only and
    # "open orders of this community, last N days, newest first, LIMIT k" is one index range at any table size.
    # dup_shingles: triage.duplicates.shingle_text(content), so the search does not re-fold every candidate.
    # All nullable: adding them is an ALTER TABLE ADD COLUMN on SQLite, not a rebuild of a million-row table.
    dup_street_path = models.CharField(max_length=400, null=True, blank=True, editable=False)
    dup_community_path = models.CharField(max_length=400, null=True, blank=True, editable=False)
    dup_shingles = models.TextField(null=True, blank=True, editable=False)

    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    accept_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    accepted_late = models.BooleanField(_("超时签收"), default=False)
    reply_due = models.DateTimeField(_("办结时限"), null=True, blank=True)
    deadline_start = models.DateTimeField(_("计时起点"), null=True, blank=True)
    warning = models.CharField(_("预警"), max_length=10, choices=WarningLevel.choices, default="", blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_late = models.BooleanField(_("超期答复"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    signed_by_name = models.CharField(_("签发负责人"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    signed_unit = models.ForeignKey("places.OrgUnit", verbose_name=_("签发单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_directly = models.BooleanField(_("直接答复"), default=False)
    knowledge = models.ForeignKey(KnowledgeEntry, verbose_name=_("知识库依据"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="orders")

    extension_until = models.DateTimeField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    callback_result = models.CharField(_("回访结果"), max_length=15, choices=CallbackResult.choices, blank=True)
    callback_note = models.CharField(_("回访记录"), max_length=300, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    supervised = models.BooleanField(_("督办"), default=False)
    merged_into = models.ForeignKey("self", verbose_name=_("并入工单"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_orders")
    cancel_reason = models.CharField(_("撤销理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    external_id = models.CharField(_("外部编号"), max_length=60, blank=True, db_index=True)

    REVEALABLE = ("caller_phone", "caller_name")

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "reply_due"]),
            models.Index(fields=["warning", "reply_due"]),
            models.Index(fields=["received_at"]),
            # Unit queues: lead_path/community_path = ? AND state IN (…) ORDER BY reply_due.
            models.Index(fields=["lead_path", "state", "reply_due"], name="hotline_wo_lead_queue"),
            models.Index(fields=["lead_path", "unit_open", "reply_due"], name="hotline_wo_lead_inbox"),
            models.Index(fields=["community_path", "state", "reply_due"], name="hotline_wo_comm_queue"),
            # Jurisdiction prefix tests (PostgreSQL LIKE 'path%').
            models.Index(fields=["lead_path"], name="hotline_wo_lead_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["street_path", "received_at"], name="hotline_wo_street_recv"),
            models.Index(fields=["platform_path", "state"], name="hotline_wo_platform_state",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
            # Duplicate candidates: open orders of one community (or street), newest first, bounded.
            models.Index(fields=["dup_community_path", "-received_at", "-id"], name="hotline_wo_dup_comm"),
            models.Index(fields=["dup_street_path", "-received_at", "-id"], name="hotline_wo_dup_street"),
            # The reports' windows and dashboard counts. Named reports_* because reports/migrations/0002–0005
            # first created them as raw SQL; hotline/migrations/0005 adopts those database objects by name, so
            # renaming one here would rebuild it on every existing database.
            models.Index(fields=["dispatched_at"], name="reports_wo_dispatched_at"),
            models.Index(fields=["replied_at"], name="reports_wo_replied_at"),
            models.Index(fields=["closed_at"], name="reports_wo_closed_at"),
            models.Index(fields=["reply_due"], name="reports_wo_reply_due"),
            # Open orders per street, and yellow/red open orders: COUNT(*) answered from the index alone.
            models.Index(fields=["state", "street_path"], name="reports_wo_state_street"),
            models.Index(fields=["warning", "state"], name="reports_wo_warning_state"),
        ]

    def __str__(self):
        return self.number

    @classmethod
    def jurisdiction_q(cls, paths):
        """A unit sees orders received by it (platform), led by, sub-dispatched to or co-handled by its subtree."""
        q = Q(pk__in=[])
        co = cls.co_units.through.objects
        for path in paths:
            q |= Q(platform_path__startswith=path) | Q(lead_path__startswith=path)
            q |= Q(community_path__startswith=path)
            q |= Q(pk__in=co.filter(orgunit__path__startswith=path).values("workorder_id"))
        return q

    @property
    def jurisdiction_unit(self):
        """The narrowest unit working on it: reveal checks rights there (a community worker may call back)."""
        return self.community or self.lead_unit or self.platform

    @property
    def is_epidemic(self):
        return self.epidemic or self.category.is_epidemic_topic

    def can_reveal(self, user, field):
        """保密: caller details are for the platform only, never for the handling units."""
        from accounts import access

        if not self.anonymous:
            return True
        return access.has_perm(user, "hotline.intake", self.platform)

    def denormalise(self):
        """Keep the copied columns in step before every save: paths for scoping, flags for the queues."""
        self.unit_open = 1 if self.state in (State.PENDING_ACCEPT, State.HANDLING) else 0
        if self.state not in UNIT_STATES:
            self.warning = ""  # the red list shows what is overdue at a unit now
        self.platform_path = self.platform.path
        lead_path = self.lead_unit.path if self.lead_unit_id else ""
        if lead_path != self.lead_path:
            # Only when the lead unit changes: finding its street reads the ancestors.
            street = self.lead_unit.ancestor_of_kind("street", "zone") if self.lead_unit_id else None
            self.street_path = street.path if street else ""
        self.lead_path = lead_path
        self.community_path = self.community.path if self.community_id else ""
        self.denormalise_duplicate_keys()

    def denormalise_duplicate_keys(self):
        """The dispatcher's street/community outrank the routed address; a routed community of another street
        than the one dispatched to is dropped (the address was misread or the caller meant elsewhere)."""
        from triage.duplicates import shingle_text

        self.dup_street_path, self.dup_community_path = duplicate_keys(
            self.state, self.street_path, self.community_path, self.routed_street_path, self.routed_community_path)
        self.dup_shingles = shingle_text(self.content or "")


def duplicate_keys(state, street_path, community_path, routed_street_path, routed_community_path):
    """→ (dup_street_path, dup_community_path) of an order (a function of plain values: the migration's
    backfill uses it on historical rows)."""
    if state not in OPEN_STATES:
        return None, None
    street = street_path or routed_street_path or None
    community = community_path or None
    if not community and routed_community_path and street and routed_community_path.startswith(street):
        community = routed_community_path
    return street, community


class OrderEvent(models.Model):
    """The append-only timeline: one row per move."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    unit = models.ForeignKey("places.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("动作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("工单流转记录")
        verbose_name_plural = _("工单流转记录")
        ordering = ["at", "id"]
        indexes = [
            # The reports' window queries (action = ? AND at in the day). Named reports_* for the database
            # object reports/migrations/0002 created first (see hotline/migrations/0005).
            models.Index(fields=["action", "at"], name="reports_event_action_at"),
        ]

    def __str__(self):
        return f"{self.order_id} {self.action}"

    EXTRA_LABELS = {"intake": _("受理"), "merged_in": _("他单并入"), "import": _("导入")}

    @property
    def label(self):
        from hotline.workflow import ACTIONS

        return ACTIONS[self.action].label if self.action in ACTIONS else self.EXTRA_LABELS.get(self.action,
                                                                                                self.action)

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("timeline rows are append-only")
        super().save(*args, **kwargs)

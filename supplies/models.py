"""Supplies: item catalogue, needs (求助), donors and donations, a stock ledger traced to each gift,
allocations between units and honour certificates.

Stock is never stored as a mutable number alone: every change is a StockMove row carrying the lot it came
from. StockBalance is a per-(unit, item) running total that doubles as the row we lock when moving stock,
so two people allocating at once queue instead of overdrawing (see supplies/ledger.py).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedPhoneField

MONEY = {"max_digits": 14, "decimal_places": 2}


class Item(models.Model):
    class Category(models.TextChoices):
        MASK = "mask", _("口罩")
        THERMOMETER = "thermometer", _("测温设备")
        DISINFECTANT = "disinfectant", _("消毒用品")
        PROTECTIVE = "protective", _("防护用品")
        DAILY = "daily", _("生活物资")
        OTHER = "other", _("其他")

    name = models.CharField(_("物资名称"), max_length=60)
    unit = models.CharField(_("计量单位"), max_length=10, help_text=_("个、把、桶、斤、箱、件……"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    grade = models.CharField(_("等级/规格"), max_length=40, blank=True, help_text=_("如:一次性医用、N95、医用外科"))
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("物资品类")
        verbose_name_plural = _("物资品类")
        ordering = ["sort", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "unit"], name="supplies_item_name_unit")]

    def __str__(self):
        return f"{self.name}({self.unit})"


class MinimumStock(models.Model):
    """Below this a unit's supply keepers are warned (low-stock alert)."""

    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("单位"), on_delete=models.CASCADE)
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField(_("最低库存"))

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("最低库存")
        verbose_name_plural = _("最低库存")
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="supplies_minimum_unit_item")]

    def __str__(self):
        return f"{self.unit} · {self.item} ≥ {self.quantity}"


class Fill(models.TextChoices):
    NONE = "none", _("未满足")
    PARTIAL = "partial", _("部分满足")
    COMPLETE = "complete", _("已满足")


def fill_of(done, wanted):
    if done <= 0:
        return Fill.NONE
    return Fill.COMPLETE if done >= wanted else Fill.PARTIAL


class Need(models.Model):
    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")
        CRITICAL = "critical", _("特急")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("公开求助")
        INTERNAL = "internal", _("内部调拨")

    code = models.CharField(_("编号"), max_length=20, unique=True)
    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("求助单位"), on_delete=models.PROTECT,
                             related_name="supply_needs")
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.URGENT)
    deadline = models.DateField(_("需要日期"), null=True, blank=True)
    visibility = models.CharField(_("公开范围"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.INTERNAL)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    posted_at = models.DateTimeField(_("发布时间"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("物资求助")
        verbose_name_plural = _("物资求助")
        ordering = ["-posted_at"]
        indexes = [models.Index(fields=["unit", "posted_at"]), models.Index(fields=["visibility", "closed_at"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_open(self):
        return self.closed_at is None


class NeedLine(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("数量"))

    class Meta:
        verbose_name = _("求助明细")
        verbose_name_plural = _("求助明细")
        constraints = [models.UniqueConstraint(fields=["need", "item"], name="supplies_needline_need_item")]


class Donor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        ORGANISATION = "organisation", _("单位/组织")

    class Title(models.TextChoices):
        NONE = "", _("无")
        NPC = "npc", _("人大代表")
        CPPCC = "cppcc", _("政协委员")
        PARTY = "party", _("党员")
        OTHER = "other", _("其他")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称/姓名"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    title = models.CharField(_("身份"), max_length=10, choices=Title.choices, blank=True, default="")
    title_detail = models.CharField(_("身份说明"), max_length=60, blank=True, help_text=_("如:南通市人大代表"))
    phone = EncryptedPhoneField(_("联系电话"))
    consent_public = models.BooleanField(_("同意公开致谢"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    REVEALABLE = ("phone",)

    class Meta:
        verbose_name = _("捐赠方")
        verbose_name_plural = _("捐赠方")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def jurisdiction_q(cls, paths):
        # A donor belongs to whichever units received their gifts (a subquery: no duplicate rows from the join).
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(received_by__path__startswith=path)
        return Q(pk__in=Donation.objects.filter(q).values("donor_id"))

    @property
    def jurisdiction_unit(self):
        first = self.donations.select_related("received_by").first()
        return first.received_by if first else None

    @property
    def display_title(self):
        return self.title_detail or (self.get_title_display() if self.title else "")

    @property
    def public_name(self):
        """The name as printed for the public: people without consent stay anonymous."""
        return self.name if self.consent_public else _("爱心人士")


class Donation(models.Model):
    class Kind(models.TextChoices):
        IN_KIND = "in_kind", _("实物捐赠")
        CASH = "cash", _("资金捐赠")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("已承诺")
        RECEIVED = "received", _("已接收")
        CANCELLED = "cancelled", _("已取消")

    code = models.CharField(_("编号"), max_length=20, unique=True)
    donor = models.ForeignKey(Donor, verbose_name=_("捐赠方"), on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(_("捐赠方式"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PLEDGED)
    received_by = models.ForeignKey("places.OrgUnit", verbose_name=_("接收单位"), on_delete=models.PROTECT,
                                    related_name="supply_donations")
    amount = models.DecimalField(_("捐款金额(元)"), null=True, blank=True, **MONEY)
    needs = models.ManyToManyField(Need, verbose_name=_("响应的求助"), blank=True, related_name="donations")
    note = models.TextField(_("备注"), blank=True)
    pledged_at = models.DateTimeField(_("登记时间"))
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    JURISDICTION = ("received_by",)

    class Meta:
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        ordering = ["-pledged_at"]
        indexes = [models.Index(fields=["received_by", "pledged_at"])]

    def __str__(self):
        return f"{self.code} {self.donor}"

    @property
    def total_value(self):
        if self.kind == self.Kind.CASH:
            return self.amount or Decimal("0")
        return sum((line.estimated_value or Decimal("0") for line in self.lines.all()), Decimal("0"))

    def summary(self):
        if self.kind == self.Kind.CASH:
            return f"{self.amount:,.2f}元"
        return "、".join(f"{line.item.name}{line.quantity}{line.item.unit}" for line in self.lines.all())


class DonationLine(models.Model):
    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("数量"))
    estimated_value = models.DecimalField(_("估值(元)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("捐赠明细")
        verbose_name_plural = _("捐赠明细")

    def __str__(self):
        return f"{self.item.name} {self.quantity}{self.item.unit}"


class CashSplit(models.Model):
    """Where designated money goes: a purpose and a recipient (a unit of ours, or a named outside body)."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="splits")
    purpose = models.CharField(_("用途"), max_length=120)
    recipient_unit = models.ForeignKey("places.OrgUnit", verbose_name=_("受赠单位"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(_("受赠方(区外)"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额(元)"), **MONEY)

    class Meta:
        verbose_name = _("定向用途")
        verbose_name_plural = _("定向用途")

    @property
    def recipient(self):
        return self.recipient_unit.name if self.recipient_unit_id else self.recipient_name


class StockLot(models.Model):
    """One batch of goods that entered the district: a donation line or a purchase. Every move names its lot."""

    class Source(models.TextChoices):
        DONATION = "donation", _("捐赠")
        PURCHASE = "purchase", _("采购")

    code = models.CharField(_("批次号"), max_length=24, unique=True)
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    donation_line = models.OneToOneField(DonationLine, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="lot")
    supplier = models.CharField(_("供应商"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("入库数量"))
    first_unit = models.ForeignKey("places.OrgUnit", verbose_name=_("入库单位"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("入库时间"))

    JURISDICTION = ("first_unit",)

    class Meta:
        verbose_name = _("物资批次")
        verbose_name_plural = _("物资批次")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.code} {self.item}"

    @property
    def origin(self):
        if self.donation_line_id:
            return self.donation_line.donation.donor.public_name
        return self.supplier or _("采购")


class StockBalance(models.Model):
    """Running total per (unit, item); the row locked while moving stock. Always equals the ledger sum."""

    unit = models.ForeignKey("places.OrgUnit", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT)
    quantity = models.IntegerField(default=0)

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        constraints = [
            models.UniqueConstraint(fields=["unit", "item"], name="supplies_balance_unit_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="supplies_balance_not_negative"),
        ]


class LotBalance(models.Model):
    """What is left of one lot at one unit: lets FIFO read the open lots instead of summing the whole history.
    Written only under the (unit, item) StockBalance lock, so it always equals the ledger sum per (unit, lot)."""

    unit = models.ForeignKey("places.OrgUnit", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT)
    lot = models.ForeignKey(StockLot, on_delete=models.PROTECT, related_name="balances")
    quantity = models.IntegerField(default=0)

    JURISDICTION = ("unit",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "lot"], name="supplies_lotbalance_unit_lot"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="supplies_lotbalance_not_negative"),
        ]
        indexes = [models.Index(fields=["unit", "item", "quantity"])]


class StockMove(models.Model):
    class Kind(models.TextChoices):
        DONATION_IN = "donation_in", _("捐赠入库")
        PURCHASE_IN = "purchase_in", _("采购入库")
        ALLOCATION_OUT = "allocation_out", _("调拨出库")
        ALLOCATION_IN = "allocation_in", _("调拨入库")
        ALLOCATION_RETURN = "allocation_return", _("调拨退回")
        DISTRIBUTION = "distribution", _("发放")
        USE = "use", _("使用消耗")

    INCOMING = {Kind.DONATION_IN, Kind.PURCHASE_IN, Kind.ALLOCATION_IN, Kind.ALLOCATION_RETURN}

    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT)
    lot = models.ForeignKey(StockLot, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("数量"), help_text=_("入库为正,出库为负"))
    allocation = models.ForeignKey("Allocation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="moves")
    counterpart = models.ForeignKey("places.OrgUnit", verbose_name=_("对方单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True,
                              on_delete=models.SET_NULL, related_name="+")

    JURISDICTION = ("unit",)

    class Meta:
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["unit", "item", "lot"]), models.Index(fields=["lot", "at"])]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="supplies_move_not_zero")]


class Allocation(models.Model):
    """Goods sent from one unit to another (a street to its communities). In transit until the receiver
    confirms; the stock has left the sender but is not yet the receiver's."""

    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("在途")
        RECEIVED = "received", _("已签收")
        CANCELLED = "cancelled", _("已撤回")

    code = models.CharField(_("编号"), max_length=20, unique=True)
    from_unit = models.ForeignKey("places.OrgUnit", verbose_name=_("调出单位"), on_delete=models.PROTECT,
                                  related_name="+")
    to_unit = models.ForeignKey("places.OrgUnit", verbose_name=_("调入单位"), on_delete=models.PROTECT,
                                related_name="+")
    need = models.ForeignKey(Need, verbose_name=_("对应求助"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="allocations")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.IN_TRANSIT)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调拨人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("调拨时间"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签收人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("物资调拨")
        verbose_name_plural = _("物资调拨")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.code} {self.from_unit} → {self.to_unit}"

    @classmethod
    def jurisdiction_q(cls, paths):
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(from_unit__path__startswith=path) | Q(to_unit__path__startswith=path)
        return q

    @property
    def jurisdiction_unit(self):
        return self.from_unit


class AllocationLine(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name=_("物资"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("数量"))


class AllocationEvent(models.Model):
    """Append-only history of an allocation's status."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Certificate(models.Model):
    """A 荣誉证书. The printed text is frozen at issue time, so a later rename cannot change what was certified."""

    code = models.CharField(_("验证码"), max_length=16, unique=True)
    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="certificate")
    donor_name = models.CharField(_("受表彰方"), max_length=100)
    citation = models.TextField(_("证书正文"))
    issuer = models.CharField(_("颁发单位"), max_length=100)
    issued_at = models.DateTimeField(_("颁发时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    JURISDICTION = ("donation__received_by",)

    class Meta:
        verbose_name = _("荣誉证书")
        verbose_name_plural = _("荣誉证书")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.code} {self.donor_name}"


def ledger_sum(unit, item):
    return StockMove.objects.filter(unit=unit, item=item).aggregate(s=Sum("quantity"))["s"] or 0

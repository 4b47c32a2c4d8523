"""Triage data: the gazetteer beyond the org tree (roads, landmarks), the topic rules and the
派单目录 (category → department), confirmed training examples and the trained classifier."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Road(models.Model):
    """A road (or a house-number range of it) and the unit it lies in.

    A long road crossing several communities gets one row per range; `unit` may be a street when only
    the street is known (the router then answers at street level, never guessing a community)."""

    name = models.CharField(_("路名"), max_length=60, db_index=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("所属社区/街道"), on_delete=models.CASCADE,
                             related_name="roads")
    number_from = models.PositiveIntegerField(_("起始门牌号"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("终止门牌号"), null=True, blank=True)
    illustrative = models.BooleanField(_("示意数据"), default=False,
                                       help_text=_("演示用的示意数据,不是真实的归属关系"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("道路")
        verbose_name_plural = _("道路")
        ordering = ["name", "number_from"]
        constraints = [models.UniqueConstraint(fields=["name", "unit", "number_from"], name="triage_road_unique")]

    def __str__(self):
        if self.number_from is not None or self.number_to is not None:
            return f"{self.name} {self.number_from or ''}–{self.number_to or ''}号"
        return self.name

    def covers(self, number):
        if number is None:
            return self.number_from is None and self.number_to is None
        low = self.number_from if self.number_from is not None else 0
        high = self.number_to if self.number_to is not None else 10**9
        return low <= number <= high


class Landmark(models.Model):
    """A place callers name instead of an address (a market, a school, a hospital, a bridge)."""

    name = models.CharField(_("名称"), max_length=60, db_index=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    unit = models.ForeignKey("places.OrgUnit", verbose_name=_("所属社区/街道"), on_delete=models.CASCADE,
                             related_name="landmarks")
    illustrative = models.BooleanField(_("示意数据"), default=False,
                                       help_text=_("演示用的示意数据,不是真实的归属关系"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("地标")
        verbose_name_plural = _("地标")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "unit"], name="triage_landmark_unique")]

    def __str__(self):
        return self.name


class TopicRule(models.Model):
    """One keyword or phrase that votes for a category. Rules are the cold start of classification."""

    category = models.ForeignKey("hotline.Category", verbose_name=_("诉求分类"), on_delete=models.CASCADE,
                                 related_name="topic_rules")
    phrase = models.CharField(_("关键词/短语"), max_length=60,
                              help_text=_("出现即计分;用“+”连接表示须同时出现,如“口罩+贵”"))
    weight = models.FloatField(_("权重"), default=1.0, help_text=_("负数表示出现时排除该分类"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分类规则")
        verbose_name_plural = _("分类规则")
        ordering = ["category__sort", "-weight", "phrase"]
        constraints = [models.UniqueConstraint(fields=["category", "phrase"], name="triage_topicrule_unique")]

    def __str__(self):
        return f"{self.phrase} → {self.category_id}"


class DispatchRule(models.Model):
    """派单目录: who handles a category. Territorial matters go to the street of the address."""

    category = models.OneToOneField("hotline.Category", verbose_name=_("诉求分类"), on_delete=models.CASCADE,
                                    related_name="dispatch_rule")
    department = models.ForeignKey("places.OrgUnit", verbose_name=_("承办部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Kept by code too: the default catalogue ships before the org tree is imported.
    department_code = models.CharField(_("部门编码"), max_length=32, blank=True,
                                       help_text=_("组织树中尚无该部门时按编码记下,导入后自动对应"))
    territorial = models.BooleanField(_("属地办理"), default=False, help_text=_("派给地址所在街道"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("派单目录")
        verbose_name_plural = _("派单目录")
        ordering = ["category__sort"]

    def __str__(self):
        return f"{self.category} → {self.department or self.department_code or _('属地')}"

    def resolve_department(self):
        if self.department_id:
            return self.department
        if self.department_code:
            from places.models import OrgUnit

            return OrgUnit.objects.filter(code=self.department_code, active=True).first()
        return None


class TrainingExample(models.Model):
    class Source(models.TextChoices):
        CONFIRMED = "confirmed", _("话务员确认")
        CORRECTED = "corrected", _("话务员更正")
        IMPORTED = "imported", _("导入")

    text = models.TextField(_("诉求内容"))
    category = models.ForeignKey("hotline.Category", verbose_name=_("诉求分类"), on_delete=models.CASCADE,
                                 related_name="+")
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.CONFIRMED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("训练样本")
        verbose_name_plural = _("训练样本")
        ordering = ["-created"]

    def __str__(self):
        return self.text[:30]


class Feedback(models.Model):
    """What triage suggested and what the operator kept: the audit trail of the suggestions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("话务员"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("诉求内容"), blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    suggested = models.JSONField(_("建议"), default=dict)
    accepted = models.JSONField(_("采纳/更正"), default=dict)
    corrected_fields = models.JSONField(_("更正的项"), default=list)
    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("建议反馈")
        verbose_name_plural = _("建议反馈")
        ordering = ["-created"]


class ClassifierModel(models.Model):
    """A trained statistical classifier (pickled scikit-learn pipeline) with its version."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    created = models.DateTimeField(_("训练时间"), auto_now_add=True)
    n_examples = models.PositiveIntegerField(_("样本数"), default=0)
    last_example_id = models.PositiveBigIntegerField(_("最后样本号"), default=0)
    sklearn_version = models.CharField(_("scikit-learn 版本"), max_length=20)
    labels = models.JSONField(_("分类"), default=list)
    blob = models.BinaryField(_("模型"), editable=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-version"]

    def __str__(self):
        return f"v{self.version} ({self.n_examples})"

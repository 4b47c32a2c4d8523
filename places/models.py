"""The organisation tree (jurisdiction): district → street/zone → community → compound → gate,
departments under the district, checkpoints under the unit that runs them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        STREET = "street", _("街道")
        ZONE = "zone", _("开发区")
        COMMUNITY = "community", _("社区/村")
        COMPOUND = "compound", _("小区")
        GATE = "gate", _("卡口/出入口")
        DEPARTMENT = "department", _("部门")
        CHECKPOINT = "checkpoint", _("检查站")

    # Which kinds may hang under which: the import refuses anything else.
    ALLOWED_PARENTS = {
        Kind.DISTRICT: set(),
        Kind.STREET: {Kind.DISTRICT},
        Kind.ZONE: {Kind.DISTRICT},
        Kind.DEPARTMENT: {Kind.DISTRICT, Kind.DEPARTMENT, Kind.STREET, Kind.ZONE},
        Kind.COMMUNITY: {Kind.STREET, Kind.ZONE},
        Kind.COMPOUND: {Kind.COMMUNITY},
        Kind.GATE: {Kind.COMPOUND, Kind.COMMUNITY, Kind.CHECKPOINT},
        Kind.CHECKPOINT: {Kind.DISTRICT, Kind.STREET, Kind.ZONE, Kind.COMMUNITY, Kind.DEPARTMENT},
    }
    TERRITORIAL = {Kind.STREET, Kind.ZONE}  # 属地: streets and the development zone

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    # Materialised path of codes ("/320611/320611006/"): a subtree is one indexed prefix query.
    path = models.CharField(_("路径"), max_length=400, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    active = models.BooleanField(_("启用"), default=True)

    JURISDICTION = ("self",)

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["path"], name="places_orgunit_path_like", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    def compute_path(self):
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)

    def is_within(self, other: "OrgUnit") -> bool:
        """True if this unit is `other` or lies in its subtree."""
        return self.path.startswith(other.path)

    def ancestors(self, include_self=True):
        codes = [c for c in self.path.strip("/").split("/") if c]
        if not include_self:
            codes = codes[:-1]
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        return [units[c] for c in codes if c in units]

    def ancestor_of_kind(self, *kinds):
        for unit in reversed(self.ancestors()):
            if unit.kind in kinds:
                return unit
        return None

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)

    @property
    def street(self):
        return self.ancestor_of_kind(self.Kind.STREET, self.Kind.ZONE)

    @property
    def full_name(self):
        return " / ".join(u.name for u in self.ancestors() if u.kind != self.Kind.DISTRICT) or self.name

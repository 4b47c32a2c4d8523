"""Hotline (12345) records. The category tree lives here; work orders are added by the hotline issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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

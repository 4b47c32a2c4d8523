from django.utils.translation import gettext_lazy as _

from core.registry import nav_item

nav_item(_("数据看板"), "reports:dashboard", perm="reports.view", order=60)
nav_item(_("日报"), "reports:index", perm="reports.view", order=61)
nav_item(_("指标"), "reports:kpi", perm="reports.view", order=62)
nav_item(_("定时上报"), "reports:unit_reports", perm="reports.view", order=63)

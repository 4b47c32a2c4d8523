from django.utils.translation import gettext_lazy as _

from core.registry import nav_item

nav_item(_("组织机构"), "places:unit_list", perm="places.view", order=80)

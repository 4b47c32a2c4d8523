"""Access in one place: jurisdiction scoping (outside = 404) and role permissions (wrong role = 403).

Every view and API fetches through scope()/get_or_404(); no view queries an area model directly.
A model says how it belongs to units with `JURISDICTION`: a tuple of paths to OrgUnit foreign keys
("unit", "order__lead_unit"), "self" for OrgUnit itself; or a classmethod `jurisdiction_q(paths)`
returning a Q for a list of unit paths when it needs more (several units, denormalised columns).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.roles import perms_of


def memberships(user):
    """The user's active memberships with their units, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_shouhu_memberships", None)
    if cached is None:
        from accounts.models import Membership

        cached = list(Membership.objects.filter(user=user, active=True, unit__active=True).select_related("unit"))
        user._shouhu_memberships = cached
    return cached


def forget(user):
    if hasattr(user, "_shouhu_memberships"):
        del user._shouhu_memberships


def _reduce(paths):
    """Drop paths nested in another listed path: /a/ covers /a/b/."""
    result = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


def jurisdiction_paths(user, perm=None):
    return _reduce(m.unit.path for m in memberships(user) if perm is None or perm in perms_of(m.role))


def units(user, perm=None):
    """The top units of the user's jurisdiction (for perm, if given)."""
    paths = set(jurisdiction_paths(user, perm))
    seen, result = set(), []
    for m in memberships(user):
        if m.unit.path in paths and m.unit.pk not in seen:
            seen.add(m.unit.pk)
            result.append(m.unit)
    return result


def is_unrestricted(user):
    return bool(getattr(user, "is_superuser", False))


def jurisdiction_q(model, paths):
    custom = getattr(model, "jurisdiction_q", None)
    if custom is not None:
        return custom(paths)
    fields = getattr(model, "JURISDICTION", None)
    if not fields:
        raise TypeError(f"{model.__name__} declares no JURISDICTION: it cannot be scoped")
    q = Q(pk__in=[])
    for path in paths:
        for field in fields:
            key = "path__startswith" if field == "self" else f"{field}__path__startswith"
            q |= Q(**{key: path})
    return q


def scope(user, queryset, perm=None):
    """Only the rows inside the user's jurisdiction (optionally: where the user holds `perm`)."""
    if is_unrestricted(user):
        return queryset
    paths = jurisdiction_paths(user, perm)
    if not paths:
        return queryset.none()
    return queryset.filter(jurisdiction_q(queryset.model, paths))


def get_or_404(user, queryset_or_model, perm=None, **lookup):
    """One object, or 404 — the same answer for "missing" and "outside your jurisdiction"."""
    queryset = getattr(queryset_or_model, "_default_manager", queryset_or_model)
    queryset = queryset.all() if hasattr(queryset, "all") else queryset
    try:
        return scope(user, queryset, perm).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def has_perm(user, perm, unit=None):
    """Does the user hold `perm` for `unit` (a membership at the unit or an ancestor)? unit=None: anywhere."""
    if is_unrestricted(user):
        return True
    for m in memberships(user):
        if perm in perms_of(m.role) and (unit is None or unit.path.startswith(m.unit.path)):
            return True
    return False


def require_perm(user, perm, unit=None):
    if not has_perm(user, perm, unit):
        raise PermissionDenied("您的角色无权执行此操作。")


def roles_in(user, unit=None):
    return {m.role for m in memberships(user) if unit is None or unit.path.startswith(m.unit.path)}


def users_with_perm(perm, unit):
    """Users holding `perm` for `unit`: members of the unit or any of its ancestors."""
    from django.contrib.auth import get_user_model

    from accounts.models import Membership
    from accounts.roles import PERMISSIONS

    roles = [role for role, granted in PERMISSIONS.items() if perm in granted]
    ancestors = _ancestor_paths(unit.path)
    ids = Membership.objects.filter(
        active=True, role__in=roles, unit__path__in=ancestors, user__is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(id__in=ids)


def _ancestor_paths(path):
    codes = [c for c in path.strip("/").split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]

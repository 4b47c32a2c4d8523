from django import template

register = template.Library()


@register.filter
def who(user, fallback="—"):
    """A user's display name (first name, else username), or the fallback for None (resident, system)."""
    if user is None:
        return fallback
    return user.first_name or user.username


@register.filter
def can(user, perm):
    """access.has_perm for templates: show a link only to who may open it (a volunteer sees no manager tabs)."""
    from accounts import access

    return access.has_perm(user, perm)

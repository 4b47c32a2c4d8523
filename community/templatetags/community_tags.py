from django import template

register = template.Library()


@register.filter
def who(user, fallback="—"):
    """A user's display name (first name, else username), or the fallback for None (resident, system)."""
    if user is None:
        return fallback
    return user.first_name or user.username

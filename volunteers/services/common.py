from django.core.exceptions import ValidationError


class InvalidTransition(ValidationError):
    """A status change the table does not allow (or not for this actor)."""

"""Model fields for person data: encrypted at rest, searchable by a keyed hash, masked by default."""

from django.core.exceptions import FieldError, ValidationError
from django.db import models
from django.db.models import lookups

from core import crypto
from core.person import NORMALIZERS, validate_id_card, validate_phone


class EncryptedField(models.TextField):
    """Stores ciphertext; the Python value is the clear text. Only exact search via a BlindIndexField."""

    description = "Encrypted text (person data)"
    kind = "text"

    def __init__(self, *args, kind=None, **kwargs):
        if kind:
            self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.kind != type(self).kind:
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return crypto.decrypt(value)

    def to_python(self, value):
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return crypto.decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        if value.startswith(crypto.PREFIX):
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: only emptiness can be asked of the column itself ("", isnull).
        return {"exact": EmptyOnlyExact, "in": EmptyOnlyIn, "isnull": lookups.IsNull}.get(lookup_name)


def _refuse(lookup, value):
    field = lookup.lhs.output_field
    raise FieldError(
        f"{field.model.__name__}.{field.name} is encrypted with a random nonce: `{lookup.lookup_name}` with "
        f"{value!r} can never match. Search its BlindIndexField with core.fields.hash_value(kind, value)."
    )


class EmptyOnlyExact(lookups.Exact):
    """field="" (stored empty, no ciphertext) works; any other value would silently match nothing."""

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and self.rhs not in ("", None):
            _refuse(self, self.rhs)
        return super().get_prep_lookup()


class EmptyOnlyIn(lookups.In):
    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and any(value not in ("", None) for value in self.rhs):
            _refuse(self, [v for v in self.rhs if v not in ("", None)][:1])
        return super().get_prep_lookup()


class EncryptedPhoneField(EncryptedField):
    kind = "phone"

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        return validate_phone(value) if value else value


class EncryptedIdCardField(EncryptedField):
    kind = "id_card"

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        return validate_id_card(value) if value else value


class BlindIndexField(models.CharField):
    """HMAC of another field's normalised clear value, kept in step on every save."""

    def __init__(self, *args, source=None, kind="text", **kwargs):
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = self.kind
        for key in ("max_length", "blank", "default", "editable", "db_index"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = hash_value(self.kind, getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def hash_value(kind: str, clear: str) -> str:
    """The blind index of a clear value: use it to search (`phone_hash=hash_value("phone", x)`)."""
    if not clear:
        return ""
    normalized = NORMALIZERS[kind](clear)
    if not normalized:
        return ""
    return crypto.blind_index(kind, normalized)


def check_person_value(kind: str, value: str) -> str:
    """Validate+normalise, for services that receive raw input outside a form."""
    if kind == "phone":
        return validate_phone(value)
    if kind == "id_card":
        return validate_id_card(value)
    if not isinstance(value, str):
        raise ValidationError("invalid")
    return value.strip()

from django import template

from core.person import mask_id_card, mask_name, mask_phone

register = template.Library()


@register.filter
def masked_phone(value):
    return mask_phone(value or "")


@register.filter
def masked_id(value):
    return mask_id_card(value or "")


@register.filter
def masked_name(value):
    return mask_name(value or "")

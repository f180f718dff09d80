from django import template

from core.masking import mask_name

register = template.Library()


@register.filter
def masked(name):
    """张*丰: a name as the narrowed roles and public notices see it."""
    return mask_name(name)

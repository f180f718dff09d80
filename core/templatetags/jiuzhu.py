from django import template

from core import categories

register = template.Library()


@register.filter
def lookup(mapping, key):
    """{{ revealed|lookup:p.pk }}"""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def category_label(code):
    """{{ line.basis|category_label }}: the label from the one category table (core.categories)."""
    return categories.label(code) if code else ""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """{{ revealed|lookup:p.pk }}"""
    if not mapping:
        return None
    return mapping.get(key)

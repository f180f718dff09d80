from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

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


_CENT = Decimal("0.01")


@register.filter
def yuan(value, empty="—"):
    """{{ x.amount|yuan }} → 1,234.50: thousands separators, 2 places, half-up, never via float.
    None or "" shows `empty` ("—" unless given: {{ x|yuan:"" }})."""
    if value is None or value == "":
        return empty
    if isinstance(value, Decimal):
        amount = value
    else:
        try:
            # str() first: a float goes through its shortest repr, never its binary expansion
            amount = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return empty
    if not amount.is_finite():
        return empty
    with localcontext() as ctx:
        ctx.prec = max(28, len(amount.as_tuple().digits) + 4)
        amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0.00"
    return f"{amount:,.2f}"

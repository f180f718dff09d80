"""Serializer fields whose OpenAPI schema says exactly what they accept (issue #15: a fuzzer's valid body is
a body the view takes)."""
from decimal import Decimal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A positive yuan amount, at most 10 digits before the point and 2 after: 0.01 … 9999999999.99.
POSITIVE_YUAN_PATTERN = r"^(?:[1-9]\d{0,9}(?:\.\d{1,2})?|0\.(?:[1-9]\d?|0[1-9]))$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": POSITIVE_YUAN_PATTERN,
                      "example": "1000.00", "description": "金额（元），大于0，最多两位小数"})
class PositiveYuanField(serializers.DecimalField):
    """Decimal yuan > 0 with 2 places (max_digits 12); a JSON number is taken too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("error_messages", {"min_value": "金额须大于0", "invalid": "请填写金额，如 1000.00",
                                             "max_digits": "金额过大", "max_decimal_places": "金额最多两位小数",
                                             "max_whole_digits": "金额过大"})
        super().__init__(**kwargs)


@extend_schema_field({"type": "boolean", "enum": [True]})
class TrueField(serializers.BooleanField):
    """A flag one documented request shape needs set (documented as `true` only)."""


class BodyRequiredSchema(AutoSchema):
    """drf-spectacular never marks a oneOf request body (PolymorphicProxySerializer) required; a view whose
    POST needs a body says so with `schema = BodyRequiredSchema()`."""

    def _get_request_body(self, *args, **kwargs):
        body = super()._get_request_body(*args, **kwargs)
        if body:
            body["required"] = True
        return body

"""Form helpers shared by every floor."""
from django import forms
from django.core.exceptions import ValidationError

from core import pii

# The browser's own date picker; the value travels as ISO 8601 (YYYY-MM-DD), whatever the locale.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form, field by field when it can."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class PhoneMixin:
    """A form with a `phone` field: a number that cannot be a phone number is refused in Chinese (core.pii)."""

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if raw:
            pii.normalize_phone(raw)
        return raw

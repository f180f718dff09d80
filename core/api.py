"""API plumbing shared by every app: the exception handler (no stack traces, Chinese messages)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from core import audit


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    if isinstance(exc, exceptions.PermissionDenied):
        _audit_refusal(exc, context)
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # a refusal is JSON even when the request asked for a file (?format=xlsx): as documented
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    return response


def _audit_refusal(exc, context) -> None:
    """Every 403 of the API is on the trail (who, which path, what was refused)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit.record(actor=user, action="access.denied", category=audit.Category.SECURITY, object_type="api",
                 object_repr=request.path[:200], after={"method": request.method}, reason=str(exc.detail)[:500],
                 region=("", "", ""))


def raise_api_error(exc: DjangoValidationError):
    """Re-raise a service's refusal as the API's 400, field by field when it names fields."""
    raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})

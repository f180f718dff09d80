"""What the social-forces pages share: run a service from a valid form, the year from the query string."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from accounts.models import User
from core.forms import apply_errors


def submit(request, form, call, *, done: str, to):
    """Run `call(cleaned_data)` for a valid bound form; on success a message and a redirect, on refusal the
    service's Chinese message on the form (nothing is lost: the form is shown again with the input)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect(to(result) if callable(to) else to)


def bound(request, op: str, form_class, **kwargs):
    """The form named `op` bound to this POST when it is the one submitted, else unbound."""
    data = request.POST if request.method == "POST" and request.POST.get("op") == op else None
    return form_class(data, **kwargs)


def year_of(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def user_named(username: str, field: str = "username") -> User:
    user = User.objects.filter(username=(username or "").strip(), is_active=True).select_related("region").first()
    if user is None:
        raise ValidationError({field: "没有这个账号"})
    return user

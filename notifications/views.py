"""Pages of notices: the outbox of the user's region, the request for missing documents on a case, the
templates (city)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, require_page
from cases.dibao import selectors as case_selectors
from core.forms import apply_errors
from core.paging import paginate
from notifications import selectors, services
from notifications.forms import DocumentsForm, TemplateForm
from notifications.models import Kind, Notification


@login_required
def outbox(request):
    require_page(request, Action.CASE_VIEW)
    qs = selectors.outbox(request.user)
    status = request.GET.get("status", "")
    if status in Notification.Status.values:
        qs = qs.filter(status=status)
    page = paginate(qs, request)
    return render(request, "notifications/outbox.html", {"page": page, "status": status,
                                                         "statuses": Notification.Status.choices})


@require_POST
@login_required
def request_documents(request, pk):
    app = case_selectors.application_detail(user=request.user, pk=pk)
    require_page(request, Action.CASE_PROCESS)
    form = DocumentsForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写补交截止日期")
        note = services.request_documents(actor=request.user, application=app, due_on=form.cleaned_data["due_on"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if note.status == Notification.Status.NO_PHONE:
            messages.warning(request, "已记录补交材料通知，但该户没有有效的联系电话，请电话以外方式告知（如入户送达）。")
        else:
            messages.success(request, f"已向{note.recipient}（{note.phone_masked}）发送补交材料短信。")
    return redirect("cases:application_detail", pk=app.pk)


@login_required
def templates(request):
    require_page(request, Action.PARAMS_VIEW, Action.PARAMS_CHANGE)
    editable = can(request.user, Action.PARAMS_CHANGE)
    rows = []
    bound = None
    if request.method == "POST" and editable:
        kind = request.POST.get("kind", "")
        bound = TemplateForm(request.POST)
        if bound.is_valid():
            try:
                services.template_set(actor=request.user, kind=kind, body=bound.cleaned_data["body"])
            except ValidationError as exc:
                apply_errors(bound, exc)
            else:
                messages.success(request, "短信模板已保存。")
                return redirect("notifications:templates")
    for kind, label in Kind.choices:
        form = bound if bound is not None and request.POST.get("kind") == kind else TemplateForm(
            initial={"body": services.template_body(kind)})
        rows.append({"kind": kind, "label": label, "form": form})
    return render(request, "notifications/templates.html", {
        "rows": rows, "editable": editable, "placeholders": services.PLACEHOLDERS,
    }, status=400 if bound is not None and bound.errors else 200)

"""Pages of attachments: one owner's files (upload, list, checklist), the printable list of 材料 received,
the audited opening of a file, and the list of recent files in the user's region."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.scope import Action, require_page
from attachments import checklist, selectors, services, uploads
from attachments.doctypes import DocType
from attachments.forms import RemoveForm, UploadForm
from attachments.owners import spec_for
from core import audit
from core.forms import apply_errors
from core.paging import paginate


def _owner_choices(owner) -> list[tuple[str, str]]:
    spec = spec_for(owner)
    choices = [(f"{owner._meta.label_lower}:{owner.pk}", f"{spec.label}：{owner}")]
    if spec.children:
        for child in getattr(owner, spec.children).all():
            child_spec = spec_for(child)
            if child_spec is not None:
                choices.append((f"{child._meta.label_lower}:{child.pk}", f"{child_spec.label}：{child}"))
    return choices


def _target(owner, choice: str):
    """The owner the user picked: the page's own object or one of its children, nothing else."""
    if not choice:
        return owner
    label, _, pk = choice.partition(":")
    if label == owner._meta.label_lower and pk == str(owner.pk):
        return owner
    spec = spec_for(owner)
    if spec.children:
        child = getattr(owner, spec.children).filter(pk=pk).first() if pk.isdecimal() else None
        if child is not None and child._meta.label_lower == label:
            return child
    raise ValidationError({"owner": "请选择材料归属"})


def _owner_url(owner) -> str:
    return spec_for(owner).url(owner)


@csrf_exempt  # the CSRF check runs in _owner_files, after the bounded upload handler is installed
@login_required
def owner_files(request, label, pk):
    limit = checklist.max_size()
    handler = uploads.install(request, limit) if request.method == "POST" else None
    return _owner_files(request, label, pk, limit, handler)


@csrf_protect
def _owner_files(request, label, pk, limit, handler):
    owner = selectors.owner_or_404(request.user, label, pk)
    spec = spec_for(owner)
    can_change = selectors.may_change(request.user, owner)
    choices = _owner_choices(owner)
    form = UploadForm(owners=choices, initial={"owner": choices[0][0]}) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise Http404("未找到")
        too_big = uploads.declared_too_large(request, limit)
        form = UploadForm(request.POST if not too_big else None, request.FILES if not too_big else None,
                          owners=choices)
        if too_big or handler.too_large:
            form.is_valid()
            form.add_error("file", f"文件超过 {limit // (1024 * 1024)} MB 上限，请压缩图片或分批扫描后再上传")
        elif form.is_valid():
            upload = form.upload()
            try:
                target = _target(owner, form.cleaned_data.get("owner", ""))
                att = services.attach(actor=request.user, owner=target, data=upload.read() if upload else None,
                                      filename=upload.name if upload else "", doc_type=form.cleaned_data["doc_type"],
                                      title=form.cleaned_data["title"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已上传：{att}（{att.get_mime_display()}，已加密保存）")
                return redirect("attachments:owner", label=label, pk=pk)
    rows = selectors.with_owner_names(selectors.for_owner(owner))
    return render(request, "attachments/owner.html", {
        "owner": owner, "spec": spec, "label": label, "rows": rows, "form": form, "can_change": can_change,
        "items": checklist.status(owner), "limit_mb": limit // (1024 * 1024), "back": _owner_url(owner),
        "remove_form": RemoveForm(),
    }, status=400 if request.method == "POST" else 200)


@login_required
def received(request, label, pk):
    """The printable list of 材料 received for an owner (signed by the applicant and the caseworker)."""
    owner = selectors.owner_or_404(request.user, label, pk)
    spec = spec_for(owner)
    if spec.checklist:
        rows = selectors.visible(request.user).filter(checklist.counted_q(owner))
    else:
        rows = selectors.for_owner(owner)
    rows = selectors.with_owner_names(rows.order_by("uploaded_at", "id"))
    audit.record_export(actor=request.user, what=f"{spec.label}「{str(owner)[:60]}」材料接收清单", rows=len(rows),
                        fmt="print", object_type=owner._meta.label_lower, object_id=str(owner.pk))
    return render(request, "attachments/received.html", {
        "owner": owner, "spec": spec, "label": label, "rows": rows, "items": checklist.status(owner),
        "today": timezone.localdate(),
    })


@login_required
def open_file(request, pk):
    att = selectors.attachment_or_404(request.user, pk)
    download = request.GET.get("download") == "1"
    try:
        data = services.open_content(actor=request.user, attachment=att, download=download)
    except ValidationError:
        raise Http404("未找到") from None
    response = HttpResponse(data, content_type=att.mime)
    name = f"{att.title}.{att.extension}"
    response["Content-Disposition"] = (f"{'attachment' if download else 'inline'}; filename=\"file.{att.extension}\"; "
                                       f"filename*=UTF-8''{quote(name)}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def remove(request, pk):
    att = selectors.attachment_or_404(request.user, pk)
    owner = att.owner
    form = RemoveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请说明撤下原因（如：重复上传、拍摄不清、非本户材料）")
        services.remove(actor=request.user, attachment=att, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤下：{att}")
    label, pk = request.POST.get("next_label", ""), request.POST.get("next_pk", "")
    if spec_for(label) is not None and pk.isdecimal():
        return redirect("attachments:owner", label=label, pk=int(pk))
    return redirect("attachments:owner", label=owner._meta.label_lower, pk=owner.pk)


@login_required
def recent(request):
    require_page(request, Action.CASE_VIEW, Action.COMPLAINT_HANDLE)
    qs = selectors.visible(request.user)
    doc_type = request.GET.get("doc_type", "")
    if doc_type in DocType.values:
        qs = qs.filter(doc_type=doc_type)
    page = paginate(qs, request)
    page.rows = selectors.with_owner_names(page.rows)
    return render(request, "attachments/list.html", {"page": page, "doc_types": DocType.choices,
                                                     "doc_type": doc_type})

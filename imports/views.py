"""Pages of the household import: upload (checked at once), progress with cancel, errors, result, template and
error-report downloads."""
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, require_page
from cases.models import Household
from core import audit, uploads
from core.forms import apply_errors
from core.paging import paginate
from imports import reports, selectors, services
from imports.forms import ImportForm

ERRORS_SHOWN = 200
CREATED_SHOWN = 100


def status_payload(job) -> dict:
    return {"id": job.pk, "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
            "stage": job.stage, "detail": _time_left(job), "rows_total": job.rows_total, "rows_valid": job.rows_valid,
            "rows_done": job.rows_done, "error_count": job.error_count}


def _time_left(job) -> str:
    if job.status != "running" or not job.started_at or job.progress < 3:
        return ""
    elapsed = (timezone.now() - job.started_at).total_seconds()
    left = elapsed * (100 - job.progress) / job.progress
    return f"预计还需 {int(left // 60)} 分 {int(left % 60)} 秒" if left >= 60 else f"预计还需 {int(left)} 秒"


@login_required
def import_list(request):
    require_page(request, Action.HOUSEHOLD_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = uploads.read_upload(upload, services.limits())
            job = services.import_request(actor=request.user, name=upload.name, data=data,
                                          dry_run=form.cleaned_data["dry_run"], mode=form.cleaned_data["mode"])
        except ValidationError as exc:
            apply_errors(form, ValidationError({"file": exc.messages}))
        else:
            messages.success(request, "文件已上传，正在后台校验" + ("（试导入，不写入）。" if job.dry_run else "并导入。"))
            return redirect("imports:detail", pk=job.pk)
    page = paginate(selectors.import_list(user=request.user), request, size=30)
    return render(request, "imports/import_list.html", {"form": form, "page": page})


@login_required
def import_detail(request, pk):
    job = selectors.import_detail(user=request.user, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(status_payload(job))
    created = list(Household.objects.filter(pk__in=job.created_ids[:CREATED_SHOWN])
                   .only("pk", "head_name", "address", "village__name").select_related("village").order_by("pk"))
    return render(request, "imports/import_detail.html", {
        "job": job, "errors": job.errors[:ERRORS_SHOWN], "errors_shown": min(len(job.errors), ERRORS_SHOWN),
        "created": created, "time_left": _time_left(job), "changes": job.changes[:ERRORS_SHOWN],
        "active": job.status in ("queued", "running"),
    })


@login_required
@require_POST
def import_cancel(request, pk):
    job = selectors.import_detail(user=request.user, pk=pk)
    done = services.import_cancel(actor=request.user, job=job)
    messages.info(request, "已请求取消，未写入任何数据。" if done else "导入已结束，无法取消。")
    return redirect("imports:detail", pk=pk)


@login_required
def template_download(request):
    require_page(request, Action.HOUSEHOLD_IMPORT)
    return _xlsx(reports.template_xlsx(), "家庭批量导入模板.xlsx")


@login_required
def error_report(request, pk):
    job = selectors.import_detail(user=request.user, pk=pk)
    data = reports.error_report_xlsx(job)
    audit.record_export(actor=request.user, what=f"家庭导入错误报告（{job.file_name[:60]}）", rows=job.error_count,
                        fmt="xlsx", full_numbers=True, object_type="imports.householdimport", object_id=str(job.pk),
                        region=(job.county_id, job.township_id or "", ""))
    return _xlsx(data, f"导入错误报告-{job.pk}.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=reports.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

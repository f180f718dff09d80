"""Pages of the bank-result import: upload (checked at once, then queued), the job's progress, cancel."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.scope import Action, can
from core import uploads
from funds import bankjobs, bankresults, selectors


@login_required
@require_POST
def bank_result_upload(request, pk):
    batch = selectors.batch_detail(user=request.user, pk=pk)
    try:
        data = uploads.read_upload(request.FILES.get("file"), bankresults.limits())
        job = bankjobs.bank_result_request(actor=request.user, batch=batch, name=request.FILES["file"].name, data=data)
    except ValidationError as exc:
        request.session[f"bank_errors_{pk}"] = exc.messages
        messages.error(request, f"结果文件未导入（共 {len(exc.messages)} 个问题，批次未作任何改动）。")
        return redirect("funds:batch_detail", pk=pk)
    messages.success(request, "结果文件已上传，正在后台核对和导入。")
    return redirect("funds:bank_result_status", pk=job.pk)


@login_required
def bank_result_status(request, pk):
    job = selectors.bank_result_job(user=request.user, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": job.status, "progress": job.progress, "stage": job.stage,
                             "rows_total": job.rows_total, "paid": job.paid, "failed": job.failed,
                             "problem_count": job.problem_count})
    return render(request, "funds/bank_result_status.html", {
        "job": job, "batch": job.batch, "can_cancel": can(request.user, Action.PAYMENT_PREPARE)})


@login_required
@require_POST
def bank_result_cancel(request, pk):
    job = selectors.bank_result_job(user=request.user, pk=pk)
    try:
        done = bankjobs.bank_result_cancel(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.info(request, "已取消导入，批次未作任何改动。" if done else "导入已结束，无法取消。")
    return redirect("funds:bank_result_status", pk=pk)

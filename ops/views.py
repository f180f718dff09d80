"""/healthz/ (no login, JSON, no personal data) and the system administrator's 系统状态 page."""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.scope import Action, require_page
from ops import backup, health, status


@never_cache
@require_GET
def healthz(request):
    """200 when every part is healthy, 503 naming the failing parts (`failing`), for load balancers and
    monitoring. Counts and ages only: nothing about any person, user or region."""
    result = health.check()
    wanted = [p for p in request.GET.get("parts", "").split(",") if p in health.PARTS]
    if wanted:  # e.g. the web container's own check: ?parts=database (a stopped worker is not the web's fault)
        result["failing"] = [p for p in result["failing"] if p in wanted]
        result["status"] = "fail" if result["failing"] else "ok"
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503,
                        json_dumps_params={"ensure_ascii": False})


PART_LABELS = {"database": "数据库", "broker": "消息队列", "worker": "后台任务进程（worker）",
               "beat": "定时调度（beat）", "jobs": "后台作业"}


@login_required
@never_cache
def system_status(request):
    require_page(request, Action.SYSTEM_STATUS)
    result = health.check()
    parts = [{"key": key, "label": PART_LABELS[key], **result[key]} for key in health.PARTS]
    return render(request, "ops/status.html", {
        "result": result, "parts": parts, "periodic": status.periodic_tasks(), "jobs": status.recent_jobs(),
        "job_counts": result["jobs"].get("kinds", {}), "disks": status.disks(), "keys": status.key_status(),
        "archives": backup.archives()[:10], "backup_dir": backup.backup_dir()})

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, require_page
from core.exports import xlsx_workbook
from core.forms import apply_errors
from core.months import first_of_month
from core.paging import paginate
from monitoring import charts, reader, selectors, services
from monitoring.forms import FindingForm, UploadForm
from monitoring.models import Clue, ComparisonRun, RunIssue
from monitoring.sources import SOURCE_CHOICES, SOURCES


def run_status_payload(run: ComparisonRun) -> dict:
    return {
        "id": run.pk, "source": run.source, "source_label": run.get_source_display(), "status": run.status,
        "status_label": run.get_status_display(), "progress": run.progress, "stage": run.stage,
        "rows_read": run.rows_read, "rows_valid": run.rows_valid, "rows_invalid": run.rows_invalid,
        "rows_duplicate": run.rows_duplicate, "rows_upgraded": run.rows_upgraded, "rows_matched": run.rows_matched,
        "rows_unregistered": run.rows_unregistered,
        "clues_created": run.clues_created, "holds_placed": run.holds_placed, "attempts": run.attempts,
        "stale": services.run_is_stale(run), "error": run.error,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


@login_required
def run_list(request):
    require_page(request, Action.SUPERVISION_VIEW)
    can_upload = can(request.user, Action.SUPERVISION_CHANGE)
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"period": first_of_month(timezone.localdate())}) if can_upload else None
    if request.method == "POST":
        require_page(request, Action.SUPERVISION_CHANGE)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = services.run_create(actor=request.user, source=form.cleaned_data["source"],
                                          file_name=upload.name, data=reader.read_upload(upload),
                                          period=form.cleaned_data["period"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "文件已上传，正在后台比对。")
                return redirect("monitoring:run_detail", pk=run.pk)
    source = request.GET.get("source", "")
    page = paginate(selectors.run_list(user=request.user, source=source), request, size=30)
    return render(request, "monitoring/run_list.html", {
        "form": form, "page": page, "sources": SOURCE_CHOICES, "source": source,
        "source_specs": SOURCES.values(),
    })


@login_required
def run_detail(request, pk):
    run = selectors.run_detail(user=request.user, pk=pk)
    kind = request.GET.get("kind", "")
    issues = paginate(selectors.run_issues(run=run, kind=kind), request, size=100)
    unplaced = (selectors.run_issues(run=run, kind=RunIssue.Kind.UNREGISTERED).count()
                if run.rows_unregistered else 0)
    response = render(request, "monitoring/run_detail.html", {
        "run": run, "issues": issues, "kind": kind, "issue_kinds": RunIssue.Kind.choices,
        "stale": services.run_is_stale(run), "can_retry": can(request.user, Action.SUPERVISION_CHANGE),
        "spec": SOURCES.get(run.source),
        "unplaced": unplaced, "placed": run.rows_unregistered - unplaced,
    })
    if not run.is_finished and not services.run_is_stale(run):
        response["Refresh"] = "2"  # progress without JavaScript: the browser reloads until the run ends
    return response


@login_required
def run_status(request, pk):
    run = selectors.run_detail(user=request.user, pk=pk)
    return JsonResponse(run_status_payload(run))


@login_required
@require_POST
def run_retry(request, pk):
    run = selectors.run_detail(user=request.user, pk=pk)
    try:
        services.run_retry(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已重新排队执行。已有线索不会重复生成。")
    return redirect("monitoring:run_detail", pk=run.pk)


@login_required
def clue_list(request):
    g = request.GET
    qs = selectors.clue_list(user=request.user, status=g.get("status", "open"), kind=g.get("kind", ""),
                             township=g.get("township", ""), overdue=g.get("overdue") == "1",
                             run=int(g["run"]) if g.get("run", "").isdecimal() else None)
    page = paginate(qs, request)
    return render(request, "monitoring/clue_list.html", {
        "page": page, "status": g.get("status", "open"), "kind": g.get("kind", ""), "overdue": g.get("overdue"),
        "statuses": Clue.Status.choices, "kinds": Clue.Kind.choices, "today": timezone.localdate(),
        "querystring": g.urlencode(),
    })


@login_required
def clue_detail(request, pk):
    clue = selectors.clue_detail(user=request.user, pk=pk)
    can_decide = can(request.user, Action.CASE_PROCESS) and clue.status == Clue.Status.OPEN
    registered = selectors.clue_registered_person(user=request.user, clue=clue)
    if request.method == "POST" and "link_person" in request.POST:
        if not can(request.user, Action.CASE_PROCESS) or registered is None:
            raise Http404("未找到")
        try:
            services.clue_link_person(actor=request.user, clue=clue, person=registered)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"线索已关联{registered.name}的家庭档案。")
        return redirect("monitoring:clue_detail", pk=clue.pk)
    form = FindingForm(request.POST or None, clue=clue) if can_decide else None
    if request.method == "POST":
        if not can_decide:
            raise Http404("未找到")
        if form.is_valid():
            try:
                services.clue_record_finding(
                    actor=request.user, clue=clue, confirmed=form.cleaned_data["result"] == "confirmed",
                    finding=form.cleaned_data["finding"], deceased_on=form.cleaned_data.get("deceased_on"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "核查结论已保存，线索已办结。")
                return redirect("monitoring:clue_detail", pk=clue.pk)
    return render(request, "monitoring/clue_detail.html", {
        "clue": clue, "form": form, "today": timezone.localdate(),
        "can_register": clue.unregistered and registered is None and can(request.user, Action.CASE_CHANGE),
        "registered": registered, "can_link": registered is not None and can(request.user, Action.CASE_PROCESS),
        "exit_entitlements": selectors.clue_exit_entitlements(user=request.user, clue=clue)})


@login_required
def clue_summary(request):
    require_page(request, Action.SUPERVISION_VIEW)
    rows = selectors.clue_summary(user=request.user)
    totals = {k: sum(r[k] for r in rows) for k in ("open", "overdue", "confirmed", "unfounded", "closed",
                                                   "closed_late")}
    return render(request, "monitoring/clue_summary.html", {"rows": rows, "totals": totals})


CATEGORY_LABELS = dict(services.SNAPSHOT_CATEGORIES)


@login_required
def population(request):
    require_page(request, Action.SUPERVISION_VIEW)
    if request.method == "POST":
        require_page(request, Action.SUPERVISION_CHANGE)
        n = services.snapshot_build(month=timezone.localdate(), actor=request.user)
        messages.success(request, f"已重新统计本月数据（{n}行）。")
        return redirect(request.get_full_path())
    region = request.GET.get("region", "")
    data = selectors.population_series(user=request.user, region=region)
    if request.GET.get("export") == "xlsx":
        services.export_record(actor=request.user, what="低收入人口月度统计导出", filters={"region": region})
        return _population_xlsx(data)
    labels = [f"{m:%Y-%m}" for m in data["months"]]
    series = [(CATEGORY_LABELS.get(c, c), [data["series"].get(c, {}).get(m, 0) for m in data["months"]])
              for c, _ in services.SNAPSHOT_CATEGORIES if c in data["series"]]
    table = [{"label": CATEGORY_LABELS.get(c, c), "households": [data["series"].get(c, {}).get(m, 0)
                                                                 for m in data["months"]],
              "persons": [data["persons"].get(c, {}).get(m, 0) for m in data["months"]],
              "unit": services.PERSON_UNITS.get(c, "人")}
             for c, _ in services.SNAPSHOT_CATEGORIES]
    places: dict = {}
    for r in data["by_place"]:
        row = places.setdefault(r["code"], {"name": r["name"], "cells": {}})
        row["cells"][r["category"]] = (r["households"], r["persons"])
    place_rows = [{"name": p["name"], "cells": [p["cells"].get(c, (0, 0)) for c, _ in services.SNAPSHOT_CATEGORIES]}
                  for p in places.values()]
    return render(request, "monitoring/population.html", {
        "chart": charts.line_chart(labels, series, title="各类低收入人口户数（按月）") if labels else "",
        "labels": labels, "table": table, "place_rows": place_rows, "latest": data["latest"],
        "categories": services.SNAPSHOT_CATEGORIES, "regions": selectors.population_regions(request.user),
        "region": region, "can_rebuild": can(request.user, Action.SUPERVISION_CHANGE),
    })


def _population_xlsx(data) -> HttpResponse:
    buf = io.BytesIO()
    book = xlsx_workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("月度趋势")
    sheet.write_row(0, 0, ["类别", "口径"] + [f"{m:%Y-%m}" for m in data["months"]], bold)
    row = 1
    for code, label in services.SNAPSHOT_CATEGORIES:
        sheet.write_row(row, 0, [label, "户数"] + [data["series"].get(code, {}).get(m, 0) for m in data["months"]])
        unit = "人次" if code in services.PERSON_UNITS else "人数"
        sheet.write_row(row + 1, 0, [label, unit] + [data["persons"].get(code, {}).get(m, 0)
                                                    for m in data["months"]])
        row += 2
    sheet.set_column(0, 0, 26)
    places = book.add_worksheet("分地区")
    places.write_row(0, 0, ["地区", "类别", "户数", "人数"], bold)
    for i, r in enumerate(data["by_place"], start=1):
        places.write_row(i, 0, [r["name"], CATEGORY_LABELS.get(r["category"], r["category"]), r["households"],
                                r["persons"]])
    places.set_column(0, 1, 24)
    book.close()
    response = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BD%8E%E6%94%B6%E5%85%A5%E4%BA%BA%E5%8F%A3.xlsx"
    return response

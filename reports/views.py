"""Pages of the reports floor: the aims dashboard and the cases behind each number, the monthly statistics, the
charts and the readable audit trail. Every page reads through reports.selectors / monthly / trail, scoped to the
user's region; every list and report downloads as xlsx (`?format=xlsx`, core.xlsx: streamed, audited)."""
from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.scope import Action, can, require_page
from core.indicators import AIM_LABELS, Column
from core.months import add_months, first_of_month
from core.paging import paginate
from core.replica import reporting
from core.xlsx import xlsx_response
from reports import exports, registry, selectors, trail
from reports import monthly as monthly_report

READERS = (Action.CASE_VIEW, Action.PAYMENT_VIEW, Action.SUPERVISION_VIEW, Action.SPOTCHECK_ANSWER,
           Action.COMPLAINT_HANDLE)
STATS_READERS = (Action.CASE_VIEW, Action.PAYMENT_VIEW)


def _context(request):
    region = selectors.resolve_region(request.user, request.GET.get("region"))
    month = selectors.resolve_month(request.GET.get("month"))
    return region, month


def _months(month):
    this = first_of_month(timezone.localdate())
    return [f"{add_months(this, -k):%Y-%m}" for k in range(24)], f"{month:%Y-%m}"


def _filters(region, month, **extra) -> list[tuple[str, str]]:
    out = [("地区", region.name), ("月份", f"{month:%Y年%m月}")]
    out += [(k, v) for k, v in extra.items() if v]
    return out


def _region_codes(region):
    code = region.code
    if region.level == "city":
        return ("", "", "")
    return (code[:6], code[:9] if len(code) >= 9 else "", code if len(code) == 12 else "")


@login_required
@reporting()  # reads may go to the read replica (core.replica)
def aims(request):
    require_page(request, *READERS)
    region, month = _context(request)
    data, computed_at = selectors.dashboard_cached(user=request.user, region=region, month=month)
    if request.GET.get("format") == "xlsx":
        rows = ([AIM_LABELS[c.indicator.aim], c.indicator.label, c.indicator.definition, c.value, c.previous,
                 "—" if c.target is None else c.target, c.indicator.unit, c.status_label]
                for aim in data for c in aim["cells"])
        return xlsx_response(actor=request.user, title="三个兜底指标", filters=_filters(region, month),
                             header=["目标", "指标", "口径", "本月", "上月", "目标值", "单位", "状况"], rows=rows,
                             filename=f"三个兜底指标-{region.name}-{month:%Y%m}.xlsx", widths=[8, 24, 60, 10, 10, 10, 6, 8],
                             region=_region_codes(region))
    months, current = _months(month)
    return render(request, "reports/aims.html", {
        "aims": data, "region": region, "month": month, "months": months, "current": current,
        "computed_at": timezone.localtime(computed_at), "previous": f"{add_months(month, -1):%Y-%m}",
        "trail": selectors.trail(request.user, region), "children": selectors.children(region),
    })


def _cells(indicator, row) -> list[tuple[str, str]]:
    out = []
    for col in indicator.columns:
        value = col.value(row) if col.value else ""
        out.append((value, col.link(row) if col.link else ""))
    return out


def _export_value(col: Column, row, full: bool):
    if full and col.person is not None:
        person = col.person(row)
        if person is not None:
            return person.reveal_id_number()
    return col.value(row) if col.value else ""


@login_required
@reporting()  # reads may go to the read replica (core.replica)
def indicator(request, code: str):
    require_page(request, *READERS)
    ind = selectors.indicator_or_404(request.user, code)
    region, month = _context(request)
    rows = selectors.rows(user=request.user, indicator=ind, region=region, month=month)
    if request.GET.get("format") == "xlsx":
        full = request.GET.get("full") == "1"
        reason = (request.GET.get("reason") or "").strip()
        if full:
            if not can(request.user, Action.CASE_VIEW_PII) or not any(c.person for c in ind.columns):
                full = False
            elif len(reason) < 2:
                messages.error(request, "导出完整身份证号码须填写用途（至少两个字）。")
                return redirect(f"{request.path}?region={region.code}&month={month:%Y-%m}")
        iterable = rows if isinstance(rows, list) else rows.iterator(chunk_size=2000)
        data = ([_export_value(c, r, full) for c in ind.columns] for r in iterable)
        return xlsx_response(actor=request.user, title=f"{ind.label}明细", filters=_filters(region, month, 指标=ind.label),
                             header=[c.label for c in ind.columns], rows=data, full_numbers=full,
                             reason=reason if full else "", filename=f"{ind.label}-{region.name}-{month:%Y%m}.xlsx",
                             region=_region_codes(region))
    cell = selectors.measure(request.user, ind, region, month)
    page = paginate(rows, request)
    page_rows = [_cells(ind, r) for r in page.rows]
    months, current = _months(month)
    return render(request, "reports/indicator.html", {
        "ind": ind, "aim_label": AIM_LABELS[ind.aim], "cell": cell, "region": region, "month": month,
        "page": page, "page_rows": page_rows, "months": months, "current": current,
        "trail": selectors.trail(request.user, region), "children": selectors.children(region),
        "can_full": can(request.user, Action.CASE_VIEW_PII) and any(c.person for c in ind.columns),
        "source_url": _source(ind),
    })


def _source(ind) -> str:
    try:
        return reverse(ind.source) if ind.source else ""
    except Exception:  # noqa: BLE001 - a page another app has not mounted is simply not linked
        return ""


@login_required
@reporting()  # reads may go to the read replica (core.replica)
def monthly(request):
    require_page(request, *STATS_READERS)
    region, month = _context(request)
    data = monthly_report.report(user=request.user, region=region, month=month)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(actor=request.user, title="社会救助统计月报", filters=_filters(region, month),
                             header=monthly_report.HEADER, rows=monthly_report.xlsx_rows(data),
                             filename=f"社会救助统计月报-{region.name}-{month:%Y%m}.xlsx",
                             widths=[22, 16, 8, 8, 16, 10, 12, 12, 16, 14, 14], region=_region_codes(region))
    months, current = _months(month)
    return render(request, "reports/monthly.html", {
        **data, "months": months, "current": current, "trail": selectors.trail(request.user, region),
        "printed_at": timezone.localtime(),
    })


@login_required
@reporting()  # reads may go to the read replica (core.replica)
def charts(request):
    require_page(request, *READERS)
    region, month = _context(request)
    visible = registry.visible(request.user)
    code = request.GET.get("indicator") or (visible[0].code if visible else "")
    ind = next((i for i in visible if i.code == code), visible[0] if visible else None)
    chart_data = {"indicator": None, "categories": None}
    if ind is not None:
        chart_data["indicator"] = {
            "label": f"{ind.label}（{ind.unit}）", "whole": ind.unit != "%",
            "trend": selectors.trend(user=request.user, indicator=ind, region=region, month=month),
            "regions": selectors.comparison(user=request.user, indicator=ind, region=region, month=month),
        }
    if any(can(request.user, a) for a in STATS_READERS):
        chart_data["categories"] = _category_trend(request.user, region, month)
    months, current = _months(month)
    return render(request, "reports/charts.html", {
        "region": region, "month": month, "months": months, "current": current, "indicators": visible,
        "ind": ind, "chart_data": chart_data, "trail": selectors.trail(request.user, region),
        "children": selectors.children(region),
    })


def _category_trend(user, region, month) -> dict:
    """Households per paid category over 12 months (one grouped query per month)."""
    labels, series = [], {code: [] for code, _ in monthly_report.CATEGORIES}
    counts = monthly_report.category_counts(user=user, region=region, months=[add_months(month, -k)
                                                                                for k in range(11, -1, -1)])
    for m, row in counts:
        labels.append(f"{m:%Y-%m}")
        for code in series:
            series[code].append(row.get(code, 0))
    return {"labels": labels, "series": [{"label": label, "data": series[code]}
                                         for code, label in monthly_report.CATEGORIES]}


@login_required
@reporting()  # reads may go to the read replica (core.replica)
def list_export(request, key: str):
    """A list page's rows as xlsx, with the page's own filters (reports.exports)."""
    spec = exports.EXPORTS.get(key)
    if spec is None:
        raise Http404("未找到")
    require_page(request, *spec.actions)
    g = request.GET
    full = g.get("full") == "1" and can(request.user, Action.CASE_VIEW_PII) and any(c.person for c in spec.columns)
    reason = (g.get("reason") or "").strip()
    if full and len(reason) < 2:
        messages.error(request, "导出完整身份证号码须填写用途（至少两个字）。")
        full = False
    rows = spec.rows(request.user, g)
    rows = rows if isinstance(rows, list) else rows.iterator(chunk_size=2000)  # a short list (the overdue board)
    data = ([_export_value(c, r, full) for c in spec.columns] for r in rows)
    chosen = [(label, g[k]) for k, label in spec.filters if g.get(k)] or [("筛选", "全部")]
    return xlsx_response(actor=request.user, title=spec.title, filters=chosen, header=[c.label for c in spec.columns],
                         rows=data, full_numbers=full, reason=reason if full else "",
                         filename=f"{spec.title}-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def audit_trail(request):
    """The audit trail (审计日志) as far as the user may read it, rendered for people (reports.trail)."""
    require_page(request, Action.AUDIT_VIEW, Action.AUDIT_VIEW_ALL)
    f = request.GET
    qs = trail.events(user=request.user, f=f)
    if f.get("format") == "xlsx":
        chosen = [(label, f.get(key)) for key, label in (
            ("object_type", "对象类型"), ("object_id", "对象编号"), ("actor", "操作人"), ("region", "地区"),
            ("action", "动作"), ("category", "类别"), ("from", "自"), ("to", "至")) if f.get(key)]
        return xlsx_response(actor=request.user, title="审计日志", filters=chosen or [("筛选", "全部")],
                             header=trail.EXPORT_HEADER, rows=trail.export_rows(qs),
                             filename=f"审计日志-{timezone.localdate():%Y%m%d}.xlsx",
                             widths=[17, 12, 12, 10, 18, 12, 30, 60, 30, 14])
    page = paginate(qs, request)
    return render(request, "reports/audit_trail.html", {
        "page": page, "rows": [trail.render(e) for e in page.rows], "f": f,
        "categories": trail.AuditEvent.Category.choices,
        "object_types": [(k, v[0]) for k, v in trail.OBJECT_TYPES.items()],
        "actions": trail.action_choices(), "regions": trail_regions(request.user),
        "query": "&".join(f"{k}={v}" for k, v in _query(f)),
    })


def _query(f):
    return [(k, quote(f[k])) for k in trail.FILTERS if f.get(k)]


def trail_regions(user):
    region = selectors.home_region(user)
    return [region] + [r for r in selectors.children(region)]


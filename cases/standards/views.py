"""The city administrator's standards pages: 低保标准, 特困 basic living beside it, care standards."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.scope import Action, can, require_page
from cases.standards import selectors as standards
from cases.standards import services as standards_services
from cases.standards.forms import CareStandardForm, StandardForm
from cases.standards.models import CareStandard
from core import params
from core.forms import apply_errors


@login_required
def standard_list(request):
    require_page(request, Action.PARAMS_VIEW)
    today = timezone.localdate()
    try:
        on = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else today
    except ValueError:
        on = today
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        year = None
    overview = standards.standards_overview(user=request.user, on=on)
    history = list(standards.standard_history(user=request.user, year=year)[:200])
    care = standards.care_overview(user=request.user, on=on)
    years = sorted({s.effective_from.year for s in standards.standard_history(user=request.user)} | {today.year},
                   reverse=True)
    any_demo = any(c["current"] and c["current"].is_demo for e in overview for c in e["cells"]) or any(
        cell and cell.is_demo for e in care for cell in e["cells"])
    return render(request, "cases/standard_list.html", {
        "on": on, "today": today, "year": year, "years": years, "overview": overview, "history": history,
        "care": care,
        "care_forms": CareStandard.Form.choices, "care_levels": CareStandard.Level.choices,
        "ratio": params.get("tekun.basic_living_ratio", on), "any_demo": any_demo,
        "can_change": can(request.user, Action.STANDARDS_CHANGE),
    })


@login_required
def standard_add(request):
    require_page(request, Action.STANDARDS_CHANGE)
    form = StandardForm(request.POST or None, initial={"effective_from": dt.date(timezone.localdate().year + 1, 1, 1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = standards_services.standard_add(actor=request.user, counties=data["counties"], hukou_type=data["hukou_type"],
                                          effective_from=data["effective_from"], dibao_monthly=data["dibao_monthly"],
                                          note=data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已设置 {len(rows)} 个县（市、区）的低保标准，自 {data['effective_from']:%Y年%m月%d日} 起执行。")
            return redirect("cases:standard_list")
    return render(request, "cases/standard_form.html", {
        "form": form, "title": "新增低保标准",
        "hint": f"特困人员基本生活标准按低保标准的 {params.get('tekun.basic_living_ratio')} 倍自动计算，无需另行录入。",
    })


@login_required
def care_standard_add(request):
    require_page(request, Action.STANDARDS_CHANGE)
    form = CareStandardForm(request.POST or None,
                            initial={"effective_from": dt.date(timezone.localdate().year + 1, 1, 1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows = standards_services.care_standard_add(actor=request.user, counties=data["counties"], level=data["level"],
                                               form=data["form"], effective_from=data["effective_from"],
                                               monthly_amount=data["monthly_amount"], reason=data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已设置 {len(rows)} 个县（市、区）的照料护理标准。")
            return redirect("cases:standard_list")
    return render(request, "cases/standard_form.html", {"form": form, "title": "新增照料护理标准", "hint": ""})

"""The parameter page (core.params) and the working-day calendar (core.workdays): city administrators change
them through the checked services next door; other roles with PARAMS_VIEW read them."""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.parameters import services
from accounts.parameters.forms import ParameterForm, WorkdayOverrideForm
from accounts.scope import Action, can, require_page
from core import params, workdays

# --- parameters (§ every *(param)*) -------------------------------------------------------------------

@login_required
def param_list(request):
    require_page(request, Action.PARAMS_VIEW)
    rows = params.overview()
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.area, []).append(row)
    return render(request, "core/param_list.html", {
        "groups": groups, "today": timezone.localdate(), "can_change": can(request.user, Action.PARAMS_CHANGE),
        "changed": sum(1 for r in rows if r.since), "upcoming": sum(len(r.upcoming) for r in rows),
    })


@login_required
def param_edit(request, key):
    require_page(request, Action.PARAMS_CHANGE)
    if key not in params.REGISTRY:
        raise Http404("未找到")
    row = next(r for r in params.overview() if r.key == key)
    initial = {"effective_from": timezone.localdate() + dt.timedelta(days=1)}
    form = ParameterForm(request.POST or None, key=key, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_set(actor=request.user, key=key, value=form.cleaned_data["value"],
                                   effective_from=form.cleaned_data["effective_from"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            when = form.cleaned_data["effective_from"]
            messages.success(request, f"已设置“{row.spec.label}”：自 {when:%Y年%m月%d日} 起为 "
                                      f"{params.display(key, form.cleaned_data['value'])}。")
            return redirect("core:param_list")
    return render(request, "core/param_form.html", {"row": row, "form": form})


@login_required
@require_POST
def param_cancel(request, key):
    require_page(request, Action.PARAMS_CHANGE)
    if key not in params.REGISTRY:
        raise Http404("未找到")
    try:
        day = dt.date.fromisoformat(request.POST.get("effective_from", ""))
    except ValueError:
        raise Http404("未找到") from None
    try:
        services.parameter_cancel(actor=request.user, key=key, effective_from=day,
                                  reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销“{params.REGISTRY[key].label}”自 {day:%Y年%m月%d日} 起的调整。")
    return redirect("core:param_edit", key=key)


# --- working-day calendar -------------------------------------------------------------------------------

@login_required
def calendar(request):
    require_page(request, Action.PARAMS_VIEW)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year + 1)
    except ValueError:
        year = today.year + 1
    if not 2000 <= year <= 2100:
        raise Http404("未找到")
    can_change = can(request.user, Action.PARAMS_CHANGE)
    form = None
    if can_change:
        form = WorkdayOverrideForm(request.POST or None, initial={"date": dt.date(year, 1, 1)})
        if request.method == "POST" and form.is_valid():
            day = form.cleaned_data["date"]
            try:
                row = services.workday_override_set(actor=request.user, date=day,
                                                    is_workday=form.cleaned_data["is_workday"],
                                                    name=form.cleaned_data["name"], reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                kind = "调休上班" if form.cleaned_data["is_workday"] else "放假"
                messages.success(request, f"已登记 {day:%Y年%m月%d日} {kind}（{form.cleaned_data['name']}）。"
                                 + _moved_text(row.moved))
                return redirect(f"{reverse('core:calendar')}?year={day.year}")
    elif request.method == "POST":
        raise Http404("未找到")
    known_lib = workdays.library_years()
    days = workdays.year_days(year)
    return render(request, "core/calendar.html", {
        "year": year, "days": days, "form": form, "can_change": can_change,
        "in_library": year in known_lib, "library_last": known_lib[-1], "known": workdays.year_known(year),
        "unknown_in_use": workdays.unknown_years(today),
        "years": sorted(set(range(today.year - 1, today.year + 3)) | {year}),
        "holidays": sum(1 for d in days if not d["is_workday"]),
        "adjusted": sum(1 for d in days if d["is_workday"]),
    })


@login_required
@require_POST
def calendar_delete(request, day):
    require_page(request, Action.PARAMS_CHANGE)
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404("未找到") from None
    try:
        moved = services.workday_override_delete(actor=request.user, date=date, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除 {date:%Y年%m月%d日} 的调整。" + _moved_text(moved))
    return redirect(f"{reverse('core:calendar')}?year={date.year}")


def _moved_text(moved: list[str], shown: int = 10) -> str:
    """What the calendar change moved, for the confirmation message."""
    if not moved:
        return "没有在办事项的期限受影响。"
    more = f"等，共 {len(moved)} 项（详见审计日志）" if len(moved) > shown else ""
    return f"已重新计算 {len(moved)} 项期限：" + "；".join(moved[:shown]) + more + "。"

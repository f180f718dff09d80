"""Pages of 临时救助: grants (先行救助), applications (一般程序), paperwork and the township reserve funds."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.temporary_aid import ledger
from cases.temporary_aid import selectors as temporary_aid_selectors
from cases.temporary_aid import services as temporary_aid
from cases.temporary_aid.forms import FastGrantForm, FullApplyForm, PaperworkForm, RuleForm, TopUpForm
from cases.temporary_aid.models import TemporaryAid
from core import params
from core.forms import apply_errors
from core.models import Region
from core.paging import paginate


@login_required
def aid_list(request):
    require_page(request, Action.CASE_VIEW)
    flt = request.GET.get("f", "")
    return render(request, "cases/aid_list.html", {
        "page": paginate(temporary_aid_selectors.aid_list(user=request.user, flt=flt), request), "flt": flt,
        "filters": [("", "全部"), ("pending", "待补充说明"), ("overdue", "补充说明逾期")],
        "can_grant": can(request.user, Action.CASE_DECIDE),
        "funds": list(temporary_aid_selectors.funds(user=request.user)[:1]) if request.user.region.level == "township" else [],
    })


@login_required
def aid_grant(request):
    require_page(request, Action.CASE_DECIDE)
    household = temporary_aid_selectors.household_for_grant(
        user=request.user, pk=request.GET.get("household") or request.POST.get("household") or 0)
    form = FastGrantForm(request.POST or None, persons=household.members.all(),
                         applications=household.applications.open())
    if request.method == "POST" and form.is_valid():
        try:
            aid = temporary_aid.fast_grant(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已先行发放{aid.amount}元，请于{aid.paperwork_due:%Y-%m-%d}前补充说明。")
            return redirect("cases:aid_detail", pk=aid.pk)
    fund = temporary_aid_selectors.funds(user=request.user).first()
    return render(request, "cases/aid_grant.html", {"form": form, "household": household, "fund": fund,
                                                   "cap": params.get("temp_aid.fast_track_cap")})


@login_required
def aid_apply(request):
    """一般程序: larger temporary aid accepted by the township caseworker into the shared state machine."""
    require_page(request, Action.CASE_PROCESS)
    household = temporary_aid_selectors.household_for_apply(
        user=request.user, pk=request.GET.get("household") or request.POST.get("household") or 0)
    form = FullApplyForm(request.POST or None, persons=household.members.all(),
                         applications=household.applications.open().exclude(kind="temporary_aid"))
    if request.method == "POST" and form.is_valid():
        try:
            app = temporary_aid.full_apply(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已受理临时救助申请 {app.number}，请按程序入户调查、集体研究、公示和审核确认。")
            return redirect("cases:application_detail", pk=app.pk)
    return render(request, "cases/aid_apply.html", {
        "form": form, "household": household, "cap": temporary_aid.full_procedure_cap(household)})


@login_required
def aid_detail(request, pk):
    aid = get_in_scope_or_404(TemporaryAid.objects.select_related("household", "person", "granted_by",
                                                                  "handling_township"),
                              request.user, Action.CASE_VIEW, pk=pk)
    form = None
    if aid.status == TemporaryAid.Status.PAID_PENDING_PAPERWORK and (
            can(request.user, Action.CASE_PROCESS) or can(request.user, Action.CASE_DECIDE)):
        form = PaperworkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                temporary_aid.paperwork_submit(actor=request.user, aid=aid, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "事后补充说明已提交，该临时救助已办结。")
                return redirect("cases:aid_detail", pk=aid.pk)
    elif request.method == "POST":
        raise Http404
    return render(request, "cases/aid_detail.html", {"aid": aid, "form": form})


@login_required
def reserve_funds(request):
    require_page(request, Action.CASE_VIEW, Action.PAYMENT_VIEW)
    rows = ledger.township_totals(request.user)  # scope: issue #15 (village: own households; finance: totals)
    entries = ledger.entries(request.user)[:50]
    top_up = rule = None
    if can(request.user, Action.PAYMENT_PREPARE) and request.user.region.level == "county":
        top_up = TopUpForm(request.POST if request.POST.get("op") == "topup" else None, prefix="t",
                           county_code=request.user.region_id)
        if can(request.user, Action.SUPERVISION_CHANGE):
            rule = RuleForm(request.POST if request.POST.get("op") == "rule" else None, prefix="r")
        if request.method == "POST":
            try:
                if request.POST.get("op") == "topup" and top_up.is_valid():
                    temporary_aid.reserve_fund_top_up(actor=request.user, **top_up.cleaned_data)
                    messages.success(request, "已拨付备用金。")
                    return redirect("cases:reserve_funds")
                if request.POST.get("op") == "rule" and rule is not None and rule.is_valid():
                    temporary_aid.emergency_rule_switch(actor=request.user, county=request.user.region,
                                                        **rule.cleaned_data)
                    messages.success(request, "已启用急难发生地救助。")
                    return redirect("cases:reserve_funds")
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
    elif request.method == "POST":
        raise Http404
    county = request.user.region_id[:6]
    return render(request, "cases/reserve_funds.html", {
        "rows": rows, "entries": entries, "top_up": top_up, "rule": rule,
        "sees_entries": ledger.sees_entries(request.user), "sees_balances": ledger.sees_balances(request.user),
        "finance_refusal": ledger.FINANCE_REFUSAL,
        "rule_active": temporary_aid.emergency_rule_active(county, timezone.localdate()),
        "county": Region.objects.filter(code=county).first(),
    })

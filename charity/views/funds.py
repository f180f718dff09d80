"""Pages of the charity special fund: funds, donations, the ledger, the yearly statement, grants, referrals."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.households.models import Household
from charity import selectors
from charity.forms import (
    DecideForm,
    DonationForm,
    FundForm,
    GrantForm,
    PayForm,
    ReferralCloseForm,
    ReferralForm,
    StaffForm,
)
from charity.models import CharityFund, CharityGrant, Referral
from charity.scope import own_role
from charity.services import funds as fund_services
from charity.services import referrals as referral_services
from charity.views.common import bound, submit, user_named, year_of
from core import audit
from core.paging import paginate


@login_required
def fund_list(request):
    require_page(request, Action.CHARITY_VIEW)
    form = bound(request, "fund", FundForm) if can(request.user, Action.CHARITY_MANAGE) else None
    if form is not None:
        done = submit(request, form, lambda d: fund_services.fund_create(
            actor=request.user, county=request.user.region, **d), done="已设立专项基金",
            to=lambda f: f"/charity/funds/{f.pk}/")
        if done:
            return done
    rows = list(selectors.funds(user=request.user))
    return render(request, "charity/fund_list.html", {
        "rows": rows, "form": form if form is not None and not rows else None})


@login_required
def fund_detail(request, pk):
    fund = get_in_scope_or_404(CharityFund.objects.all(), request.user, Action.CHARITY_VIEW, pk=pk)
    user = request.user
    donation = bound(request, "donation", DonationForm) if can(user, Action.CHARITY_APPROVE) else None
    staff = bound(request, "staff", StaffForm) if can(user, Action.CHARITY_MANAGE) else None
    to = f"/charity/funds/{fund.pk}/"
    for form, call, done in (
        (donation, lambda d: fund_services.donation_record(actor=user, fund=fund, **d), "已登记捐赠"),
        (staff, lambda d: fund_services.fund_staff_add(actor=user, fund=fund, user=user_named(d["username"])),
         "已指定工作人员"),
    ):
        if form is not None and (resp := submit(request, form, call, done=done, to=to)):
            return resp
    fund.refresh_from_db()
    return render(request, "charity/fund_detail.html", {
        "fund": fund, "donation_form": donation, "staff_form": staff, "staff": list(fund.staff.all()),
        "entries": paginate(fund.entries.select_related("created_by", "grant"), request),
        "pending": list(selectors.grants(user=user, status=CharityGrant.Status.PROPOSED).filter(fund=fund)),
        "masked": own_role(user)})


@login_required
def fund_statement(request, pk):
    """The yearly statement, printable on A4 (the print stylesheet hides the menu and buttons)."""
    fund = get_in_scope_or_404(CharityFund.objects.all(), request.user, Action.CHARITY_VIEW, pk=pk)
    year = year_of(request)
    st = selectors.fund_statement(fund, year)
    audit.record_export(actor=request.user, what=f"{fund.name}{year}年度收支报告", filters={"year": year},
                        rows=len(st.donations) + len(st.grants), fmt="print", region=(fund.county_id, "", ""),
                        object_type="charity.charityfund", object_id=str(fund.pk))
    return render(request, "charity/fund_statement.html", {"st": st, "years": range(year - 3, year + 2)})


@login_required
def grant_list(request):
    require_page(request, Action.CHARITY_VIEW)
    status = request.GET.get("status", "")
    status = status if status in CharityGrant.Status.values else ""
    return render(request, "charity/grant_list.html", {
        "page": paginate(selectors.grants(user=request.user, status=status), request), "status": status,
        "statuses": [("", "全部"), *CharityGrant.Status.choices], "masked": own_role(request.user)})


@login_required
def grant_create(request):
    require_page(request, Action.CHARITY_PROPOSE)
    raw = request.GET.get("household") or request.POST.get("household") or 0
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CHARITY_PROPOSE, pk=raw)
    referral = None
    ref_pk = request.GET.get("referral") or request.POST.get("referral")
    if ref_pk:
        referral = get_in_scope_or_404(Referral.objects.all(), request.user, Action.CHARITY_PROPOSE, pk=ref_pk,
                                       household=household)
    initial = {"amount": referral.amount_asked, "detail": referral.need} if referral else {}
    form = GrantForm(request.POST or None, initial=initial)
    resp = submit(request, form, lambda d: fund_services.grant_propose(
        actor=request.user, household=household, referral=referral, **d),
        done="已提出慈善资助，待县级民政部门或慈善组织审批", to=lambda g: f"/charity/grants/{g.pk}/")
    return resp or render(request, "charity/grant_form.html", {"form": form, "household": household,
                                                               "referral": referral})


@login_required
def grant_detail(request, pk):
    user = request.user
    grant = get_in_scope_or_404(CharityGrant.objects.select_related("fund", "household", "proposed_by", "decided_by",
                                                                    "paid_by", "referral"),
                                user, Action.CHARITY_VIEW, pk=pk)
    may_act = can(user, Action.CHARITY_APPROVE)
    decide = bound(request, "decide", DecideForm) if may_act and grant.status == "proposed" else None
    pay = bound(request, "pay", PayForm) if may_act and grant.status == "approved" else None
    to = f"/charity/grants/{grant.pk}/"
    if decide is not None and (resp := submit(request, decide, lambda d: fund_services.grant_decide(
            actor=user, grant=grant, approve=d["decision"] == "approve", note=d["note"]),
            done="已审批", to=to)):
        return resp
    if pay is not None and (resp := submit(request, pay, lambda d: fund_services.grant_pay(
            actor=user, grant=grant, **d), done="已登记付款", to=to)):
        return resp
    return render(request, "charity/grant_detail.html", {
        "grant": grant, "decide_form": decide, "pay_form": pay, "masked": own_role(user),
        "own_proposal": grant.proposed_by_id == user.pk})


@login_required
def referral_list(request):
    require_page(request, Action.CHARITY_VIEW)
    status = request.GET.get("status", "")
    status = status if status in [*Referral.Status.values, "overdue"] else ""
    return render(request, "charity/referral_list.html", {
        "page": paginate(selectors.referrals(user=request.user, status=status), request), "status": status,
        "statuses": [("", "全部"), *Referral.Status.choices, ("overdue", "逾期未办结")],
        "masked": own_role(request.user)})


@login_required
def referral_create(request):
    require_page(request, Action.CHARITY_PROPOSE)
    raw = request.GET.get("household") or request.POST.get("household") or 0
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CHARITY_PROPOSE, pk=raw)
    form = ReferralForm(request.POST or None, initial={"source": request.GET.get("source", "")[:20]})
    resp = submit(request, form, lambda d: referral_services.referral_create(
        actor=request.user, household=household, **d), done="已转介", to=lambda r: f"/charity/referrals/{r.pk}/")
    return resp or render(request, "charity/referral_form.html", {"form": form, "household": household})


@login_required
def referral_detail(request, pk):
    user = request.user
    referral = get_in_scope_or_404(Referral.objects.select_related("household", "fund", "society", "created_by"),
                                   user, Action.CHARITY_VIEW, pk=pk)
    close = None
    if referral.status == Referral.Status.OPEN and (can(user, Action.CHARITY_PROPOSE) or can(
            user, Action.CHARITY_APPROVE) or can(user, Action.MUTUAL_AID_CHANGE)):
        close = bound(request, "close", ReferralCloseForm)
        if resp := submit(request, close, lambda d: referral_services.referral_close(
                actor=user, referral=referral, **d), done="已办结转介", to=f"/charity/referrals/{referral.pk}/"):
            return resp
    grant = CharityGrant.objects.filter(referral=referral).first()
    return render(request, "charity/referral_detail.html", {
        "referral": referral, "close_form": close, "grant": grant, "masked": own_role(user),
        "can_propose": (referral.status == "open" and referral.target == "fund" and grant is None
                        and can(user, Action.CHARITY_PROPOSE) and user.region_id == referral.township_id),
        "can_society_grant": (referral.status == "open" and referral.target == "society"
                              and can(user, Action.MUTUAL_AID_CHANGE))})

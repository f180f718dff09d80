"""Pages of the 救急难 mutual-aid societies and of pairing (结对帮扶)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.households.models import Household
from charity import selectors
from charity.forms import (
    ContactForm,
    ContributionForm,
    EndForm,
    HelperForm,
    MemberForm,
    PairingForm,
    SocietyForm,
    SocietyGrantForm,
)
from charity.models import MutualAidSociety, Pairing, Referral
from charity.scope import own_role
from charity.services import mutual_aid, pairing
from charity.views.common import bound, submit, user_named, year_of
from core import audit
from core.models import Region
from core.paging import paginate


def _region(code: str, level: str, field: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip(), level=level).first()
    if region is None:
        raise ValidationError({field: "区划代码不存在"})
    return region


@login_required
def society_list(request):
    require_page(request, Action.CHARITY_VIEW)
    user = request.user
    form = None
    if can(user, Action.MUTUAL_AID_CHANGE):
        form = bound(request, "society", SocietyForm, initial={"village": user.region_id
                                                               if user.region.level == "village" else ""})
        if resp := submit(request, form, lambda d: mutual_aid.society_create(
                actor=user, village=_region(d.pop("village"), "village", "village"), **d),
                done="已登记互助社", to=lambda s: f"/charity/societies/{s.pk}/"):
            return resp
    return render(request, "charity/society_list.html", {
        "page": paginate(selectors.societies(user=user), request), "form": form})


@login_required
def society_detail(request, pk):
    user = request.user
    society = get_in_scope_or_404(MutualAidSociety.objects.select_related("village", "township"), user,
                                  Action.CHARITY_VIEW, pk=pk)
    forms = {}
    if can(user, Action.MUTUAL_AID_CHANGE):
        forms = {"member": bound(request, "member", MemberForm), "contribution": bound(request, "contribution",
                                                                                        ContributionForm),
                 "grant": bound(request, "grant", SocietyGrantForm,
                                initial={"household": request.GET.get("household", "")[:12],
                                         "referral": request.GET.get("referral", "")[:12]})}
        to = f"/charity/societies/{society.pk}/"

        def grant(d):
            household = get_in_scope_or_404(Household.objects.all(), user, Action.MUTUAL_AID_CHANGE,
                                            pk=d.pop("household"))
            ref = d.pop("referral")
            referral = Referral.objects.filter(pk=ref, society=society).first() if ref else None
            if ref and referral is None:
                raise ValidationError({"referral": "没有转给本互助社的这条转介"})
            return mutual_aid.society_grant(actor=user, society=society, household=household, referral=referral, **d)

        for op, call, done in (
            ("member", lambda d: mutual_aid.member_add(actor=user, society=society, **d), "已添加成员"),
            ("contribution", lambda d: mutual_aid.contribution_record(actor=user, society=society, **d),
             "已登记捐助"),
            ("grant", grant, "已发放互助金"),
        ):
            if resp := submit(request, forms[op], call, done=done, to=to):
                return resp
        society.refresh_from_db()
    return render(request, "charity/society_detail.html", {
        "society": society, "forms": forms, "members": list(society.members.all()),
        "contributions": list(society.contributions.all()[:50]),
        "grants": list(society.grants.select_related("household")[:50]),
        "open_referrals": list(society.referrals.filter(status="open").select_related("household"))})


@login_required
def society_account(request, pk):
    """The public yearly account for the village notice board: masked names, no ID numbers, A4."""
    society = get_in_scope_or_404(MutualAidSociety.objects.select_related("village", "township", "county"),
                                  request.user, Action.CHARITY_VIEW, pk=pk)
    year = year_of(request)
    account = selectors.society_public_account(society, year)
    audit.record_export(actor=request.user, what=f"{society.name}{year}年度公开账目",
                        filters={"year": year}, rows=len(account.contributions) + len(account.grants), fmt="print",
                        region=(society.county_id, society.township_id, society.village_id),
                        object_type="charity.mutualaidsociety", object_id=str(society.pk))
    return render(request, "charity/society_account.html", {"a": account, "years": range(year - 3, year + 2)})


@login_required
def pairing_list(request):
    require_page(request, Action.PAIRING_VIEW)
    user = request.user
    helper_form = pairing_form = None
    if can(user, Action.PAIRING_CHANGE):
        helpers = selectors.helpers(user=user)
        helper_form = bound(request, "helper", HelperForm)
        pairing_form = bound(request, "pairing", PairingForm, helpers=helpers,
                             initial={"household": request.GET.get("household", "")[:12]})

        def helper(d):
            username = d.pop("username")
            return pairing.helper_create(actor=user, township=user.region,
                                         user=user_named(username) if username else None, **d)

        def pair(d):
            household = get_in_scope_or_404(Household.objects.all(), user, Action.PAIRING_CHANGE,
                                            pk=d.pop("household"))
            return pairing.pairing_create(actor=user, household=household, **d)

        for form, call, done in ((helper_form, helper, "已登记帮扶人"), (pairing_form, pair, "已建立结对")):
            if resp := submit(request, form, call, done=done, to="/charity/pairings/"):
                return resp
    return render(request, "charity/pairing_list.html", {
        "page": paginate(selectors.pairings(user=user), request), "masked": own_role(user),
        "helpers": list(selectors.helpers(user=user)[:100]), "helper_form": helper_form,
        "pairing_form": pairing_form})


@login_required
def pairing_detail(request, pk):
    user = request.user
    p = get_in_scope_or_404(Pairing.objects.select_related("helper", "household", "village"), user,
                            Action.PAIRING_VIEW, pk=pk)
    to = f"/charity/pairings/{p.pk}/"
    contact = bound(request, "contact", ContactForm) if can(user, Action.PAIRING_CONTACT) and not p.end else None
    end = bound(request, "end", EndForm) if can(user, Action.PAIRING_CHANGE) and not p.end else None
    if contact is not None and (resp := submit(request, contact, lambda d: pairing.contact_log(
            actor=user, pairing=p, **d), done="已登记联系记录", to=to)):
        return resp
    if end is not None and (resp := submit(request, end, lambda d: pairing.pairing_end(
            actor=user, pairing=p, **d), done="已结束结对", to=to)):
        return resp
    return render(request, "charity/pairing_detail.html", {
        "p": p, "contacts": list(selectors.contacts(user=user, pairing=p)), "contact_form": contact,
        "end_form": end, "masked": own_role(user)})


@login_required
def unpaired(request):
    """Households the policy wants paired (param charity.pairing_groups) without an active pairing: how many per
    township (one grouped statement), and the households of one township, a page at a time."""
    require_page(request, Action.PAIRING_CHANGE, Action.CHARITY_MANAGE)
    queryset = selectors.unpaired_households(user=request.user)
    townships = selectors.unpaired_per_township(queryset)
    chosen = None
    wanted = request.GET.get("township", "")
    if len(townships) == 1:
        chosen = townships[0]
    elif wanted:
        chosen = next((t for t in townships if str(t["township_id"]) == wanted), None)
    page = paginate(queryset.filter(township_id=chosen["township_id"]), request, size=100) if chosen else None
    return render(request, "charity/unpaired.html", {
        "townships": townships, "total": sum(t["n"] for t in townships), "chosen": chosen, "page": page,
        "policy": selectors.pairing_groups()})

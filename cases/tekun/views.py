"""Pages of 特困 support: profiles, assessments, care agreements, visits, institutions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.households.models import Household
from cases.standards.selectors import StandardMissing
from cases.tekun import eligibility as tekun_eligibility
from cases.tekun import selectors as tekun_selectors
from cases.tekun import services as tekun
from cases.tekun.forms import (
    AgreementForm,
    AssessmentForm,
    InstitutionForm,
    ObligorForm,
    PlacementForm,
    ProfileOpenForm,
    VisitForm,
    VisitorForm,
)
from cases.tekun.models import TekunProfile
from core.forms import apply_errors
from core.paging import paginate

FILTERS = [("", "全部"), ("no_agreement", "无有效照料协议"), ("agreement_ending", "协议30天内到期"),
           ("visit_overdue", "探访逾期"), ("reassess_due", "待年度评估"), ("institution", "宜集中供养")]


@login_required
def tekun_list(request):
    require_page(request, Action.CASE_VIEW)
    flt = request.GET.get("f", "")
    page = paginate(tekun_selectors.profiles(user=request.user, flt=flt), request)
    show_coverage = request.user.region.level in ("county", "city", "township")
    return render(request, "cases/tekun_list.html", {
        "page": page, "flt": flt, "filters": FILTERS, "today": timezone.localdate(),
        "coverage": tekun_selectors.coverage(user=request.user) if show_coverage else None,
        "can_open": can(request.user, Action.CASE_CHANGE),
    })


@login_required
def tekun_open(request):
    require_page(request, Action.CASE_CHANGE)
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_CHANGE,
                                    pk=request.GET.get("household") or request.POST.get("household") or 0)
    persons = household.members.filter(tekun__isnull=True)
    form = ProfileOpenForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            profile = tekun.profile_open(actor=request.user, **form.cleaned_data)
        except (ValidationError, StandardMissing) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, f"已为{profile}建立特困供养档案，请完成义务人核查和生活自理能力评估。")
            return redirect("cases:tekun_detail", pk=profile.pk)
    return render(request, "cases/tekun_open.html", {"form": form, "household": household})


@login_required
def tekun_detail(request, pk):
    profile = get_in_scope_or_404(
        TekunProfile.objects.select_related("person", "household", "institution", "village", "township", "visitor"),
        request.user, Action.CASE_VIEW, pk=pk)
    today = timezone.localdate()
    can_change = can(request.user, Action.CASE_CHANGE)
    try:
        elig = tekun_eligibility.eligibility(profile.person)
        basic, care = tekun_eligibility.support_amount(profile, today)
    except StandardMissing as exc:
        elig, basic, care = None, None, None
        messages.warning(request, str(exc))
    ctx = {
        "p": profile, "elig": elig, "basic": basic, "care": care, "total": (basic + care) if basic is not None else None,
        "today": today, "can_change": can_change, "can_place": can(request.user, Action.CASE_PROCESS),
        "encourage": tekun_eligibility.encourage_institution(profile, today),
        "agreements": list(profile.agreements.all()), "visits": list(profile.visits.select_related("visitor")[:20]),
        "assessments": list(profile.assessments.select_related("assessor")),
    }
    ctx["valid_agreement"] = next((a for a in ctx["agreements"] if a.valid_on(today)), None)
    if can_change:
        ctx.update(obligor_form=ObligorForm(prefix="ob"), assess_form=AssessmentForm(prefix="as",
                   initial={"assessed_on": today}), agreement_form=AgreementForm(prefix="ag"),
                   visit_form=VisitForm(prefix="vi", initial={"visited_on": today}),
                   visitor_form=VisitorForm(prefix="vr", village_code=profile.village_id))
    if ctx["can_place"]:
        ctx["placement_form"] = PlacementForm(prefix="pl", institutions=tekun_selectors.institutions(user=request.user))
    return render(request, "cases/tekun_detail.html", ctx)


@login_required
@require_POST
def tekun_action(request, pk, op):
    action = Action.CASE_PROCESS if op in ("place", "home") else Action.CASE_CHANGE
    profile = get_in_scope_or_404(TekunProfile.objects.select_related("person", "household"), request.user, action,
                                  pk=pk)
    forms = {"obligor": (ObligorForm, "ob"), "assess": (AssessmentForm, "as"), "agreement": (AgreementForm, "ag"),
             "visit": (VisitForm, "vi")}
    try:
        if op in forms:
            cls, prefix = forms[op]
            form = cls(request.POST, request.FILES, prefix=prefix)
            if not form.is_valid():
                raise ValidationError([f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(e)}"
                                       for f, e in form.errors.items()])
            data = form.cleaned_data
            if op == "obligor":
                tekun.obligor_add(actor=request.user, profile=profile, **data)
            elif op == "assess":
                tekun.self_care_assess(actor=request.user, profile=profile, assessed_on=data["assessed_on"],
                                       answers=form.answers(), note=data["note"])
            elif op == "agreement":
                tekun.care_agreement_sign(actor=request.user, profile=profile, **data)
            else:
                tekun.visit_log(actor=request.user, profile=profile, **data)
        elif op == "visitor":
            form = VisitorForm(request.POST, prefix="vr", village_code=profile.village_id)
            if not form.is_valid():
                raise ValidationError("请选择本村专干作为探访人")
            tekun.visitor_assign(actor=request.user, profile=profile, visitor=form.cleaned_data["visitor"])
        elif op == "place":
            form = PlacementForm(request.POST, prefix="pl", institutions=tekun_selectors.institutions(user=request.user))
            if not form.is_valid():
                raise ValidationError("请选择供养机构并说明安置原因")
            tekun.place_in_institution(actor=request.user, profile=profile, **form.cleaned_data)
        elif op == "home":
            tekun.return_home(actor=request.user, profile=profile, reason=request.POST.get("reason", "本人意愿"))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已保存。")
    return redirect("cases:tekun_detail", pk=profile.pk)


@login_required
def institution_list(request):
    require_page(request, Action.CASE_VIEW)
    form = None
    if can(request.user, Action.SUPERVISION_CHANGE):
        form = InstitutionForm(request.POST or None, county_code=request.user.region_id)
        if request.method == "POST" and form.is_valid():
            try:
                tekun.institution_create(actor=request.user, county=request.user.region, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记供养机构。")
                return redirect("cases:institution_list")
    elif request.method == "POST":
        raise Http404
    return render(request, "cases/institutions.html", {"rows": tekun_selectors.institutions(user=request.user), "form": form})

"""Pages for the township caseworker's daily work: to-do, applications, meetings, deadlines, re-checks, notices.

Views translate input and call cases.dibao.workflow; out of scope is 404 (selectors restrict everything).
"""
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.dibao import assessment as dibao_assessment
from cases.dibao import deadlines as dibao_deadlines
from cases.dibao import means_test, selectors, sole_decider, steps, workflow
from cases.dibao import meetings as dibao_meetings
from cases.dibao import notices as dibao_notices
from cases.dibao import rechecks as dibao_rechecks
from cases.dibao.forms import (
    REASON_LABELS,
    AcceptForm,
    DeliverForm,
    EndForm,
    InvestigationForm,
    MeetingForm,
    ReasonForm,
    RecheckForm,
    ResidenceLookupForm,
    ReviewForm,
)
from cases.dibao.models import Application, Meeting, Notice, Recheck
from cases.entitlements.models import Entitlement
from cases.households import selectors as household_selectors
from cases.households.models import Household
from core import audit, months, params
from core.forms import apply_errors
from core.paging import paginate


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@login_required
def todo(request):
    require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)
    data = selectors.todo_for(user=request.user)
    today = timezone.localdate()
    for _, rows in data["groups"].values():
        for app, dl in zip(rows, dibao_deadlines.deadline_infos(rows, today), strict=True):
            app.dl = dl
    return render(request, "cases/dibao/todo.html", {**data, "today": today})


@login_required
def application_list(request):
    require_page(request, Action.CASE_VIEW)
    g = request.GET
    qs = selectors.application_list(user=request.user, status=g.get("status", ""), kind=g.get("kind", ""),
                                    q=g.get("q", ""), deadline=g.get("deadline", ""))
    page = paginate(qs, request)
    today = timezone.localdate()
    for app, dl in zip(page.rows, dibao_deadlines.deadline_infos(page.rows, today), strict=True):
        app.dl = dl  # one read of the calendar for the page
    return render(request, "cases/dibao/application_list.html", {
        "page": page, "statuses": Application.Status.choices, "kinds": Application.Kind.choices,
        "can_accept": (can(request.user, Action.CASE_PROCESS) or can(request.user, Action.CASE_DECIDE))
        and request.user.region.level == "township",
        "f": {k: g.get(k, "") for k in ("status", "kind", "q", "deadline")},
    })


@login_required
def application_create(request, household_pk):
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=household_pk)
    require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)
    initial = {k: request.GET[k] for k in ("kind", "applicant") if request.GET.get(k)}
    form = AcceptForm(request.POST or None, household=household, initial=initial)
    form.fields.pop("via_residence")
    form.fields.pop("residence_permit")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app = workflow.application_accept(
                actor=request.user, household=household, reason=d["reason"], applicant=d["applicant"],
                single_person=d["single_person"], accepted_on=d["accepted_on"], kind=d.get("kind") or "dibao",
                subcategory=d.get("subcategory") or "", source=d.get("source") or "application",
                source_note=d.get("source_note") or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已受理 {app.number}，办结期限 {app.deadline:%Y年%m月%d日}。")
            return redirect("cases:application_detail", pk=app.pk)
    preview = None
    try:
        preview = means_test.assess(dibao_assessment.assessment_input(household, timezone.localdate()))
    except Exception:  # noqa: BLE001 - a missing standard only hides the preview
        preview = None
    kind = request.POST.get("kind") or initial.get("kind") or "dibao"
    kind_label = dict(form.fields["kind"].choices).get(kind, "救助申请")
    return render(request, "cases/dibao/application_form.html",
                  {"form": form, "household": household, "preview": preview,
                   "kind_label": kind_label if kind_label.endswith("认定") else f"{kind_label}申请"})


@login_required
def residence_apply(request):
    """居住地申请: the residence township finds the hukou household by ID number and accepts the application."""
    require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)
    lookup = ResidenceLookupForm(request.POST if "lookup" in request.POST else None)
    household = None
    form = None
    if request.method == "POST" and "lookup" in request.POST and lookup.is_valid():
        try:
            household = workflow.residence_household_lookup(actor=request.user, id_number=lookup.cleaned_data["id_number"])
        except ValidationError as exc:
            apply_errors(lookup, exc)
    elif request.method == "POST" and "household" in request.POST:
        household = Household.objects.filter(pk=request.POST.get("household")).first()
        app = None
        if household is None or request.session.get("residence_household") != household.pk:
            raise Http404("未找到")
        form = AcceptForm(request.POST, household=household)
        if form.is_valid():
            d = form.cleaned_data
            try:
                app = workflow.application_accept(
                    actor=request.user, household=household, reason=d["reason"], applicant=d["applicant"],
                    single_person=d["single_person"], via_residence=True, residence_permit=d["residence_permit"],
                    accepted_on=d["accepted_on"])
            except ValidationError as exc:
                apply_errors(form, exc)
        if app is not None:
            request.session.pop("residence_household", None)
            messages.success(request, f"已受理居住地申请 {app.number}，办结期限 {app.deadline:%Y年%m月%d日}。")
            return redirect("cases:application_detail", pk=app.pk)
    if household is not None:
        request.session["residence_household"] = household.pk
        form = form or AcceptForm(household=household, initial={"via_residence": True})
        form.fields["residence_permit"].required = True
        form.fields.pop("via_residence", None)
    return render(request, "cases/dibao/residence_apply.html", {"lookup": lookup, "household": household,
                                                                 "form": form})


@login_required
def application_detail(request, pk):
    app = selectors.application_detail(user=request.user, pk=pk)
    actions = workflow.available_actions(request.user, app)
    return render(request, "cases/dibao/application_detail.html", {
        "app": app, "dl": dibao_deadlines.deadline_info(app), "actions": [(a, workflow.ACTIONS[a].label) for a in actions],
        "action_names": actions,
        "events": app.events.select_related("actor").all(), "notices": app.notices.all(),
        "members": list(app.household.members.all()), "assessment": app.assessment,
        "held_categories": household_selectors.categories_of([app.household_id]).get(app.household_id, []),
        "can_process_elsewhere": app.handling_township_id != request.user.region_id and not actions,
        "registrar_message": sole_decider.registrar_message(app) if app.registered_by_id == request.user.pk else "",
        "steps": steps.indicator(app),
        "household_visible": Household.objects.restrict(request.user, Action.CASE_VIEW).filter(
            pk=app.household_id).exists(),
    })


ACTION_FORMS = {"record_investigation": InvestigationForm, "record_review": ReviewForm}


@login_required
def application_act(request, pk, action):
    if action not in workflow.ACTIONS or action == "meeting_decide":
        raise Http404("未找到")
    app = selectors.application_detail(user=request.user, pk=pk)
    if not (action in ("confirm", "refuse") and sole_decider.county_may_decide(request.user, app)):
        require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)  # readers and village staff never act
    spec = workflow.ACTIONS[action]
    available = action in workflow.available_actions(request.user, app)
    if action in ACTION_FORMS:
        kwargs = {"application": app} if action == "record_investigation" else {}
        initial = {"investigator_1": (request.user.full_name or "").split(" ")[-1]} if action == "record_investigation" else {}
        form = ACTION_FORMS[action](request.POST or None, initial=initial, **kwargs)
    else:
        label, required, help_text = REASON_LABELS.get(action, ("原因", spec.reason_required, ""))
        form = ReasonForm(request.POST or None, label=label, required=required, help_text=help_text)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        try:
            workflow.transition(actor=request.user, application=app, action=action, reason=reason, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{spec.label}：已完成。")
            return redirect("cases:application_detail", pk=app.pk)
    preview = None
    if action in ("record_investigation", "confirm"):
        preview = app.assessment if action == "confirm" else dibao_assessment.application_assess(app).to_json()
    return render(request, "cases/dibao/application_act.html", {
        "app": app, "form": form, "action": action, "spec": spec, "preview": preview, "available": available,
        "dl": dibao_deadlines.deadline_info(app)})


@login_required
def meeting_list(request):
    require_page(request, Action.CASE_VIEW)
    page = paginate(selectors.meeting_list(user=request.user), request)
    return render(request, "cases/dibao/meeting_list.html", {
        "page": page, "can_create": can(request.user, Action.CASE_PROCESS)})


@login_required
def meeting_create(request):
    require_page(request, Action.CASE_PROCESS)
    candidates = selectors.meeting_candidates(user=request.user)
    form = MeetingForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = dibao_meetings.meeting_record(
                actor=request.user, township=request.user.region, held_on=d["held_on"], chair=d["chair"],
                attendees=d["attendees"], place=d["place"], note=d["note"], decisions=form.decisions())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{meeting}，研究 {meeting.applications.count()} 件申请。")
            return redirect("cases:meeting_detail", pk=meeting.pk)
    for app, dl in zip(form.candidates, dibao_deadlines.deadline_infos(form.candidates), strict=True):
        app.dl = dl
    return render(request, "cases/dibao/meeting_form.html", {
        "form": form, "publicity_days": dibao_deadlines.kind_param("dibao", "publicity_days")})


@login_required
def meeting_detail(request, pk):
    meeting = get_in_scope_or_404(Meeting.objects.select_related("township", "created_by"), request.user,
                                  Action.CASE_VIEW, pk=pk)
    apps = meeting.applications.select_related("household", "village").order_by("id")
    return render(request, "cases/dibao/meeting_detail.html", {"meeting": meeting, "apps": apps})


@login_required
def deadlines(request):
    require_page(request, Action.CASE_VIEW)
    board = selectors.deadline_board(user=request.user)
    for app, dl in zip(board["rows"], dibao_deadlines.deadline_infos(board["rows"], board["today"]), strict=True):
        app.dl = dl
    board["show_counties"] = request.user.region.level == "city" or len(board["per_county"]) > 1
    return render(request, "cases/dibao/deadlines.html", board)


def _month_param(request):
    raw = request.GET.get("month", "")
    try:
        return dt.date.fromisoformat(raw + "-01") if raw else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def recheck_list(request):
    require_page(request, Action.CASE_VIEW)
    month = _month_param(request)
    page = paginate(selectors.recheck_list(user=request.user, month=month), request)
    phasing = selectors.entitlement_list(user=request.user, category="dibao", status="phasing_out")[:100]
    can_assign = can(request.user, Action.CASE_PROCESS) or can(request.user, Action.CASE_DECIDE)
    return render(request, "cases/dibao/recheck_list.html", {
        "page": page, "month": month, "prev": months.add_months(month, -1), "next": months.add_months(month, 1),
        "phasing": phasing, "can_work": can(request.user, Action.CASE_PROCESS), "can_assign": can_assign,
        "assignees": list(dibao_rechecks.caseworkers(request.user.region_id)) if can_assign else []})


BULK_ASSIGN_MAX = 500


@login_required
@require_POST
def recheck_assign_many(request):
    """分派 many re-checks at once (from the re-check list): each through rechecks.recheck_assign — the same
    checks and audit entry as one by one; rows out of reach are counted, never touched."""
    require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)
    month = _month_param(request)
    back = f"{reverse('cases:recheck_list')}?month={month:%Y-%m}"
    ticked = [int(i) for i in request.POST.getlist("ids") if str(i).isdecimal() and len(str(i)) < 12]
    ids = ticked[:BULK_ASSIGN_MAX]
    if len(ticked) > BULK_ASSIGN_MAX:
        messages.warning(request, f"一次最多分派 {BULK_ASSIGN_MAX} 户，本次只处理了前 {BULK_ASSIGN_MAX} 户，"
                                  f"其余 {len(ticked) - BULK_ASSIGN_MAX} 户请再次分派。")
    if not ids:
        messages.error(request, "请先勾选要分派的复核。")
        return redirect(back)
    raw = request.POST.get("assignee", "")
    assignee = (dibao_rechecks.caseworkers(request.user.region_id).filter(pk=int(raw)).first()
                if raw.isdecimal() and len(raw) < 12 else None)
    if assignee is None:
        messages.error(request, "请选择本乡镇（街道）的经办人。")
        return redirect(back)
    outcome = dibao_rechecks.recheck_assign_many(actor=request.user, ids=ids, assignee=assignee)
    for level, text in outcome.messages(assignee):
        getattr(messages, level)(request, text)
    return redirect(back)


@login_required
def recheck_do(request, pk):
    recheck = get_in_scope_or_404(Recheck.objects.select_related("entitlement", "household"), request.user,
                                  Action.CASE_VIEW, pk=pk)
    form = RecheckForm(request.POST or None, initial={"phase_out_months": params.get("dibao.phase_out_months")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            dibao_rechecks.recheck_complete(actor=request.user, recheck=recheck, outcome=d["outcome"], note=d["note"],
                                      new_amount=d["new_amount"], phase_out_months=d["phase_out_months"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"复核已办结：{Recheck.Outcome(d['outcome']).label}。")
            return redirect(f"{reverse('cases:recheck_list')}?month={recheck.month:%Y-%m}")
    try:
        fresh = means_test.assess(dibao_assessment.assessment_input(recheck.household, timezone.localdate()))
    except Exception:  # noqa: BLE001
        fresh = None
    return render(request, "cases/dibao/recheck_form.html", {
        "recheck": recheck, "ent": recheck.entitlement, "form": form, "fresh": fresh.to_json() if fresh else None,
        "members": list(recheck.household.members.all())})


@login_required
def entitlement_end(request, pk):
    ent = get_in_scope_or_404(Entitlement.objects.select_related("household"), request.user, Action.CASE_VIEW, pk=pk)
    require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = dibao_rechecks.entitlement_end(actor=request.user, entitlement=ent, reason=form.cleaned_data["reason"],
                                              effective_month=form.cleaned_data["effective_month"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已终止救助并生成终止通知书，请在送达期限内送达。")
            return redirect("cases:notice_detail", pk=notice.pk)
    return render(request, "cases/dibao/entitlement_end.html", {"ent": ent, "form": form})


@login_required
def notice_detail(request, pk):
    notice = get_in_scope_or_404(Notice.objects.select_related("household", "application", "entitlement", "county"),
                                 request.user, Action.CASE_VIEW, pk=pk)
    return render(request, "cases/dibao/notice.html", {
        "notice": notice, "deliver_form": DeliverForm(),
        "can_deliver": can(request.user, Action.CASE_PROCESS) or can(request.user, Action.CASE_DECIDE)})


MAX_PRINT = 200


@login_required
def notice_print_many(request):
    """Several notices on one printable page, one A4 page each (the township prints the day's pile at once)."""
    require_page(request, Action.CASE_VIEW)
    ids = [int(i) for i in request.GET.getlist("ids") if i.isdecimal()][:MAX_PRINT]
    notices = list(Notice.objects.restrict(request.user, Action.CASE_VIEW).filter(pk__in=ids)
                   .select_related("household", "application", "county").order_by("decided_on", "pk"))
    if notices:
        audit.record_export(actor=request.user, what=f"批量打印书面通知书 {len(notices)} 份", rows=len(notices),
                            fmt="print", filters={"ids": [n.pk for n in notices]})
    return render(request, "cases/dibao/notice_print_many.html", {"notices": notices})


@login_required
@require_POST
def notice_deliver(request, pk):
    notice = get_in_scope_or_404(Notice.objects.select_related("application"), request.user, Action.CASE_VIEW, pk=pk)
    require_page(request, Action.CASE_PROCESS, Action.CASE_DECIDE)
    form = DeliverForm(request.POST)
    if form.is_valid():
        try:
            dibao_notices.notice_mark_delivered(actor=request.user, notice=notice,
                                           delivered_on=form.cleaned_data["delivered_on"])
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "已登记送达。")
    else:
        messages.error(request, "请填写正确的送达日期。")
    return redirect("cases:notice_detail", pk=notice.pk)


@login_required
@require_POST
def drafts_accept(request):
    """受理 many village drafts at once (from 我的待办): each through the workflow, as if accepted one by one —
    the same checks, deadline and audit entry; drafts out of reach or no longer drafts are skipped and named."""
    require_page(request, Action.CASE_PROCESS)
    ids = [int(i) for i in request.POST.getlist("draft_ids") if str(i).isdecimal()][:200]
    if not ids:
        messages.error(request, "请先勾选要受理的村级代办申请。")
        return redirect("cases:todo")
    drafts = (Application.objects.restrict(request.user, Action.CASE_VIEW)
              .filter(pk__in=ids, status=Application.Status.DRAFT).order_by("id"))
    accepted, refused = [], []
    for app in drafts:
        try:
            workflow.transition(actor=request.user, application=app, action="accept_draft")
            accepted.append(app.number)
        except ValidationError as exc:
            refused.append(f"{app.number}：{'；'.join(exc.messages)}")
    skipped = len(ids) - len(accepted) - len(refused)
    if accepted:
        messages.success(request, f"已受理 {len(accepted)} 件村级代办申请：{'、'.join(accepted)}。办结时限自今日起算。")
    for line in refused:
        messages.error(request, f"未能受理 {line}")
    if skipped:
        messages.warning(request, f"{skipped} 件已不是待受理的代办申请（已被他人办理或不在您的辖区），未作处理。")
    return redirect("cases:todo")

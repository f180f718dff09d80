"""Pages of active discovery (§7). Views translate input and call discovery.services / screening; every read is
restricted to the user's region (out of reach is 404). The village pages work on a 360-px phone."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.scope import Action, can, get_in_scope_or_404, region_q, require_page
from attachments import checklist as attachment_checklist
from cases.dibao import intake
from cases.dibao.models import Application
from cases.households.models import Household
from core.forms import apply_errors
from core.models import Region
from core.months import add_months
from core.paging import paginate
from discovery import screening, selectors, services
from discovery.forms import CloseForm, GridForm, RecordForm, RefusalForm, ScreeningForm, VisitForm, WorkerChangeForm
from discovery.models import Grid, LedgerRecord


def _villages(user):
    return Region.objects.filter(region_q(user), level=Region.Level.VILLAGE).order_by("code")


def _workers(user, village_code: str):
    return User.objects.filter(is_active=True).filter(region_id__in=[village_code, village_code[:9]]).order_by(
        "username")


def _village_of(request) -> Region | None:
    """The village user's own village; others name one of their reach with ?village=<code>."""
    if request.user.region.level == Region.Level.VILLAGE:
        return request.user.region
    code = request.GET.get("village", "")
    if not code:
        return None
    return _villages(request.user).filter(code=code).first() or _not_found()


def _not_found():
    raise Http404("未找到")


@login_required
def board(request):
    """一张网: the village's grids, households per grid with overdue visits, households not yet assigned."""
    require_page(request, Action.CASE_VIEW)
    village = _village_of(request)
    if village is None:
        return render(request, "discovery/board_choose.html",
                      _villages_scored(request, timezone.localdate().replace(day=1)))
    data = selectors.village_board(user=request.user, village=village)
    manage = can(request.user, Action.DISCOVERY_LEDGER) and village.code.startswith(request.user.region_id)
    return render(request, "discovery/board.html", {
        **data, "can_manage": manage, "can_visit": can(request.user, Action.DISCOVERY_VISIT),
        "grid_form": GridForm(workers=_workers(request.user, village.code)) if manage else None})


@login_required
@require_POST
def grid_create(request):
    require_page(request, Action.DISCOVERY_LEDGER)
    village = _villages(request.user).filter(code=request.POST.get("village", "")).first() or _not_found()
    form = GridForm(request.POST, workers=_workers(request.user, village.code))
    if form.is_valid():
        d = form.cleaned_data
        try:
            grid = services.grid_create(actor=request.user, village=village, name=d["name"], worker=d["worker"],
                                        worker_name=d["worker_name"], worker_phone=d["worker_phone"], note=d["note"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已设立{grid.name}。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(f"{reverse('discovery:board')}?village={village.code}")


@login_required
def grid_detail(request, pk):
    grid = get_in_scope_or_404(Grid.objects.select_related("village", "worker"), request.user, Action.CASE_VIEW, pk=pk)
    manage = can(request.user, Action.DISCOVERY_LEDGER)
    form = WorkerChangeForm(request.POST or None, workers=_workers(request.user, grid.village_id))
    if request.method == "POST":
        require_page(request, Action.DISCOVERY_LEDGER)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.grid_change_worker(actor=request.user, grid=grid, worker=d["worker"],
                                            worker_name=d["worker_name"], worker_phone=d["worker_phone"],
                                            reason=d["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已调整网格员，原任职记录已保留。")
                return redirect("discovery:grid_detail", pk=grid.pk)
    members = grid.memberships.select_related("household").order_by("-ended_on", "household__head_name")
    return render(request, "discovery/grid_detail.html", {
        "grid": grid, "terms": grid.terms.select_related("changed_by").all(), "members": members[:500],
        "form": form if manage else None})


@login_required
@require_POST
def assign(request):
    require_page(request, Action.DISCOVERY_LEDGER)
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW,
                                    pk=request.POST.get("household") or 0)
    grid = get_in_scope_or_404(Grid.objects.all(), request.user, Action.CASE_VIEW, pk=request.POST.get("grid") or 0)
    try:
        services.household_assign(actor=request.user, household=household, grid=grid)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{household.head_name}户已划入{grid.name}。")
    return redirect(f"{reverse('discovery:board')}?village={household.village_id}")


@login_required
def visit_create(request):
    """巡查走访 from a phone: one household, one short form."""
    require_page(request, Action.DISCOVERY_VISIT)
    household = get_in_scope_or_404(Household.objects.select_related("village"), request.user, Action.CASE_VIEW,
                                    pk=request.GET.get("household") or request.POST.get("household") or 0)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = services.visit_record(actor=request.user, household=household, visited_on=d["visited_on"],
                                          seen=d["seen"], situations=d["situations"], note=d["note"],
                                          follow_up=d["follow_up"], photos=_photos(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            record = visit.records.first()
            if record is not None:
                messages.success(request, "走访已登记，发现的困难已记入工作台账。")
                return redirect("discovery:record_detail", pk=record.pk)
            messages.success(request, "走访已登记。")
            return redirect(f"{reverse('discovery:board')}?village={household.village_id}")
    recent = selectors.visit_list(user=request.user, household=household.pk)[:5]
    return render(request, "discovery/visit_form.html", {"form": form, "household": household, "recent": recent})


def _photos(request) -> list[tuple[str, bytes]]:
    """The uploaded photos, each read only up to the attachments size limit (+1 byte, so an oversized one is
    refused by the check instead of being read whole)."""
    files = request.FILES.getlist("photos")
    if len(files) > services.MAX_PHOTOS:
        raise ValidationError({"photos": f"每次走访最多上传{services.MAX_PHOTOS}张照片"})
    limit = attachment_checklist.max_size()
    return [(f.name or "照片", f.read(limit + 1)) for f in files]


@login_required
def visit_list(request):
    require_page(request, Action.CASE_VIEW)
    page = paginate(selectors.visit_list(user=request.user, village=request.GET.get("village", "")), request)
    return render(request, "discovery/visit_list.html", {"page": page})


@login_required
def ledger_list(request):
    require_page(request, Action.CASE_VIEW)
    g = request.GET
    qs = selectors.ledger_list(user=request.user, status=g.get("status", ""), source=g.get("source", ""),
                               village=g.get("village", ""), overdue=g.get("overdue") == "1", q=g.get("q", ""))
    return render(request, "discovery/ledger_list.html", {
        "page": paginate(qs, request), "statuses": LedgerRecord.Status.choices, "sources": LedgerRecord.Source.choices,
        "f": {k: g.get(k, "") for k in ("status", "source", "q", "overdue")}, "today": timezone.localdate(),
        "can_add": can(request.user, Action.DISCOVERY_LEDGER)})


@login_required
def record_create(request):
    require_page(request, Action.DISCOVERY_LEDGER)
    households = Household.objects.restrict(request.user, Action.CASE_VIEW).order_by("head_name")
    initial = {"household": request.GET.get("household")} if request.GET.get("household") else {}
    form = RecordForm(request.POST or None, households=households, villages=_villages(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = services.record_create(
                actor=request.user, source=d["source"], need=d["need"], household=d["household"],
                village=d["village"], subject_name=d["subject_name"], found_on=d["found_on"],
                assistance=d["assistance"], due_date=d["due_date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已记入工作台账。")
            return redirect("discovery:record_detail", pk=record.pk)
    return render(request, "discovery/record_form.html", {"form": form})


@login_required
def record_detail(request, pk):
    record = get_in_scope_or_404(
        LedgerRecord.objects.select_related("household", "village", "visit", "follow_up_by", "application",
                                            "closed_by"), request.user, Action.CASE_VIEW, pk=pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST":
        require_page(request, Action.DISCOVERY_LEDGER)
        if form.is_valid():
            try:
                services.record_close(actor=request.user, record=record, outcome=form.cleaned_data["outcome"],
                                      note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "台账记录已办结。")
                return redirect("discovery:record_detail", pk=record.pk)
    labels = {c.key: c.label for c in screening.CHECKS}
    return render(request, "discovery/record_detail.html", {
        "record": record, "form": form, "assistance": [labels.get(a, a) for a in record.assistance],
        "can_work": can(request.user, Action.DISCOVERY_LEDGER) and record.status == LedgerRecord.Status.OPEN,
        "screenings": record.screenings.all(), "today": timezone.localdate()})


@login_required
def screening_page(request, household_pk):
    """整件事: screen the household against every kind of help and open what it qualifies for."""
    household = get_in_scope_or_404(Household.objects.select_related("village"), request.user, Action.CASE_VIEW,
                                    pk=household_pk)
    require_page(request, Action.DISCOVERY_LEDGER)
    record = None
    if rid := (request.GET.get("record") or request.POST.get("record")):
        record = get_in_scope_or_404(LedgerRecord.objects.select_related("visit"), request.user, Action.CASE_VIEW,
                                     pk=rid)
    situations = record.visit.situations if record is not None and record.visit_id else []
    results = screening.screen(household, situations=situations)
    initial = {"reason": record.need if record else "", "chosen": [r.key for r in results
                                                                  if r.verdict == screening.QUALIFIES]}
    form = ScreeningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            s = screening.screening_open(actor=request.user, household=household, reason=form.cleaned_data["reason"],
                                         chosen=form.cleaned_data["chosen"], record=record)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = "、".join(o["number"] for o in s.opened)
            messages.success(request, (f"已开启申请 {done}。" if done else "") +
                             (f"已登记转介 {len(s.referrals)} 项。" if s.referrals else ""))
            if s.opened:
                return redirect("cases:application_detail", pk=s.opened[0]["application"])
            return redirect("discovery:record_detail", pk=record.pk) if record else redirect(
                "cases:household_detail", pk=household.pk)
    return render(request, "discovery/screening.html", {
        "household": household, "record": record, "results": results, "form": form,
        "drafting": request.user.region.level == Region.Level.VILLAGE})


def _month(request) -> dt.date:
    raw = request.GET.get("month", "")
    try:
        return dt.date.fromisoformat(raw + "-01") if raw else timezone.localdate().replace(day=1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def scorecard(request):
    """The village scorecard (五星 branch work): per village and month, every village of the reach side by side."""
    require_page(request, Action.CASE_VIEW)
    month = _month(request)
    return render(request, "discovery/scorecard.html", {
        **_villages_scored(request, month), "month": month, "prev": add_months(month, -1),
        "next": add_months(month, 1)})


def _villages_scored(request, month: dt.date) -> dict:
    """The scorecard's rows for the township chosen with ?township= (or the whole reach below the city).

    A city's 2,000 villages side by side are neither readable nor quick (3 s at city scale): the city chooses a
    township first; a county sees all its villages, or one township's; a township out of reach is ignored."""
    townships = list(Region.objects.filter(region_q(request.user), level=Region.Level.TOWNSHIP)
                     .select_related("parent").order_by("code"))
    wanted = request.GET.get("township", "")
    chosen = next((t for t in townships if t.code == wanted), None)
    must_choose = request.user.region.level == Region.Level.CITY and chosen is None and len(townships) > 1
    rows = [] if must_choose else selectors.scorecard(user=request.user, month=month,
                                                       township=chosen.code if chosen else "")
    return {"rows": rows, "townships": townships if len(townships) > 1 else [], "chosen": chosen,
            "must_choose": must_choose}


@login_required
def refusal_list(request):
    """不予受理 records: counted per township, each with its reason and printable notice."""
    require_page(request, Action.CASE_VIEW)
    qs = Application.objects.restrict(request.user, Action.CASE_VIEW).filter(
        status=Application.Status.NOT_ACCEPTED).select_related("household", "handling_township", "decided_by") \
        .prefetch_related("notices").order_by("-decided_on", "-id")
    return render(request, "discovery/refusal_list.html", {
        "page": paginate(qs, request), "counts": intake.refusal_counts(user=request.user)})


@login_required
def refusal_create(request, household_pk):
    """不予受理 at the township desk: a written reason, then the printable notice."""
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_VIEW, pk=household_pk)
    require_page(request, Action.CASE_PROCESS)
    form = RefusalForm(request.POST or None, kinds=Application.Kind.choices)
    if request.method == "POST" and form.is_valid():
        try:
            app = intake.intake_refuse(actor=request.user, household=household, reason=form.cleaned_data["reason"],
                                       kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已登记不予受理并生成通知书，请打印送达。")
            notice = app.notices.first()
            return redirect("cases:notice_detail", pk=notice.pk)
    return render(request, "discovery/refusal_form.html", {"household": household, "form": form})

"""Pages of supervision: the close-relative registry, complaints and the county's spot checks."""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from audit import selectors, services, spotchecks
from audit.forms import AssignForm, CloseForm, ComplaintForm, RelativeForm, StaffForm, StepForm, TransferForm
from audit.models import Complaint, SpotCheck, SpotCheckItem, StaffMember, StaffRelative
from cases.models import Household
from core.forms import apply_errors
from core.months import previous_month
from core.paging import paginate


@login_required
def relatives(request):
    require_page(request, Action.SUPERVISION_VIEW)
    q = request.GET.get("q", "").strip()
    page = paginate(selectors.staff_list(user=request.user, q=q), request)
    today = timezone.localdate()
    rows = [{"staff": s, "due": services.reverify_due_date(s)} for s in page.rows]
    for r in rows:
        r["overdue"] = r["staff"].active and r["due"] < today
    return render(request, "audit/relatives.html", {
        "page": page, "rows": rows, "q": q, "can_change": can(request.user, Action.SUPERVISION_CHANGE),
    })


@login_required
def relative_matches(request):
    require_page(request, Action.SUPERVISION_VIEW)
    return render(request, "audit/relative_matches.html", {"rows": selectors.relative_matches(user=request.user)})


@login_required
def staff_create(request):
    require_page(request, Action.SUPERVISION_CHANGE)
    form = StaffForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.staff_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已备案{staff.name}，请登记其近亲属。")
            return redirect("audit:staff_detail", pk=staff.pk)
    return render(request, "audit/staff_form.html", {"form": form})


@login_required
def staff_detail(request, pk):
    staff = selectors.staff_detail(user=request.user, pk=pk)
    can_change = can(request.user, Action.SUPERVISION_CHANGE)
    form = RelativeForm(request.POST or None) if can_change else None
    if request.method == "POST":
        require_page(request, Action.SUPERVISION_CHANGE)
        if form.is_valid():
            try:
                services.relative_add(actor=request.user, staff=staff, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已登记近亲属。")
                return redirect("audit:staff_detail", pk=staff.pk)
    return render(request, "audit/staff_detail.html", {
        "staff": staff, "form": form, "can_change": can_change, "due": services.reverify_due_date(staff),
        "overdue": staff.active and services.reverify_due_date(staff) < timezone.localdate(),
    })


@login_required
@require_POST
def staff_verify(request, pk):
    staff = get_in_scope_or_404(StaffMember.objects.all(), request.user, Action.SUPERVISION_CHANGE, pk=pk)
    services.staff_verify(actor=request.user, staff=staff, note=request.POST.get("note", ""))
    messages.success(request, "已记录本次核实。")
    return redirect("audit:staff_detail", pk=pk)


@login_required
@require_POST
def staff_deactivate(request, pk):
    staff = get_in_scope_or_404(StaffMember.objects.all(), request.user, Action.SUPERVISION_CHANGE, pk=pk)
    try:
        services.staff_deactivate(actor=request.user, staff=staff, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已注销该人员的备案。")
    return redirect("audit:staff_detail", pk=pk)


@login_required
@require_POST
def relative_remove(request, pk):
    rel = get_in_scope_or_404(StaffRelative.objects.all(), request.user, Action.SUPERVISION_CHANGE, pk=pk)
    try:
        services.relative_remove(actor=request.user, relative=rel, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("audit:staff_detail", pk=rel.staff_id)


@login_required
def complaints(request):
    require_page(request, Action.COMPLAINT_HANDLE, Action.SUPERVISION_VIEW)
    f = request.GET
    qs = selectors.complaint_list(user=request.user, status=f.get("status", ""), only_overdue=f.get("overdue") == "1",
                                  only_repeat=f.get("repeat") == "1")
    return render(request, "audit/complaints.html", {
        "page": paginate(qs, request), "f": f, "statuses": Complaint.Status.choices,
        "can_create": can(request.user, Action.COMPLAINT_HANDLE), "today": timezone.localdate(),
    })


@login_required
def complaint_create(request):
    require_page(request, Action.COMPLAINT_HANDLE)
    form = ComplaintForm(request.POST or None, user=request.user, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        household = None
        if data.pop("household_id"):
            household = Household.objects.restrict(request.user, Action.CASE_VIEW).filter(
                pk=form.cleaned_data["household_id"]).first()
            if household is None:
                form.add_error("household_id", "在您的管辖范围内没有这个家庭编号")
        if not form.errors:
            try:
                c = services.complaint_register(actor=request.user, household=household, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已登记 {c.number}，办理期限 {c.due_on:%Y-%m-%d}。"
                                 + ("该信访人/家庭12个月内曾有信访，已标记为重复信访。" if c.is_repeat else ""))
                return redirect("audit:complaint_detail", pk=c.pk)
    return render(request, "audit/complaint_form.html", {"form": form})


@login_required
def complaint_detail(request, pk):
    c = selectors.complaint_detail(user=request.user, pk=pk)
    can_handle = can(request.user, Action.COMPLAINT_HANDLE) and c.is_open
    can_assign = can(request.user, Action.SUPERVISION_CHANGE) and c.is_open
    forms = {}
    if can_handle:
        forms = {"step": StepForm(prefix="step"), "close": CloseForm(prefix="close"),
                 "transfer": TransferForm(prefix="transfer")}
    if can_assign:
        forms["assign"] = AssignForm(prefix="assign", county_code=c.county_id)
    if request.method == "POST":
        op = request.POST.get("op")
        require_page(request, Action.SUPERVISION_CHANGE if op == "assign" else Action.COMPLAINT_HANDLE)
        try:
            if op == "step":
                form = forms["step"] = StepForm(request.POST, prefix="step")
                if form.is_valid():
                    services.complaint_step(actor=request.user, complaint=c, **form.cleaned_data)
            elif op == "close":
                form = forms["close"] = CloseForm(request.POST, prefix="close")
                if form.is_valid():
                    services.complaint_close(actor=request.user, complaint=c, **form.cleaned_data)
            elif op == "transfer":
                form = forms["transfer"] = TransferForm(request.POST, prefix="transfer")
                if form.is_valid():
                    services.complaint_transfer(actor=request.user, complaint=c, **form.cleaned_data)
            elif op == "assign":
                form = forms["assign"] = AssignForm(request.POST, prefix="assign", county_code=c.county_id)
                if form.is_valid():
                    services.complaint_assign(actor=request.user, complaint=c, **form.cleaned_data)
            else:
                raise Http404
        except (ValidationError, KeyError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", ["该信访事项当前不能进行此操作"])))
        else:
            if form.is_valid():
                messages.success(request, "已保存。")
                return redirect("audit:complaint_detail", pk=c.pk)
    return render(request, "audit/complaint_detail.html", {"c": c, "forms": forms, "today": timezone.localdate()})


class OpenForm(forms.Form):
    month = forms.CharField(label="抽查月份", widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self):
        try:
            return dt.date.fromisoformat(self.cleaned_data["month"] + "-01")
        except ValueError:
            raise ValidationError("月份格式应为 YYYY-MM") from None


class FindingForm(forms.Form):
    finding = forms.ChoiceField(label="检查结论", choices=SpotCheckItem.Finding.choices[1:], widget=forms.RadioSelect)
    finding_reason = forms.CharField(label="问题及理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    home_visit = forms.CharField(label="县级入户核查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="乡镇答复（整改或重新调查情况）", widget=forms.Textarea(attrs={"rows": 3}))


@login_required
def spotcheck_list(request):
    require_page(request, Action.SPOTCHECK_REVIEW, Action.SUPERVISION_VIEW, Action.SPOTCHECK_ANSWER)
    if not can(request.user, Action.SPOTCHECK_REVIEW) and not can(request.user, Action.SUPERVISION_VIEW):
        return redirect("audit:spotcheck_answers")
    form = None
    if can(request.user, Action.SPOTCHECK_REVIEW):
        last_month = previous_month(timezone.localdate())
        form = OpenForm(request.POST or None, initial={"month": f"{last_month:%Y-%m}"})
        if request.method == "POST" and form.is_valid():
            try:
                sc = spotchecks.spotcheck_open(actor=request.user, county=request.user.region,
                                               month=form.cleaned_data["month"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已抽取{sc.items.count()}件（共{sc.population}件决定），随机种子{sc.seed}。")
                return redirect("audit:spotcheck_detail", pk=sc.pk)
    elif request.method == "POST":
        raise Http404
    return render(request, "audit/spotcheck_list.html", {
        "page": paginate(spotchecks.spotcheck_list(user=request.user), request), "form": form})


@login_required
def spotcheck_detail(request, pk):
    action = Action.SPOTCHECK_REVIEW if can(request.user, Action.SPOTCHECK_REVIEW) else Action.SUPERVISION_VIEW
    sc = get_in_scope_or_404(SpotCheck.objects.select_related("county", "created_by"), request.user, action, pk=pk)
    if request.method == "POST":
        require_page(request, Action.SPOTCHECK_REVIEW)
        try:
            if request.POST.get("op") == "verify":
                if spotchecks.redraw(sc):
                    messages.success(request, f"用随机种子{sc.seed}重新抽取，结果与保存的抽查名单完全一致。")
                else:
                    messages.error(request, "重新抽取的结果与保存的名单不一致（该月决定数据已变化），请核查。")
            else:
                spotchecks.spotcheck_close(actor=request.user, sc=sc, summary=request.POST.get("summary", ""))
                messages.success(request, "抽查已结束。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("audit:spotcheck_detail", pk=sc.pk)
    items = list(spotchecks.items_for(user=request.user, sc=sc))
    return render(request, "audit/spotcheck_detail.html", {
        "sc": sc, "items": items, "ratios": spotchecks.ratios(sc),
        "can_review": can(request.user, Action.SPOTCHECK_REVIEW) and sc.status == SpotCheck.Status.REVIEWING,
    })


@login_required
def spotcheck_item(request, pk):
    user = request.user
    if can(user, Action.SPOTCHECK_REVIEW):
        action = Action.SPOTCHECK_REVIEW
    elif can(user, Action.SPOTCHECK_ANSWER):
        action = Action.SPOTCHECK_ANSWER
    else:
        action = Action.SUPERVISION_VIEW
    item = get_in_scope_or_404(SpotCheckItem.objects.select_related(
        "spot_check", "application__household", "township", "reviewed_by", "answered_by"), user, action, pk=pk)
    open_ = item.spot_check.status == SpotCheck.Status.REVIEWING
    finding_form = answer_form = None
    if action == Action.SPOTCHECK_REVIEW and open_:
        finding_form = FindingForm(request.POST or None, initial={
            "finding": item.finding or None, "finding_reason": item.finding_reason, "home_visit": item.home_visit})
    if action == Action.SPOTCHECK_ANSWER and open_ and item.finding in ("wrong", "reinvestigate"):
        answer_form = AnswerForm(request.POST or None, initial={"answer": item.township_answer})
    if request.method == "POST":
        form = finding_form or answer_form
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if finding_form:
                    spotchecks.finding_record(actor=user, item=item, finding=form.cleaned_data["finding"],
                                              reason=form.cleaned_data["finding_reason"],
                                              home_visit=form.cleaned_data["home_visit"])
                else:
                    spotchecks.answer_record(actor=user, item=item, answer=form.cleaned_data["answer"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                nxt = (item.spot_check.items.filter(finding="").exclude(pk=item.pk).order_by("township_id", "id")
                       .first() if finding_form else None)
                if nxt is not None:
                    return redirect("audit:spotcheck_item", pk=nxt.pk)
                return redirect("audit:spotcheck_detail" if finding_form else "audit:spotcheck_answers",
                                **({"pk": item.spot_check_id} if finding_form else {}))
    return render(request, "audit/spotcheck_item.html", {"item": item, "app": item.application,
                                                         "finding_form": finding_form, "answer_form": answer_form})


@login_required
def spotcheck_answers(request):
    require_page(request, Action.SPOTCHECK_ANSWER)
    items = spotchecks.township_items(user=request.user).order_by("township_answer", "answer_due")
    return render(request, "audit/spotcheck_answers.html", {"items": items})

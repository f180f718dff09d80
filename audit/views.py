from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from audit import selectors, services
from audit.forms import AssignForm, CloseForm, ComplaintForm, RelativeForm, StaffForm, StepForm, TransferForm
from audit.models import Complaint, StaffMember, StaffRelative
from cases.models import Household
from core.forms import apply_errors
from core.paging import paginate

# --- 近亲属备案 ---

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


# --- 信访/投诉举报 ---

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

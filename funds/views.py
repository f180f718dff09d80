"""Pages of the payment cycle. Views translate input and call selectors/services; out of reach is 404."""
import datetime as dt
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.models import Household, Person
from core import params, workdays
from core.forms import apply_errors
from core.models import Region
from core.months import add_months, first_of_month
from core.paging import paginate
from funds import deadlines, one_off, pricing, selectors, services
from funds.models import ExportJob, PaymentBatch, PaymentLine

S = PaymentBatch.Status
FLOW = [S.DRAFT, S.FINALISED, S.FUNDS_REQUESTED, S.TRANSFERRED, S.SENT_TO_BANK, S.RESULT_IMPORTED, S.CLOSED]


def _month_choices(today: dt.date) -> list[dt.date]:
    first = first_of_month(today)
    return [add_months(first, 1), first, add_months(first, -1)]


def _parse_month(raw: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


def _flash(request, exc: ValidationError) -> None:
    """A service's refusal, shown as messages on the page the user is sent back to."""
    for m in exc.messages:
        messages.error(request, m)


class DraftForm(forms.Form):
    month = forms.TypedChoiceField(label="发放月份", coerce=lambda v: dt.datetime.strptime(v, "%Y-%m").date())

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.strftime("%Y-%m"), f"{m:%Y年%m月}") for m in _month_choices(today)]


@login_required
def batch_list(request):
    require_page(request, Action.PAYMENT_VIEW)
    today = timezone.localdate()
    month = _parse_month(request.GET.get("month", ""))
    status = request.GET.get("status", "")
    page = paginate(selectors.batch_list(user=request.user, month=month, status=status), request, size=30)
    can_prepare = can(request.user, Action.PAYMENT_PREPARE)
    if request.method == "POST" and not can_prepare:
        raise Http404("未找到")  # readers may list batches but not draft one
    form = DraftForm(today=today, initial={"month": first_of_month(today).strftime("%Y-%m")}) if can_prepare else None
    if can_prepare and request.method == "POST":
        form = DraftForm(request.POST, today=today)
        if form.is_valid():
            county = Region.objects.get(code=request.user.county_code)
            try:
                batch = services.batch_draft(actor=request.user, county=county, month=form.cleaned_data["month"])
            except ValidationError as exc:
                _flash(request, exc)
            else:
                messages.success(request, f"已生成{batch}：发放 {batch.line_count} 户，暂停/剔除 {batch.excluded_count} 户。")
                return redirect("funds:batch_detail", pk=batch.pk)
    due = deadlines.schedules(b.month for b in page.rows)  # one calendar read for the whole page
    rows = [{"batch": b, "states": deadlines.states(b, today, due[b.month])
             if b.kind != PaymentBatch.Kind.SUPPLEMENTARY else []} for b in page.rows]
    awaiting_aid = one_off.awaiting(request.user.county_code).count() \
        if can_prepare and request.user.region.level == "county" else 0
    return render(request, "funds/batch_list.html", {
        "page": page, "rows": rows, "form": form, "statuses": S.choices, "status": status,
        "month": request.GET.get("month", ""), "months": _month_choices(today),
        "steps": deadlines.STEPS, "awaiting_aid": awaiting_aid,
    })


@login_required
@require_POST
def one_off_create(request):
    """临时救助一次性发放批次: every confirmed 临时救助 of the county not yet paid, through the same cycle."""
    require_page(request, Action.PAYMENT_PREPARE)
    try:
        batch = one_off.one_off_draft(actor=request.user, county=Region.objects.get(code=request.user.county_code))
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("funds:batch_list")
    messages.success(request, f"已生成{batch}：发放 {batch.line_count} 笔，暂停/剔除 {batch.excluded_count} 笔。")
    return redirect("funds:batch_detail", pk=batch.pk)


def _stepper(batch):
    if batch.status == S.CANCELLED:
        return []
    idx = FLOW.index(batch.status)
    return [{"label": s.label, "state": "done" if i < idx else "current" if i == idx else "todo"}
            for i, s in enumerate(FLOW)]


@login_required
def batch_detail(request, pk):
    batch = selectors.batch_detail(user=request.user, pk=pk)
    view = request.GET.get("view", "included")
    q = request.GET.get("q", "").strip()
    page = paginate(selectors.batch_lines(user=request.user, batch=batch, view=view, q=q), request, size=50)
    today = timezone.localdate()
    due = deadlines.schedule(batch.month)
    return render(request, "funds/batch_detail.html", {
        "batch": batch, "page": page, "view": view, "q": q,
        "totals": selectors.category_totals(batch),
        "stepper": _stepper(batch),
        "states": deadlines.states(batch, today, due) if batch.kind == PaymentBatch.Kind.REGULAR else [],
        "calendar_warnings": workdays.warnings_for(*due.values()),
        "next_steps": services.next_steps(batch, request.user),
        "can_prepare": can(request.user, Action.PAYMENT_PREPARE),
        "can_export": batch.status not in (S.DRAFT, S.CANCELLED)
        and (can(request.user, Action.PAYMENT_PREPARE) or can(request.user, Action.PAYMENT_APPROVE)),
        "jobs": selectors.export_jobs(user=request.user, batch=batch),
        "supplements": batch.supplements.all(),
        "failed_count": batch.lines.filter(bank_status=PaymentLine.BankStatus.FAILED).count()
        if batch.status in (S.RESULT_IMPORTED, S.CLOSED) else 0,
        "bank_errors": request.session.pop(f"bank_errors_{batch.pk}", None),
        "bank_jobs": selectors.bank_result_jobs(user=request.user, batch=batch),
        "is_finance": can(request.user, Action.PAYMENT_APPROVE),
    })


@login_required
@require_POST
def batch_transition(request, pk):
    batch = selectors.batch_detail(user=request.user, pk=pk)
    to = request.POST.get("to", "")
    try:
        batch = services.batch_transition(actor=request.user, batch=batch, to=to,
                                          reference=request.POST.get("reference", ""),
                                          note=request.POST.get("note", ""))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"{batch}：{batch.get_status_display()}。")
    return redirect("funds:batch_detail", pk=pk)


@login_required
@require_POST
def batch_regenerate(request, pk):
    batch = selectors.batch_detail(user=request.user, pk=pk)
    try:
        batch = services.batch_regenerate(actor=request.user, batch=batch)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已重新生成：发放 {batch.line_count} 户，暂停/剔除 {batch.excluded_count} 户。")
    return redirect("funds:batch_detail", pk=pk)


@login_required
@require_POST
def batch_supplement(request, pk):
    batch = selectors.batch_detail(user=request.user, pk=pk)
    try:
        supplement = services.batch_supplement(actor=request.user, batch=batch)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("funds:batch_detail", pk=pk)
    messages.success(request, f"已生成{supplement}，共 {supplement.line_count} 户。")
    return redirect("funds:batch_detail", pk=supplement.pk)


@login_required
def batch_request(request, pk):
    """The funds request to finance: totals by category and township, printable on A4."""
    batch = selectors.batch_detail(user=request.user, pk=pk)
    return render(request, "funds/funds_request.html", {
        "batch": batch, "req": selectors.funds_request(batch), "due": deadlines.schedule(batch.month),
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def export_start(request, pk):
    batch = selectors.batch_detail(user=request.user, pk=pk)
    try:
        job = services.export_request(actor=request.user, batch=batch)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("funds:batch_detail", pk=pk)
    return redirect("funds:export_status", pk=job.pk)


@login_required
def export_status(request, pk):
    job = selectors.export_job(user=request.user, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": job.status, "progress": job.progress, "rows": job.rows, "error": job.error})
    return render(request, "funds/export_status.html", {"job": job, "batch": job.batch})


@login_required
@require_POST
def export_retry(request, pk):
    job = selectors.export_job(user=request.user, pk=pk)
    try:
        services.export_retry(actor=request.user, job=job)
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("funds:export_status", pk=pk)


@login_required
def export_download(request, pk):
    job = selectors.export_job(user=request.user, pk=pk)
    require_page(request, Action.PAYMENT_PREPARE, Action.PAYMENT_APPROVE)
    if job.status != ExportJob.Status.SUCCEEDED or not job.file_path or not Path(job.file_path).exists():
        raise Http404("文件尚未生成")
    services.export_downloaded(actor=request.user, batch=job.batch, rows=job.rows, job=job)
    name = f"一卡通发放明细-{job.batch.county.name}-{job.batch.month:%Y年%m月}-{job.batch.sequence:02d}.xlsx"
    return FileResponse(open(job.file_path, "rb"), as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class PayeeForm(forms.Form):
    person = forms.ModelChoiceField(label="领取人", queryset=Person.objects.none(), empty_label=None)
    card_number = forms.CharField(label="社保卡号/银行账号", max_length=30,
                                  help_text="12至19位数字，可带空格", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    bank_name = forms.CharField(label="开户银行", max_length=60)
    reason = forms.CharField(label="更正原因", max_length=200, required=False)


@login_required
def payee_edit(request, household_id):
    """Register or correct a household's card (county officer), e.g. for a missing card or a failed payment."""
    require_page(request, Action.PAYMENT_PREPARE)
    household = get_in_scope_or_404(Household.objects.select_related("village"), request.user,
                                     Action.PAYMENT_PREPARE, pk=household_id)
    current = selectors.payee_current(user=request.user, household_id=household.pk)
    form = PayeeForm(request.POST or None, initial={"bank_name": current.bank_name if current else ""})
    form.fields["person"].queryset = household.members.order_by("id")
    if request.method == "POST" and form.is_valid():
        try:
            services.payee_set(actor=request.user, household=household, person=form.cleaned_data["person"],
                               card_number=form.cleaned_data["card_number"], bank_name=form.cleaned_data["bank_name"],
                               reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{household}的发放账户已保存。")
            back = request.GET.get("next", "")
            return redirect(back if back.startswith("/funds/") else "funds:batch_list")
    return render(request, "funds/payee_form.html", {"form": form, "household": household, "current": current})


@login_required
def deadline_report(request):
    require_page(request, Action.PAYMENT_VIEW)
    today = timezone.localdate()
    month = _parse_month(request.GET.get("month", "")) or first_of_month(today)
    report = selectors.deadline_report(user=request.user, month=month)
    months = [add_months(first_of_month(today), 1 - i) for i in range(13)]  # next month, this month, 11 before
    return render(request, "funds/deadline_report.html", {
        "report": report, "month": month, "months": months,
        "calendar_warnings": workdays.warnings_for(*report["due"].values()),
    })


class PriceIndexForm(forms.Form):
    month = forms.DateField(label="月份", widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    cpi_yoy = forms.DecimalField(label="CPI 同比涨幅（%）", max_digits=5, decimal_places=2)
    food_cpi_yoy = forms.DecimalField(label="食品 CPI 同比涨幅（%）", max_digits=5, decimal_places=2)


@login_required
def price_index(request):
    require_page(request, Action.PAYMENT_VIEW, Action.PRICE_INDEX_CHANGE)
    can_change = can(request.user, Action.PRICE_INDEX_CHANGE)
    if request.method == "POST" and not can_change:
        raise Http404("未找到")  # payment roles read the indices; only the city enters them
    form = PriceIndexForm(request.POST or None) if can_change else None
    if can_change and request.method == "POST" and form.is_valid():
        try:
            services.price_index_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, "价格指数已保存。")
            return redirect("funds:price_index")
    today = timezone.localdate()
    rows = []
    for idx in selectors.price_indices()[:24]:
        rate = pricing.triggering_rate(idx.cpi_yoy, idx.food_cpi_yoy, idx.month)
        rows.append({"index": idx, "rate": rate})
    return render(request, "funds/price_index.html", {
        "form": form, "rows": rows, "current_rate": pricing.rate_for(first_of_month(today)),
        "cpi_trigger": params.get("price.cpi_trigger"), "food_trigger": params.get("price.food_cpi_trigger"),
        "floor": params.get("price.subsidy_floor"),
    })


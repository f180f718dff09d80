import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from audit import spotchecks
from audit.models import SpotCheck, SpotCheckItem
from core.forms import apply_errors
from core.months import previous_month
from core.paging import paginate


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

"""Pages of the household registry: list, file, members, income, property and expenses; audited reveals."""
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.households import listing, panels, selectors, services
from cases.households.forms import ITEM_FORMS, HouseholdForm, PersonForm, RevealForm
from cases.households.models import Household, Person
from core import idnumbers
from core.forms import apply_errors
from core.paging import paginate


def _looks_like_id_number(q: str) -> bool:
    """Anything that may be (part of) a resident ID number: 15 or more digits/X after removing spaces."""
    compact = re.sub(r"[\s-]+", "", q or "")
    return bool(re.search(r"\d{14}[\dXx]", compact))


@login_required
def household_list(request):
    """The search box posts (an ID number typed there must never land in a URL, browser history or the
    server's access log). An ID number is looked up through the blind index and answered in the POST
    response; a name is redirected to a bookmarkable GET ?q=."""
    require_page(request, Action.CASE_VIEW)
    hukou_type = (request.POST if request.method == "POST" else request.GET).get("hukou_type", "")
    if request.method == "POST":
        q = request.POST.get("q", "").strip()
        if not _looks_like_id_number(q):
            return redirect(f"{reverse('cases:household_list')}?{urlencode({'q': q, 'hukou_type': hukou_type})}")
        shown_q = idnumbers.mask(re.sub(r"[\s-]+", "", q).upper())
    else:
        q = request.GET.get("q", "")
        shown_q = q
        if _looks_like_id_number(q):
            messages.error(request, "身份证号码不能放在网址中查询。请在上方搜索框中输入后点击“查询”（加密查询，不留痕于网址）。")
            q = shown_q = ""
    # Plain rows of the columns the list shows: no model instances, no ciphertext or notes decoded, and
    # region names from the in-process table instead of two joins (measured in bench/README.md).
    page = paginate(lambda offset, limit: selectors.household_rows(
        user=request.user, q=q, hukou_type=hukou_type, offset=offset, limit=limit), request)
    # one reverse() instead of fifty: each row links to prefix + pk + "/"
    page.rows = selectors.list_rows(page.rows, detail_prefix=reverse("cases:household_detail", args=[0])[:-2])
    response = render(request, "cases/household_list.html", {
        "page": page, "rows_html": listing.rows_html(page.rows),
        "q": "" if request.method == "POST" else q, "shown_q": shown_q,
        "searched_by_id": request.method == "POST",
        "can_create": can(request.user, Action.CASE_CHANGE),
        "hukou_types": Household.HukouType.choices, "hukou_type": hukou_type,
    })
    if request.method == "POST":
        response["Cache-Control"] = "no-store"
    return response


def _masked_query(q: str) -> str:
    """A full ID number typed into the search box is echoed back masked."""
    value = idnumbers.normalize_for_lookup(q) if q else None
    return idnumbers.mask(value) if value else q


@login_required
def household_detail(request, pk):
    household = selectors.household_detail(user=request.user, pk=pk)
    return render(request, "cases/household_detail.html", _detail_context(request, household))


def _detail_context(request, household, **extra):
    can_change = can(request.user, Action.CASE_CHANGE)
    members = list(household.members.all())
    services.household_viewed(actor=request.user, household=household, members=members)
    ctx = {
        "household": household,
        "members": members,
        "can_change": can_change,
        "can_reveal": can(request.user, Action.CASE_VIEW_PII),
        # 主动发现 (§7): visit, one screening intake, and the township's written refusal to accept
        "can_visit": can(request.user, Action.DISCOVERY_VISIT),
        "can_screen": can(request.user, Action.DISCOVERY_LEDGER),
        "can_refuse_intake": can(request.user, Action.CASE_PROCESS),
        "reveal_form": RevealForm(),
        "can_apply": (can(request.user, Action.CASE_PROCESS) or can(request.user, Action.CASE_DECIDE))
        and request.user.region.level == "township",
        "open_application": household.applications.open().first(),
        "has_open_dibao": any(e.category == "dibao" and e.status != "ended" for e in household.entitlements.all()),
        "is_edge": any(e.category == "dibao_edge" and e.status != "ended" for e in household.entitlements.all()),
        "held_categories": selectors.categories_of([household.pk]).get(household.pk, []),
        "item_forms": {k: f(household=household, prefix=k) for k, f in ITEM_FORMS.items()} if can_change else {},
        "can_decide": can(request.user, Action.CASE_DECIDE),
        "tekun_profiles": list(household.tekun_profiles.select_related("person")),
        "temporary_aids": list(household.temporary_aids.all()[:10]),
        "panels": panels.panels_for(request, household),
    }
    ctx.update(extra)
    return ctx


def _member_data(cleaned) -> services.MemberData:
    return services.MemberData(**{k: cleaned.get(k) for k in services.MemberData.__dataclass_fields__})


@login_required
def household_create(request):
    require_page(request, Action.CASE_CHANGE)
    # ?village=<code> presets the village (a clue about someone not yet registered links here); the
    # dropdown only offers villages in the user's scope, so anything else is simply not preselected
    form = HouseholdForm(request.POST or None, user=request.user,
                         initial={"village": request.GET.get("village", "")[:12]})
    head = PersonForm(request.POST or None, prefix="head", initial={"relationship": Person.Relationship.HEAD})
    if request.method == "POST" and form.is_valid() and head.is_valid():
        data = _member_data(head.cleaned_data)
        data.relationship = Person.Relationship.HEAD
        try:
            household = services.household_create(
                actor=request.user, members=[data], **{k: form.cleaned_data[k] for k in
                                                       ("village", "address", "hukou_type", "phone", "note")},
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "id_number" in exc.error_dict:
                apply_errors(head, exc)
            else:
                apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{household}，请继续添加家庭成员和收入财产。")
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/household_form.html", {"form": form, "head": head, "creating": True})


@login_required
def household_edit(request, pk):
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_CHANGE, pk=pk)
    initial = {"village": household.village_id, "address": household.address, "hukou_type": household.hukou_type,
               "note": household.note}
    form = HouseholdForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in ("address", "hukou_type", "note")}
        if form.cleaned_data["village"].pk != household.village_id:
            changes["village"] = form.cleaned_data["village"]
        if form.cleaned_data["phone"]:
            changes["phone"] = form.cleaned_data["phone"]
        try:
            services.household_update(actor=request.user, household=household, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "家庭信息已保存。")
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/household_form.html", {"form": form, "household": household})


@login_required
def person_add(request, pk):
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_CHANGE, pk=pk)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_add(actor=request.user, household=household,
                                         data=_member_data(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已添加成员{person.name}。")
            return redirect("cases:household_detail", pk=household.pk)
    return render(request, "cases/person_form.html", {"form": form, "household": household})


@login_required
def person_edit(request, pk):
    person = get_in_scope_or_404(Person.objects.select_related("household"), request.user, Action.CASE_CHANGE,
                                 pk=pk)
    if request.method == "GET":
        services.household_viewed(actor=request.user, household=person.household, members=[person])
    fields = services.PERSON_FIELDS
    form = PersonForm(request.POST or None, editing=True, initial={f: getattr(person, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in fields}
        if form.cleaned_data["id_number"]:
            changes["id_number"] = form.cleaned_data["id_number"]
        try:
            services.person_update(actor=request.user, person=person, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存{person.name}的信息。")
            return redirect("cases:household_detail", pk=person.household_id)
    return render(request, "cases/person_form.html", {"form": form, "household": person.household,
                                                      "person": person})


@login_required
@require_POST
def person_remove(request, pk):
    person = get_in_scope_or_404(Person.objects.all(), request.user, Action.CASE_CHANGE, pk=pk)
    try:
        services.person_remove(actor=request.user, person=person, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除成员{person.name}。")
    return redirect("cases:household_detail", pk=person.household_id)


@login_required
@require_POST
def person_reveal(request, pk):
    """Show one full ID number after the user states why; audited. The number never enters a URL."""
    person = get_in_scope_or_404(Person.objects.all(), request.user, Action.CASE_VIEW_PII, pk=pk)
    household = selectors.household_detail(user=request.user, pk=person.household_id)
    form = RevealForm(request.POST)
    revealed = {}
    if form.is_valid():
        try:
            revealed[person.pk] = services.person_reveal_id(actor=request.user, person=person,
                                                            reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写查看完整身份证号码的用途。")
    response = render(request, "cases/household_detail.html",
                      _detail_context(request, household, revealed=revealed))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def household_reveal_phone(request, pk):
    """Show the full phone number after the user states why; audited with the field name."""
    household = selectors.household_detail(user=request.user, pk=pk)
    if not can(request.user, Action.CASE_VIEW_PII):
        raise Http404("未找到")
    form = RevealForm(request.POST)
    phone = ""
    if form.is_valid():
        try:
            phone = services.household_reveal_phone(actor=request.user, household=household,
                                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "请填写查看完整电话号码的用途。")
    response = render(request, "cases/household_detail.html",
                      _detail_context(request, household, revealed_phone=phone))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def item_add(request, pk, kind):
    if kind not in ITEM_FORMS:
        raise Http404
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_CHANGE, pk=pk)
    form = ITEM_FORMS[kind](request.POST, household=household, prefix=kind)
    if form.is_valid():
        try:
            services.item_add(actor=request.user, household=household, item_type=kind, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已添加。")
            return redirect(f"{household_url(household)}#{kind}")
    # the page again, the form open with what was typed and the errors beside the fields
    context = _detail_context(request, household)
    context["item_forms"][kind] = form
    return render(request, "cases/household_detail.html", context, status=400)


@login_required
def item_edit(request, pk, kind, item_id):
    if kind not in ITEM_FORMS:
        raise Http404
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_CHANGE, pk=pk)
    item = services.ITEM_MODELS[kind].objects.filter(household=household, pk=item_id).first()
    if item is None:
        raise Http404("未找到")
    form = ITEM_FORMS[kind](request.POST or None, household=household, instance=item, prefix=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, household=household, item_type=kind, item_id=item.pk,
                                 **{name: form.cleaned_data[name] for name in form.fields})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect(f"{household_url(household)}#{kind}")
    return render(request, "cases/item_edit.html", {"household": household, "form": form, "kind": kind,
                                                    "item": item, "label": item._meta.verbose_name},
                  status=400 if request.method == "POST" else 200)


def household_url(household):

    return reverse("cases:household_detail", args=[household.pk])


@login_required
@require_POST
def item_remove(request, pk, kind, item_id):
    if kind not in ITEM_FORMS:
        raise Http404
    household = get_in_scope_or_404(Household.objects.all(), request.user, Action.CASE_CHANGE, pk=pk)
    try:
        services.item_remove(actor=request.user, household=household, item_type=kind, item_id=item_id,
                             reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已删除。")
    return redirect(f"{household_url(household)}#{kind}")

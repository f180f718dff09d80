"""Pages of purchased services: providers and contracts (county), orders and records, coverage gaps."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.scope import Action, can, get_in_scope_or_404, require_page
from cases.households.models import Person
from charity import selectors
from charity.forms import ContractForm, EndForm, OrderForm, ProviderForm, ProviderStaffForm, RecordForm
from charity.models import ServiceContract, ServiceOrder
from charity.scope import own_role
from charity.services import purchased
from charity.views.common import bound, submit, user_named
from core.paging import paginate


@login_required
def contract_list(request):
    require_page(request, Action.SERVICE_VIEW)
    user = request.user
    provider_form = contract_form = staff_form = None
    if can(user, Action.SERVICE_MANAGE):
        providers = selectors.providers(user=user)
        provider_form = bound(request, "provider", ProviderForm)
        contract_form = bound(request, "contract", ContractForm, providers=providers)
        staff_form = bound(request, "staff", ProviderStaffForm, providers=providers)

        def contract(d):
            return purchased.contract_create(actor=user, provider=d["provider"], number=d["number"], start=d["start"],
                                             end=d["end"], budget=d["budget"], prices=contract_form.prices())

        for form, call, done in (
            (provider_form, lambda d: purchased.provider_create(actor=user, county=user.region, **d), "已登记服务机构"),
            (contract_form, contract, "已登记合同"),
            (staff_form, lambda d: purchased.provider_staff_add(actor=user, provider=d["provider"],
                                                                user=user_named(d["username"])), "已关联工作人员账号"),
        ):
            if resp := submit(request, form, call, done=done, to="/charity/services/contracts/"):
                return resp
    rows = list(selectors.contracts(user=user))
    for c in rows:
        c.state = selectors.budget_state(c)
    return render(request, "charity/contract_list.html", {
        "contracts": rows, "providers": list(selectors.providers(user=user)), "provider_form": provider_form,
        "contract_form": contract_form, "staff_form": staff_form})


@login_required
def contract_detail(request, pk):
    contract = get_in_scope_or_404(ServiceContract.objects.select_related("provider"), request.user,
                                   Action.SERVICE_VIEW, pk=pk)
    contract.state = selectors.budget_state(contract)
    return render(request, "charity/contract_detail.html", {
        "c": contract, "prices": list(contract.prices.all()), "masked": own_role(request.user),
        "orders": list(selectors.orders(user=request.user).filter(contract=contract)[:200])})


@login_required
def order_list(request):
    require_page(request, Action.SERVICE_VIEW)
    user = request.user
    form = None
    if can(user, Action.SERVICE_ORDER):
        contracts = ServiceContract.objects.in_force().filter(county_id=user.region_id[:6]).select_related(
            "provider")
        form = bound(request, "order", OrderForm, contracts=contracts,
                     initial={"person": request.GET.get("person", "")[:12]})

        def order(d):
            person = get_in_scope_or_404(Person.objects.select_related("household"), user, Action.CASE_VIEW,
                                         pk=d.pop("person"))
            return purchased.order_create(actor=user, person=person, **d)

        if resp := submit(request, form, order, done="已下达服务工单", to=lambda o: f"/charity/services/orders/{o.pk}/"):
            return resp
    return render(request, "charity/order_list.html", {
        "page": paginate(selectors.orders(user=user), request), "form": form, "masked": own_role(user)})


@login_required
def order_detail(request, pk):
    user = request.user
    order = get_in_scope_or_404(ServiceOrder.objects.select_related("contract__provider", "person", "household",
                                                                    "village"), user, Action.SERVICE_VIEW, pk=pk)
    to = f"/charity/services/orders/{order.pk}/"
    active = order.status == ServiceOrder.Status.ACTIVE
    record = bound(request, "record", RecordForm) if can(user, Action.SERVICE_RECORD) and active else None
    end = bound(request, "end", EndForm) if can(user, Action.SERVICE_ORDER) and active else None
    if record is not None and (resp := submit(request, record, lambda d: purchased.record_add(
            actor=user, order=order, **d), done="已登记服务记录", to=to)):
        return resp
    if end is not None and (resp := submit(request, end, lambda d: purchased.order_end(
            actor=user, order=order, **d), done="已结束工单", to=to)):
        return resp
    order.contract.refresh_from_db(fields=["spent"])
    order.contract.state = selectors.budget_state(order.contract)
    return render(request, "charity/order_detail.html", {
        "o": order, "records": list(order.records.select_related("recorded_by")), "record_form": record,
        "end_form": end, "masked": own_role(user)})


@login_required
def coverage(request):
    """Coverage gaps: dispersed 特困 persons with 失能/半失能 care (param) and no active order, per township."""
    require_page(request, Action.SERVICE_ORDER, Action.SERVICE_MANAGE)
    rows = list(selectors.coverage_gaps(user=request.user)[:2000])
    return render(request, "charity/coverage.html", {
        "groups": selectors.per_township(rows), "total": len(rows), "levels": selectors.coverage_levels()})

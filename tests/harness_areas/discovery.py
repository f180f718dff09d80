"""Harness entries for 主动发现 (discovery:* pages; grid-*, visit-*, discovery-* API), village drafts through
application-* and intake-refusal-* (cases.dibao.intake). Everything sits in 何营东村 with the world household.

Visits are recorded by DISCOVERY_VISIT roles (village staff, grid worker, township caseworker); the ledger, the grids
and the screening intake are kept by DISCOVERY_LEDGER roles (village staff, township caseworker); every CASE_VIEW
role in reach reads them.
"""
import datetime as dt

from accounts.scope import Action as A
from tests.harness import MARKER_HEAD, VILLAGE, api, page, part


@part("grid")
def _grid(w):
    from discovery import services

    grid = services.grid_create(actor=w.users["heying_cun"], village=w.household.village, name="第一网格",
                                worker=w.users["heying_wangge"], worker_phone="13903910001")
    services.household_assign(actor=w.users["heying_cun"], household=w.household, grid=grid)
    return grid


@part("visit")
def _visit(w):
    from django.utils import timezone

    from discovery import services

    w.get("grid")
    return services.visit_record(actor=w.users["heying_wangge"], household=w.household,
                                 visited_on=timezone.localdate(), seen="户主本人", situations=["illness"],
                                 note="户主患病住院，家中无劳动力")


@part("record")
def _record(w):
    return w.get("visit").records.get()


@part("draft")
def _draft(w):
    from cases.dibao import intake

    return intake.application_draft(actor=w.users["heying_cun"], household=w.household, reason="户主患病，家庭困难")


@part("refusal")
def _refusal(w):
    from cases.dibao import intake

    return intake.intake_refuse(actor=w.users["zhandian_jingban"], household=w.household, kind="tekun",
                                reason="家庭成员有劳动能力，不属于特困供养对象")


def _g(w):
    return w.get("grid").pk


def _r(w):
    return w.get("record").pk


def _with(*parts):
    def build(url):
        def fn(w):
            for name in parts:
                w.get(name)
            return url(w) if callable(url) else url
        return fn
    return build


def _visit_form(w):
    return {"household": w.household.pk, "visited_on": dt.date.today().isoformat(), "seen": "户主本人",
            "situations": ["job_loss"], "note": "户主失业"}


ENTRIES = [
    page("discovery:board", _with("grid")("/discovery/grids/"), A.CASE_VIEW, scoped=False),
    page("discovery:board", f"/discovery/grids/?village={VILLAGE}", A.CASE_VIEW),
    page("discovery:grid_create", "/discovery/grids/new/", A.DISCOVERY_LEDGER, method="post", ok=302,
         data={"village": VILLAGE, "name": "第九网格", "worker_name": "王五", "worker_phone": "13903910002"}),
    page("discovery:grid_detail", lambda w: f"/discovery/grids/{_g(w)}/", A.CASE_VIEW),
    page("discovery:grid_detail", lambda w: f"/discovery/grids/{_g(w)}/", A.DISCOVERY_LEDGER, method="post", ok=302,
         data={"worker_name": "赵六", "reason": "原网格员调任"}),
    page("discovery:assign", "/discovery/assign/", A.DISCOVERY_LEDGER, method="post", ok=302,
         data=lambda w: {"household": w.household.pk, "grid": _g(w)}),
    page("discovery:visit_list", _with("visit")("/discovery/visits/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    page("discovery:visit_create", lambda w: f"/discovery/visits/new/?household={w.household.pk}", A.DISCOVERY_VISIT),
    page("discovery:visit_create", "/discovery/visits/new/", A.DISCOVERY_VISIT, method="post", ok=302,
         data=_visit_form),
    page("discovery:ledger_list", _with("record")("/discovery/ledger/"), A.CASE_VIEW, scoped=False,
         marker=MARKER_HEAD),
    page("discovery:record_create", "/discovery/ledger/new/", A.DISCOVERY_LEDGER, scoped=False),
    page("discovery:record_create", "/discovery/ledger/new/", A.DISCOVERY_LEDGER, method="post", ok=302,
         scoped=False, out_of_scope=200, data=lambda w: {"source": "hotline", "household": w.household.pk,
                                                         "found_on": dt.date.today().isoformat(),
                                                         "need": "12345热线反映家庭困难"},
         note="a household outside the user's region is not among the form's choices: the form is shown again"),
    page("discovery:record_detail", lambda w: f"/discovery/ledger/{_r(w)}/", A.CASE_VIEW),
    page("discovery:record_detail", lambda w: f"/discovery/ledger/{_r(w)}/", A.DISCOVERY_LEDGER, method="post",
         ok=302, data={"outcome": "referred_charity", "note": "转介县慈善总会"}),
    page("discovery:screening", lambda w: f"/discovery/screening/{w.household.pk}/?record={_r(w)}",
         A.DISCOVERY_LEDGER),
    page("discovery:screening", lambda w: f"/discovery/screening/{w.household.pk}/", A.DISCOVERY_LEDGER,
         method="post", ok=302, data={"reason": "走访发现就业困难", "chosen": ["employment"]},
         note="a referral only: the screening is recorded and the user returns to the household"),
    page("discovery:scorecard", _with("visit")("/discovery/scorecard/"), A.CASE_VIEW, scoped=False),
    page("discovery:refusal_list", _with("refusal")("/discovery/intake-refusals/"), A.CASE_VIEW, scoped=False),
    page("discovery:refusal_create", lambda w: f"/discovery/intake-refusals/new/{w.household.pk}/", A.CASE_PROCESS),
    page("discovery:refusal_create", lambda w: f"/discovery/intake-refusals/new/{w.household.pk}/", A.CASE_PROCESS,
         method="post", ok=302, data={"kind": "dibao", "reason": "申请人拒绝授权核对家庭经济状况"}),
    # API
    api("grid-list", _with("grid")("/api/v1/grids/"), A.CASE_VIEW, scoped=False),
    api("grid-list", "/api/v1/grids/", A.DISCOVERY_LEDGER, method="post", ok=201, denied=403, out_of_scope=400,
        scoped=False, data={"village": VILLAGE, "name": "第八网格", "worker_name": "钱七"},
        note="a village outside the user's reach is refused with 400 (the code names no object)"),
    api("grid-detail", lambda w: f"/api/v1/grids/{_g(w)}/", A.CASE_VIEW),
    api("grid-assign", lambda w: f"/api/v1/grids/{_g(w)}/assign/", A.DISCOVERY_LEDGER, method="post",
        data=lambda w: {"household": w.household.pk}, read_action=A.CASE_VIEW),
    api("visit-list", _with("visit")("/api/v1/visits/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    api("visit-list", "/api/v1/visits/", A.DISCOVERY_VISIT, method="post", ok=201, read_action=A.CASE_VIEW,
        data=_visit_form),
    api("visit-detail", lambda w: f"/api/v1/visits/{w.get('visit').pk}/", A.CASE_VIEW),
    api("discovery-list", _with("record")("/api/v1/discovery/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    api("discovery-list", "/api/v1/discovery/", A.DISCOVERY_LEDGER, method="post", ok=201, read_action=A.CASE_VIEW,
        data=lambda w: {"source": "hotline", "household": w.household.pk, "need": "12345热线反映家庭困难"}),
    api("discovery-detail", lambda w: f"/api/v1/discovery/{_r(w)}/", A.CASE_VIEW),
    api("discovery-close", lambda w: f"/api/v1/discovery/{_r(w)}/close/", A.DISCOVERY_LEDGER, method="post",
        data={"outcome": "not_eligible", "note": "家庭人均收入高于低保标准"}, read_action=A.CASE_VIEW),
    api("discovery-screening", lambda w: f"/api/v1/discovery/{_r(w)}/screening/", A.DISCOVERY_LEDGER,
        method="post", data={"reason": "走访发现户主患病", "chosen": ["medical"]}, read_action=A.CASE_VIEW),
    api("application-list", "/api/v1/applications/", A.CASE_CHANGE, method="post", ok=201, read_action=A.CASE_VIEW,
        data=lambda w: {"household": w.household.pk, "status": "draft", "reason": "户主患病，家庭困难"},
        expect={"zhandian_jingban": 400, "zhandian_shenpi": 400},
        note="drafts (代办) are the village's: township staff are told to accept applications instead"),
    api("application-transitions", lambda w: f"/api/v1/applications/{w.get('draft').pk}/transitions/",
        A.CASE_PROCESS, method="post", data={"action": "accept_draft"}, read_action=A.CASE_VIEW,
        expect={"zhandian_shenpi": 400}, note="受理 of a village draft is the caseworker's step"),
    api("intake-refusal-list", _with("refusal")("/api/v1/intake-refusals/"), A.CASE_VIEW, scoped=False,
        marker=MARKER_HEAD),
    api("intake-refusal-list", "/api/v1/intake-refusals/", A.CASE_PROCESS, method="post", ok=201,
        read_action=A.CASE_VIEW, data=lambda w: {"household": w.household.pk, "kind": "dibao",
                                                 "reason": "申请人拒绝授权核对家庭经济状况"}),
    api("intake-refusal-detail", lambda w: f"/api/v1/intake-refusals/{w.get('refusal').pk}/", A.CASE_VIEW),
]

"""Harness entries for cases:* beyond the household file: the 低保 workflow (applications, meetings, deadlines,
re-checks, notices), standards, 特困 and 临时救助 pages, and their API (application-*, entitlement-*,
tekun-*, temporary-aid-*, reserve-fund-*, household-lookup, person-lookup).

World objects are built through cases.dibao.workflow / cases.tekun / cases.temporary_aid so the audit trail and the
invariants hold; all of them sit in 何营东村 (詹店镇, 武陟县) except meetings and reserve funds, which belong to
the township 詹店镇 (region=ZHANDIAN)."""
import datetime as dt
from decimal import Decimal

from accounts.scope import Action as A
from tests.harness import MARKER_HEAD, api, page, part

ZHANDIAN = "410823101"
PROCESS_OR_DECIDE = (A.CASE_PROCESS, A.CASE_DECIDE)
FUND_NOTE = ("issue #15: village staff do not reach the township fund (its balance would tell other villages' "
             "amounts); they see their own village's ledger lines on the page")


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _standards():
    from demo.households import seed_standards

    seed_standards()


@part("application")
def _application(w):
    """A 低保 application for the world household, accepted by the 詹店镇 caseworker (status accepted)."""
    from cases.dibao import workflow

    _standards()
    return workflow.application_accept(actor=w.users["zhandian_jingban"], household=w.household,
                                       reason="户主务工收入不稳定，家庭生活困难")


@part("meeting")
def _meeting(w):
    """A 联席会议 of 詹店镇 that studied the (investigated) world application."""
    from cases.dibao import meetings as dibao_meetings
    from cases.dibao import workflow

    app = w.get("application")
    caseworker = w.users["zhandian_jingban"]
    workflow.transition(actor=caseworker, application=app, action="record_investigation",
                        investigated_on=app.accepted_on, investigator_1="刘洋", investigator_2="马强",
                        findings="入户查看，住房简陋", verification_result="省核对平台：无车辆、无工商登记")
    app.refresh_from_db()
    return dibao_meetings.meeting_record(actor=caseworker, township=caseworker.region, held_on=app.accepted_on,
                                   chair="王镇长", attendees="王镇长、李书记、刘洋", place="镇政府会议室",
                                   decisions=[(app, "refuse", "家庭人均收入高于低保标准")])


@part("entitlement")
def _entitlement(w):
    """An active 低保 entitlement of the world household, due for re-check this month."""
    from django.utils import timezone

    from cases.models import Entitlement

    _standards()
    hh = w.household
    today = timezone.localdate()
    return Entitlement.objects.create(household=hh, category="dibao", persons_covered=2,
                                      monthly_amount=Decimal("600.00"), start_month=dt.date(today.year - 1, 1, 1),
                                      next_recheck=today.replace(day=1) + dt.timedelta(days=9),
                                      county_id=hh.county_id, township_id=hh.township_id, village_id=hh.village_id)


@part("recheck")
def _recheck(w):
    from cases.dibao import rechecks as dibao_rechecks
    from cases.models import Recheck

    ent = w.get("entitlement")
    dibao_rechecks.recheck_list_month(month=ent.next_recheck.replace(day=1))
    return Recheck.objects.get(entitlement=ent)


@part("notice")
def _notice(w):
    """A 不予确认通知书 for the world household, issued by the 詹店镇 caseworker."""
    from cases.dibao import notices as dibao_notices

    return dibao_notices.notice_issue(actor=w.users["zhandian_jingban"], household=w.household, kind="refusal",
                                 reasons="家庭人均收入高于当地低保标准", application=w.get("application"))


@part("tekun")
def _tekun(w):
    """A 特困 profile for the world household's head, opened by the village staff member."""
    from cases.tekun import services as tekun

    _standards()
    return tekun.profile_open(actor=w.users["heying_cun"], person=w.head)


@part("reserve_fund")
def _reserve_fund(w):
    """詹店镇's reserve fund, topped up with 5,000 yuan by 武陟县民政局."""
    from cases.models import ReserveFund
    from cases.temporary_aid import services as temporary_aid
    from core.models import Region

    _standards()
    temporary_aid.reserve_fund_top_up(actor=w.users["wuzhi_minzheng"], township=Region.objects.get(code=ZHANDIAN),
                                      amount=Decimal("5000.00"), note="武民〔2026〕1号")
    return ReserveFund.objects.get(township_id=ZHANDIAN)


@part("aid")
def _aid(w):
    """A 小金额先行救助 of 800 yuan to the world household, signed by the 詹店镇 leader."""
    from cases.temporary_aid import services as temporary_aid

    w.get("reserve_fund")
    return temporary_aid.fast_grant(actor=w.users["zhandian_shenpi"], household=w.household, aid_type="emergency",
                                    cause="家中失火", amount=Decimal("800.00"))


def _with(*parts):
    """URL helper: build world parts first (lists that must show them), then return the URL."""
    def build(url):
        def fn(w):
            for name in parts:
                w.get(name)
            return url(w) if callable(url) else url
        return fn
    return build


def _app(w):
    return w.get("application").pk


ENTRIES = [
    # --- 低保 workflow pages
    page("cases:todo", _with("application")("/todo/"), PROCESS_OR_DECIDE, scoped=False),
    page("cases:application_list", _with("application")("/applications/"), A.CASE_VIEW, scoped=False,
         marker=MARKER_HEAD),
    page("cases:application_create", lambda w: f"/households/{w.household.pk}/apply/", PROCESS_OR_DECIDE),
    page("cases:application_create", lambda w: (_standards(), f"/households/{w.household.pk}/apply/")[1],
         PROCESS_OR_DECIDE, method="post", ok=302,
         data=lambda w: {"kind": "dibao", "reason": "家庭生活困难", "applicant": w.head.pk,
                         "accepted_on": _today().isoformat()}),
    page("cases:residence_apply", "/applications/residence/", PROCESS_OR_DECIDE, scoped=False),
    page("cases:application_detail", lambda w: f"/applications/{_app(w)}/", A.CASE_VIEW),
    page("cases:application_act", lambda w: f"/applications/{_app(w)}/start_investigation/", PROCESS_OR_DECIDE),
    page("cases:application_act", lambda w: f"/applications/{_app(w)}/start_investigation/", PROCESS_OR_DECIDE,
         method="post", data={"reason": ""}, ok=302, expect={"zhandian_shenpi": 200},
         note="the township leader decides but does not investigate: the form comes back with the refusal"),
    page("cases:meeting_list", _with("meeting")("/meetings/"), A.CASE_VIEW, scoped=False),
    page("cases:meeting_create", "/meetings/new/", A.CASE_PROCESS, scoped=False),
    page("cases:meeting_detail", lambda w: f"/meetings/{w.get('meeting').pk}/", A.CASE_VIEW, region=ZHANDIAN),
    page("cases:deadlines", _with("application")("/deadlines/"), A.CASE_VIEW, scoped=False),
    page("cases:recheck_list", _with("recheck")("/rechecks/"), A.CASE_VIEW, scoped=False),
    page("cases:recheck_do", lambda w: f"/rechecks/{w.get('recheck').pk}/", A.CASE_VIEW),
    page("cases:recheck_assign_many", "/rechecks/assign/", PROCESS_OR_DECIDE, method="post", ok=302, scoped=False,
         data=lambda w: {"ids": [w.get("recheck").pk], "assignee": w.users["zhandian_jingban"].pk},
         note="the list's bulk action: out of the township the rows are counted, never touched "
              "(tests/cases/test_recheck_assign.py)"),
    page("cases:entitlement_end", lambda w: f"/entitlements/{w.get('entitlement').pk}/end/", PROCESS_OR_DECIDE),
    page("cases:notice_detail", lambda w: f"/notices/{w.get('notice').pk}/", A.CASE_VIEW),
    page("cases:notice_deliver", lambda w: f"/notices/{w.get('notice').pk}/deliver/", PROCESS_OR_DECIDE,
         method="post", data=lambda w: {"delivered_on": _today().isoformat()}, ok=302),
    page("cases:household_reveal_phone", lambda w: f"/households/{w.household.pk}/phone/reveal/",
         A.CASE_VIEW_PII, method="post", data={"reason": "电话通知入户调查"}),
    # --- standards
    page("cases:standard_list", "/standards/", A.PARAMS_VIEW, scoped=False),
    page("cases:standard_add", "/standards/new/", A.STANDARDS_CHANGE, scoped=False),
    page("cases:care_standard_add", "/standards/care/new/", A.STANDARDS_CHANGE, scoped=False),
    # --- 特困
    page("cases:tekun_list", _with("tekun")("/tekun/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    page("cases:tekun_open", lambda w: f"/tekun/new/?household={w.household.pk}", A.CASE_CHANGE),
    page("cases:tekun_detail", lambda w: f"/tekun/{w.get('tekun').pk}/", A.CASE_VIEW),
    page("cases:tekun_action", lambda w: f"/tekun/{w.get('tekun').pk}/visit/", A.CASE_CHANGE, method="post",
         data=lambda w: {"vi-visited_on": _today().isoformat(), "vi-findings": "身体尚可，屋内整洁"}, ok=302),
    page("cases:tekun_action", lambda w: f"/tekun/{w.get('tekun').pk}/home/", A.CASE_PROCESS, method="post",
         data={"reason": "本人意愿"}, ok=302),
    page("cases:institution_list", "/tekun/institutions/", A.CASE_VIEW, scoped=False),
    # --- 临时救助
    page("cases:aid_list", _with("aid")("/temporary-aid/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    page("cases:aid_grant", lambda w: (w.get("reserve_fund"), f"/temporary-aid/new/?household={w.household.pk}")[1],
         A.CASE_DECIDE),
    page("cases:aid_detail", lambda w: f"/temporary-aid/{w.get('aid').pk}/", A.CASE_VIEW),
    page("cases:aid_apply", lambda w: (_standards(), f"/temporary-aid/apply/?household={w.household.pk}")[1],
         A.CASE_PROCESS),
    page("cases:reserve_funds", _with("reserve_fund")("/temporary-aid/funds/"), (A.CASE_VIEW, A.PAYMENT_VIEW),
         scoped=False),
    # --- API
    api("application-list", _with("application")("/api/v1/applications/"), A.CASE_VIEW, scoped=False,
        marker=MARKER_HEAD),
    api("application-list", lambda w: (_standards(), "/api/v1/applications/")[1], PROCESS_OR_DECIDE,
        method="post", ok=201, data=lambda w: {"household": w.household.pk, "reason": "家庭生活困难"},
        read_action=A.CASE_VIEW),
    api("application-detail", lambda w: f"/api/v1/applications/{_app(w)}/", A.CASE_VIEW),
    api("application-transitions", lambda w: f"/api/v1/applications/{_app(w)}/transitions/", A.CASE_PROCESS,
        method="post", data={"action": "start_investigation"}, read_action=A.CASE_VIEW,
        expect={"zhandian_shenpi": 400},
        note="the township leader may move applications but not this step: the machine refuses with a message"),
    api("entitlement-list", _with("entitlement")("/api/v1/entitlements/"), A.CASE_VIEW, scoped=False,
        marker=MARKER_HEAD),
    api("entitlement-detail", lambda w: f"/api/v1/entitlements/{w.get('entitlement').pk}/", A.CASE_VIEW),
    api("household-lookup", "/api/v1/households/lookup/", A.CASE_VIEW, method="post",
        data=lambda w: {"id_number": w.head_id}, scoped=False, marker=MARKER_HEAD),
    api("person-lookup", "/api/v1/persons/lookup/", A.CASE_VIEW, method="post",
        data=lambda w: {"id_number": w.head_id}, scoped=False, marker=MARKER_HEAD),
    api("tekun-list", _with("tekun")("/api/v1/tekun/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    api("tekun-detail", lambda w: f"/api/v1/tekun/{w.get('tekun').pk}/", A.CASE_VIEW),
    api("temporary-aid-list", _with("aid")("/api/v1/temporary-aid/"), A.CASE_VIEW, scoped=False),
    api("temporary-aid-list", _with("reserve_fund")("/api/v1/temporary-aid/"), A.CASE_DECIDE, method="post",
        ok=201, data=lambda w: {"household": w.household.pk, "aid_type": "emergency", "cause": "突发疾病",
                                "amount": "500.00"}, read_action=A.CASE_VIEW),
    api("temporary-aid-detail", lambda w: f"/api/v1/temporary-aid/{w.get('aid').pk}/", A.CASE_VIEW),
    api("temporary-aid-paperwork", lambda w: f"/api/v1/temporary-aid/{w.get('aid').pk}/paperwork/",
        PROCESS_OR_DECIDE, method="post", data={"paperwork": "入户核实火灾损失，现金发放，户主签收"},
        read_action=A.CASE_VIEW),
    api("reserve-fund-list", _with("reserve_fund")("/api/v1/reserve-funds/"), (A.CASE_VIEW, A.PAYMENT_VIEW),
        scoped=False),
    api("reserve-fund-detail", _with("reserve_fund")(f"/api/v1/reserve-funds/{ZHANDIAN}/"),
        (A.CASE_VIEW, A.PAYMENT_VIEW), region=ZHANDIAN, expect={"heying_cun": 404, "heying_wangge": 404}, note=FUND_NOTE),
    api("reserve-fund-entries", _with("reserve_fund")(f"/api/v1/reserve-funds/{ZHANDIAN}/entries/"),
        (A.CASE_VIEW, A.PAYMENT_VIEW), region=ZHANDIAN, expect={"heying_cun": 404, "heying_wangge": 404, "wuzhi_caizheng": 403},
        note=FUND_NOTE + "; finance sees township totals only, the lines are refused (403)"),
    api("reserve-fund-top-up", _with("reserve_fund")(f"/api/v1/reserve-funds/{ZHANDIAN}/top-up/"),
        A.PAYMENT_PREPARE, method="post", data={"amount": "1000.00", "note": "武民〔2026〕2号"}, region=ZHANDIAN,
        read_action=A.CASE_VIEW, expect={"wuzhi_caizheng": 403, "heying_cun": 404, "heying_wangge": 404},
        note="readers of the fund (finance sees it through payment.view, village staff: " + FUND_NOTE + ") get 403"),
]

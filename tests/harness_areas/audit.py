"""Harness entries for supervision (audit:* pages, relative-*, complaint-* and spot-check-* API).

The relative registry and complaints here sit in 詹店镇 (region="410823101"); a spot-check belongs to its
county (region="410823") and its items to the township of the sampled decision (詹店镇). Complaints are handled
by the township and county (COMPLAINT_HANDLE) and read by supervisors (SUPERVISION_VIEW).
"""
import datetime as dt

from accounts.scope import Action as A
from tests.harness import api, page, part

COUNTY = "410823"
TOWNSHIP = "410823101"  # 詹店镇
COMPLAINT_READERS = (A.COMPLAINT_HANDLE, A.SUPERVISION_VIEW)
SC_READERS = (A.SPOTCHECK_REVIEW, A.SUPERVISION_VIEW)
ANSWER_ONLY = {"zhandian_jingban": 302, "zhandian_shenpi": 302, "xitao_jingban": 302, "xiangyun_jingban": 302}
SPOT_MONTH = dt.date(2026, 10, 1)


def _id(year, sex="M"):
    """A fresh 武陟县 ID born in `year` (a random day: one date only has 500 numbers per test process)."""
    import random

    from tests.factories import make_id

    return make_id("410823", dt.date(year, 1, 1) + dt.timedelta(days=random.randrange(365)), sex)


@part("staff")
def _staff(w):
    """A 詹店镇 caseworker on the 近亲属备案 register (county officer)."""
    from audit import services
    from core.models import Region

    return services.staff_register(actor=w.users["wuzhi_minzheng"], name="备案干部", id_number=_id(1979),
                                   kind="township", workplace="詹店镇人民政府", region=Region.objects.get(code=TOWNSHIP))


@part("relative")
def _relative(w):
    from audit import services

    return services.relative_add(actor=w.users["wuzhi_minzheng"], staff=w.get("staff"), name="备案亲属",
                                 id_number=_id(1981, "F"), relation="spouse")


@part("complaint")
def _complaint(w):
    """A hotline complaint registered by the 詹店镇 caseworker."""
    from audit import services
    from core.models import Region

    return services.complaint_register(actor=w.users["zhandian_jingban"], source="hotline", complainant_name="投诉人",
                                       category="missed", summary="反映漏保", content="反映何营东村某户应保未保",
                                       region=Region.objects.get(code=TOWNSHIP))


@part("decision")
def _decision(w):
    """A 詹店镇 审核确认 decision on the world household in October 2026 (what a spot-check samples)."""
    from cases.models import Application, Entitlement

    h = w.household
    ent = Entitlement.objects.create(household=h, category="dibao", persons_covered=1, monthly_amount="300.00",
                                     start_month=dt.date(2026, 11, 1), county_id=h.county_id,
                                     township_id=h.township_id, village_id=h.village_id)
    return Application.objects.create(
        entitlement=ent, kind="dibao", household=h, handling_township_id=TOWNSHIP, handling_county_id=COUNTY,
        reason="申请", accepted_on=SPOT_MONTH, deadline=SPOT_MONTH + dt.timedelta(days=35), status="confirmed",
        decided_on=SPOT_MONTH.replace(day=15), registered_by=w.users["zhandian_jingban"],
        county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)


@part("spotcheck")
def _spotcheck(w):
    """The county reviewer's spot-check of October 2026 over that decision."""
    from audit import spotchecks
    from core.models import Region

    w.get("decision")
    return spotchecks.spotcheck_open(actor=w.users["wuzhi_choucha"], county=Region.objects.get(code=COUNTY),
                                     month=SPOT_MONTH, seed=1)


def _item(w):
    return w.get("spotcheck").items.get()


ENTRIES = [
    # 近亲属备案
    page("audit:relatives", "/supervision/relatives/", A.SUPERVISION_VIEW, scoped=False),
    page("audit:relative_matches", "/supervision/relatives/matches/", A.SUPERVISION_VIEW, scoped=False),
    page("audit:staff_create", "/supervision/relatives/new/", A.SUPERVISION_CHANGE, scoped=False),
    page("audit:staff_detail", lambda w: f"/supervision/relatives/{w.get('staff').pk}/", A.SUPERVISION_VIEW,
         region=TOWNSHIP),
    page("audit:staff_detail", lambda w: f"/supervision/relatives/{w.get('staff').pk}/", A.SUPERVISION_CHANGE,
         method="post", data={"name": "新亲属", "id_number": _id(1986, "F"), "relation": "sibling"}, ok=302,
         region=TOWNSHIP, note="adding a relative: readers of the register get 404 on POST"),
    page("audit:staff_verify", lambda w: f"/supervision/relatives/{w.get('staff').pk}/verify/",
         A.SUPERVISION_CHANGE, method="post", data={"note": "年度核实"}, ok=302, region=TOWNSHIP),
    page("audit:staff_deactivate", lambda w: f"/supervision/relatives/{w.get('staff').pk}/deactivate/",
         A.SUPERVISION_CHANGE, method="post", data={"reason": "调离"}, ok=302, region=TOWNSHIP),
    page("audit:relative_remove", lambda w: f"/supervision/relatives/relative/{w.get('relative').pk}/remove/",
         A.SUPERVISION_CHANGE, method="post", data={"reason": "登记错误"}, ok=302, region=TOWNSHIP),
    # 信访/投诉举报
    page("audit:complaints", "/supervision/complaints/", COMPLAINT_READERS, scoped=False),
    page("audit:complaint_create", "/supervision/complaints/new/", A.COMPLAINT_HANDLE, scoped=False),
    page("audit:complaint_detail", lambda w: f"/supervision/complaints/{w.get('complaint').pk}/", COMPLAINT_READERS,
         region=TOWNSHIP),
    page("audit:complaint_detail", lambda w: f"/supervision/complaints/{w.get('complaint').pk}/",
         A.COMPLAINT_HANDLE, method="post", data={"op": "close", "close-result": "经核实已纳入低保",
                                                  "close-satisfied": "1"}, ok=302, region=TOWNSHIP,
         note="closing a complaint: supervisors who only read it get 404 on POST"),
    # 县级抽查
    page("audit:spotcheck_list", "/supervision/spot-checks/", SC_READERS + (A.SPOTCHECK_ANSWER,), scoped=False,
         expect=ANSWER_ONLY, note="townships only answer findings: they are sent on to audit:spotcheck_answers"),
    page("audit:spotcheck_detail", lambda w: f"/supervision/spot-checks/{w.get('spotcheck').pk}/", SC_READERS,
         region=COUNTY),
    page("audit:spotcheck_item", lambda w: f"/supervision/spot-checks/items/{_item(w).pk}/",
         SC_READERS + (A.SPOTCHECK_ANSWER,), region=TOWNSHIP),
    page("audit:spotcheck_item", lambda w: f"/supervision/spot-checks/items/{_item(w).pk}/", A.SPOTCHECK_REVIEW,
         method="post", data={"finding": "correct"}, ok=302, region=COUNTY,
         note="recording a finding: only the county reviewer; everyone else (townships too) gets 404 on POST"),
    page("audit:spotcheck_answers", "/supervision/spot-checks/answers/", A.SPOTCHECK_ANSWER, scoped=False),
    # API
    api("relative-list", "/api/v1/relatives/", A.SUPERVISION_VIEW, scoped=False),
    api("relative-list", "/api/v1/relatives/", A.SUPERVISION_CHANGE, method="post",
        data={"name": "新备案干部", "id_number": _id(1990), "kind": "township", "workplace": "詹店镇人民政府",
              "region": TOWNSHIP}, ok=201, scoped=False, out_of_scope=400, read_action=A.SUPERVISION_VIEW,
        note="詹店镇 is outside another county officer's reach: the service refuses it (400)"),
    api("relative-detail", lambda w: f"/api/v1/relatives/{w.get('staff').pk}/", A.SUPERVISION_VIEW, region=TOWNSHIP),
    api("relative-relatives", lambda w: f"/api/v1/relatives/{w.get('staff').pk}/relatives/", A.SUPERVISION_CHANGE,
        method="post", data={"name": "新亲属", "id_number": _id(1985, "F"), "relation": "sibling"}, ok=201,
        region=TOWNSHIP, read_action=A.SUPERVISION_VIEW),
    api("complaint-list", "/api/v1/complaints/", COMPLAINT_READERS, scoped=False),
    api("complaint-list", "/api/v1/complaints/", A.COMPLAINT_HANDLE, method="post",
        data={"source": "visit", "complainant_name": "来访人", "category": "amount", "summary": "反映金额",
              "content": "反映低保金额计算有误", "region": TOWNSHIP}, ok=201, scoped=False, out_of_scope=400,
        read_action=A.SUPERVISION_VIEW, note="詹店镇 is outside another handler's reach: the service refuses it (400)"),
    api("complaint-detail", lambda w: f"/api/v1/complaints/{w.get('complaint').pk}/", COMPLAINT_READERS,
        region=TOWNSHIP),
    api("complaint-close", lambda w: f"/api/v1/complaints/{w.get('complaint').pk}/close/", A.COMPLAINT_HANDLE,
        method="post", data={"result": "经核实已纳入低保", "satisfied": True}, region=TOWNSHIP,
        read_action=A.SUPERVISION_VIEW),
    api("spot-check-list", "/api/v1/spot-checks/", SC_READERS, scoped=False),
    api("spot-check-list", "/api/v1/spot-checks/", A.SPOTCHECK_REVIEW, method="post",
        data=lambda w: w.get("decision") and {"month": "2026-10-01"}, ok=201, scoped=False,
        note="opens the reviewer's own county; everyone else gets 404"),
    api("spot-check-detail", lambda w: f"/api/v1/spot-checks/{w.get('spotcheck').pk}/", SC_READERS, region=COUNTY),
    api("spot-check-findings", lambda w: f"/api/v1/spot-checks/{w.get('spotcheck').pk}/findings/",
        A.SPOTCHECK_REVIEW, method="post", data=lambda w: {"item": _item(w).pk, "finding": "correct"},
        region=COUNTY, read_action=A.SUPERVISION_VIEW),
]

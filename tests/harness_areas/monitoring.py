"""Harness entries for 动态监测 (monitoring:* pages, comparison-run-* and clue-* API).

A comparison run belongs to its county (region="410823"); a clue sits with the person in 何营东村. Clues are
worked by the township (CASE_PROCESS), supervised by the county and the city (SUPERVISION_VIEW) and read by
the rest of the case chain (CASE_VIEW), so every CASE_VIEW role in scope reads them.
"""
import datetime as dt

from accounts.scope import Action as A
from tests.harness import MARKER_MEMBER, api, page, part

COUNTY = "410823"
CLUE_READERS = (A.CASE_PROCESS, A.SUPERVISION_VIEW, A.CASE_VIEW)


@part("run")
def _run(w):
    """A 武陟县 death comparison uploaded by the county officer, whose job failed (so it may be retried)."""
    from monitoring import services
    from monitoring.models import ComparisonRun

    run = services.run_create(actor=w.users["wuzhi_minzheng"], source="death_police", file_name="死亡名单.csv",
                              data="姓名,身份证号\n".encode(), enqueue=False)
    ComparisonRun.objects.filter(pk=run.pk).update(status=ComparisonRun.Status.FAILED, error="harness")
    run.refresh_from_db()
    return run


@part("clue")
def _clue(w):
    """An open death clue for the world's member (何营东村)."""
    from django.utils import timezone

    from monitoring.models import Clue

    run = w.get("run")
    p = w.person
    return Clue.objects.create(run=run, source=run.source, kind=Clue.Kind.DEATH, person=p, household=w.household,
                               summary="公安户籍死亡注销", event_date=dt.date(2026, 10, 3),
                               due_date=timezone.localdate() + dt.timedelta(days=15), county_id=p.household.county_id,
                               township_id=p.household.township_id, village_id=p.household.village_id)


def _r(w):
    return w.get("run").pk


def _c(w):
    return w.get("clue").pk


ENTRIES = [
    page("monitoring:run_list", "/monitoring/runs/", A.SUPERVISION_VIEW, scoped=False),
    page("monitoring:run_detail", lambda w: f"/monitoring/runs/{_r(w)}/", A.SUPERVISION_VIEW, region=COUNTY),
    page("monitoring:run_status", lambda w: f"/monitoring/runs/{_r(w)}/status.json", A.SUPERVISION_VIEW,
         region=COUNTY),
    page("monitoring:run_retry", lambda w: f"/monitoring/runs/{_r(w)}/retry/", A.SUPERVISION_CHANGE, method="post",
         ok=302, region=COUNTY, read_action=A.SUPERVISION_VIEW, read_denied=302,
         note="a reader of the run is sent back to it with the refusal as a message"),
    page("monitoring:clue_list", lambda w: w.get("clue") and "/monitoring/clues/", CLUE_READERS, scoped=False,
         marker=MARKER_MEMBER),
    page("monitoring:clue_detail", lambda w: f"/monitoring/clues/{_c(w)}/", CLUE_READERS),
    page("monitoring:clue_detail", lambda w: f"/monitoring/clues/{_c(w)}/", A.CASE_PROCESS, method="post",
         data={"result": "unfounded", "finding": "入户核实本人健在，公安数据有误"}, ok=302,
         note="only the township caseworker records the finding; readers of the clue get 404 on POST"),
    page("monitoring:clue_summary", "/monitoring/clues/summary/", A.SUPERVISION_VIEW, scoped=False),
    page("monitoring:population", "/monitoring/population/", A.SUPERVISION_VIEW, scoped=False),
    page("monitoring:population", "/monitoring/population/", A.SUPERVISION_CHANGE, method="post", ok=302,
         scoped=False, note="rebuilding the month's figures: readers get 404"),
    page("monitoring:province", "/monitoring/province/", A.SUPERVISION_VIEW, scoped=False),
    # API
    api("province-exchange-list", "/api/v1/province-exchange/", A.SUPERVISION_VIEW, scoped=False,
        note="each user's own county; out-of-reach counties answer 400 (tests/monitoring/test_province_exchange.py)"),
    api("comparison-run-list", "/api/v1/comparison-runs/", A.SUPERVISION_VIEW, scoped=False),
    api("comparison-run-list", "/api/v1/comparison-runs/", A.SUPERVISION_CHANGE, method="post",
        data={"source": "death_police"}, ok=400, scoped=False, read_action=A.SUPERVISION_VIEW,
        note="the harness sends JSON without the file: an uploader gets 400 (the upload is in tests/monitoring)"),
    api("comparison-run-detail", lambda w: f"/api/v1/comparison-runs/{_r(w)}/", A.SUPERVISION_VIEW, region=COUNTY),
    api("comparison-run-retry", lambda w: f"/api/v1/comparison-runs/{_r(w)}/retry/", A.SUPERVISION_CHANGE,
        method="post", ok=202, region=COUNTY, read_action=A.SUPERVISION_VIEW),
    api("clue-list", lambda w: w.get("clue") and "/api/v1/clues/", CLUE_READERS, scoped=False,
        marker=MARKER_MEMBER),
    api("clue-detail", lambda w: f"/api/v1/clues/{_c(w)}/", CLUE_READERS),
    api("clue-finding", lambda w: f"/api/v1/clues/{_c(w)}/finding/", A.CASE_PROCESS, method="post",
        data={"confirmed": False, "finding": "入户核实本人健在，公安数据有误"}, read_action=A.CASE_VIEW),
]

EXEMPT = {
    "province-exchange-change-file": "tests/monitoring/test_province_exchange.py::test_province_exchange_api_and_page "
                                     "(county officer only; other counties refused)",
    "province-exchange-roster": "tests/monitoring/test_province_exchange.py::test_roster_rule_reconciliation_clues "
                                "(multipart upload; the harness sends JSON)",
}

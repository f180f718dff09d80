"""§7 active discovery: grids and their history, visits, the ledger from every source, the one intake (整件事),
village drafts accepted / returned / refused by the township, refused intake as a counted, sampled record."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.spotchecks import population_for
from cases.dibao import intake, workflow
from cases.dibao.models import Application, Notice
from cases.entitlements.models import Entitlement
from core import params
from discovery import screening, selectors, services
from discovery.models import GridMembership, GridWorkerTerm, LedgerRecord, Visit
from tests.cases.dibao_helpers import HEYING, poor_household, seed_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def hh(users):
    seed_standards()
    return poor_household()


def _grid(users, name="第一网格"):
    from core.models import Region

    return services.grid_create(actor=users["heying_cun"], village=Region.objects.get(code=HEYING), name=name,
                                worker=users["heying_wangge"], worker_phone="13903910001")


def test_grid_worker_change_keeps_history(users):
    grid = _grid(users)
    services.grid_change_worker(actor=users["heying_cun"], grid=grid, worker_name="赵六", worker_phone="13903910009",
                                reason="原网格员调任")
    terms = list(GridWorkerTerm.objects.filter(grid=grid).order_by("id"))
    assert [t.worker_name for t in terms] == ["何营东村网格员 马强", "赵六"]
    assert terms[0].ended_on == timezone.localdate() and terms[1].ended_on is None
    grid.refresh_from_db()
    assert grid.worker is None and grid.worker_name == "赵六"
    with pytest.raises(ValidationError):
        services.grid_change_worker(actor=users["heying_cun"], grid=grid, worker_name="钱七", reason="")
    with pytest.raises(ValidationError):  # a grid worker cannot manage grids
        services.grid_change_worker(actor=users["heying_wangge"], grid=grid, worker_name="钱七", reason="调整")
    with pytest.raises(ValidationError):  # another township's caseworker is out of reach
        services.grid_change_worker(actor=users["xitao_jingban"], grid=grid, worker_name="钱七", reason="调整")


def test_bad_phone_and_duplicate_name_refused(users):
    from core.models import Region

    village = Region.objects.get(code=HEYING)
    with pytest.raises(ValidationError, match="电话"):
        services.grid_create(actor=users["heying_cun"], village=village, name="A", worker_name="甲",
                             worker_phone="12345")
    _grid(users)
    with pytest.raises(ValidationError, match="已有"):
        _grid(users)


def test_household_moves_grid_with_history_and_one_current(users, hh):
    g1, g2 = _grid(users), _grid(users, "第二网格")
    services.household_assign(actor=users["heying_cun"], household=hh, grid=g1)
    services.household_assign(actor=users["heying_cun"], household=hh, grid=g2)
    rows = list(GridMembership.objects.filter(household=hh).order_by("id"))
    assert [(r.grid_id, r.ended_on is None) for r in rows] == [(g1.pk, False), (g2.pk, True)]
    with pytest.raises(IntegrityError), transaction.atomic():
        GridMembership.objects.create(household=hh, grid=g1, assigned_by=users["heying_cun"],
                                      county_id=hh.county_id, township_id=hh.township_id, village_id=hh.village_id)
    board = selectors.village_board(user=users["heying_cun"], village=hh.village)
    assert [r["id"] for g in board["grids"] if g.pk == g2.pk for r in g.rows] == [hh.pk]
    assert hh.pk not in [r["id"] for r in board["unassigned"]]


def test_household_of_another_village_cannot_join(users):
    seed_standards()
    other = poor_household(village="410823101201")
    grid = _grid(users)
    with pytest.raises(ValidationError, match="本村"):
        services.household_assign(actor=users["zhandian_jingban"], household=other, grid=grid)


def test_visit_with_a_difficulty_becomes_a_ledger_record(users, hh):
    grid = _grid(users)
    services.household_assign(actor=users["heying_cun"], household=hh, grid=grid)
    visit = services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=timezone.localdate(),
                                  seen="户主本人", situations=["illness", "job_loss"], note="户主住院，失去工作")
    assert visit.grid_id == grid.pk
    record = LedgerRecord.objects.get(visit=visit)
    assert record.source == "visit" and record.status == "open" and record.household_id == hh.pk
    assert "dibao" in record.assistance and "temporary_aid" in record.assistance
    assert record.due_date > timezone.localdate()
    # a plain visit opens nothing
    services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=timezone.localdate(), seen="配偶")
    assert LedgerRecord.objects.count() == 1


def test_visit_refusals(users, hh):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="晚于今天"):
        services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today + dt.timedelta(days=1),
                              seen="户主")
    with pytest.raises(ValidationError, match="走访情况"):
        services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today, seen="户主",
                              situations=["illness"], note="")
    with pytest.raises(ValidationError, match="管辖范围"):
        services.visit_record(actor=users["xitao_jingban"], household=hh, visited_on=today, seen="户主")
    with pytest.raises(ValidationError):
        services.visit_record(actor=users["wuzhi_minzheng"], household=hh, visited_on=today, seen="户主")
    assert Visit.objects.count() == 0


def test_nothing_closes_without_an_outcome(users, hh):
    record = services.record_create(actor=users["heying_cun"], source="hotline", household=hh, need="热线反映困难")
    with pytest.raises(ValidationError, match="处理结果"):
        services.record_close(actor=users["heying_cun"], record=record, outcome="")
    with pytest.raises(ValidationError, match="理由"):
        services.record_close(actor=users["heying_cun"], record=record, outcome="not_eligible", note="")
    with pytest.raises(ValidationError, match="一件事"):
        services.record_close(actor=users["heying_cun"], record=record, outcome="application")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerRecord.objects.filter(pk=record.pk).update(status="closed")
    services.record_close(actor=users["heying_cun"], record=record, outcome="referred_charity", note="转介慈善总会")
    record.refresh_from_db()
    assert record.status == "closed" and record.closed_by == users["heying_cun"]
    with pytest.raises(ValidationError, match="已办结"):
        services.record_close(actor=users["heying_cun"], record=record, outcome="not_eligible", note="x")


def test_overdue_ledger_record_is_on_the_board(users, hh):
    from jiuzhu.overdue import board

    record = services.record_create(actor=users["heying_cun"], source="self_report", household=hh, need="本人申报",
                                    found_on=timezone.localdate() - dt.timedelta(days=30),
                                    due_date=timezone.localdate() - dt.timedelta(days=1))
    assert record.is_overdue
    sections = {s.key: s for s in board(user=users["zhandian_jingban"])["sections"]}
    assert [i.url for i in sections["discovery_ledger"].items] == [f"/discovery/ledger/{record.pk}/"]
    assert not {s.key: s for s in board(user=users["xitao_jingban"])["sections"]}["discovery_ledger"].items


def test_monitoring_discovery_clues_flow_into_the_ledger_once(users, hh):
    from monitoring.models import Clue
    from monitoring.services import run_create

    run = run_create(actor=users["wuzhi_minzheng"], source="disability", file_name="残联.csv",
                     data="姓名,身份证号\n".encode(), enqueue=False)
    person = hh.members.first()
    Clue.objects.create(run=run, source="disability", kind=Clue.Kind.DISCOVERY, person=person, household=hh,
                        summary="一级残疾人证，未纳入救助", due_date=timezone.localdate(), county_id=hh.county_id,
                        township_id=hh.township_id, village_id=hh.village_id, fact_key="disability:1")
    Clue.objects.create(run=run, source="disability", kind=Clue.Kind.DEATH, person=person, household=hh,
                        summary="死亡", due_date=timezone.localdate(), county_id=hh.county_id,
                        township_id=hh.township_id, village_id=hh.village_id)
    assert services.ledger_pull() == 1
    assert services.ledger_pull() == 0
    record = LedgerRecord.objects.get()
    assert record.source == "department" and record.village_id == HEYING and record.source_ref.startswith("monitoring.clue:")


def test_screening_checks_every_kind_and_village_drafts(users, hh):
    results = {r.key: r for r in screening.screen(hh)}
    assert set(results) >= {"dibao", "tekun", "temporary_aid", "dibao_edge", "medical", "education", "housing",
                            "employment"}
    assert results["dibao"].verdict == screening.QUALIFIES
    record = services.record_create(actor=users["heying_cun"], source="visit", household=hh, need="家庭困难")
    s = screening.screening_open(actor=users["heying_cun"], household=hh, reason="户主打零工收入低", record=record,
                                 chosen=["dibao", "housing"])
    app = Application.objects.get(pk=s.opened[0]["application"])
    assert app.status == "draft" and app.reason == "户主打零工收入低" and app.registered_by == users["heying_cun"]
    assert s.referrals[0]["key"] == "housing"
    record.refresh_from_db()
    assert record.status == "closed" and record.outcome == "application" and record.application_id == app.pk
    # the open draft blocks a second one of the same kind
    with pytest.raises(ValidationError, match="正在办理"):
        intake.application_draft(actor=users["heying_cun"], household=hh, reason="再次代办")
    # and 低保 now screens as "already"
    assert {r.key: r for r in screening.screen(hh)}["dibao"].verdict == screening.ALREADY


def test_screening_at_the_township_desk_accepts(users, hh):
    s = screening.screening_open(actor=users["zhandian_jingban"], household=hh, reason="窗口申请", chosen=["dibao"])
    assert Application.objects.get(pk=s.opened[0]["application"]).status == "accepted"
    with pytest.raises(ValidationError):  # a grid worker only visits
        screening.screening_open(actor=users["heying_wangge"], household=hh, reason="x", chosen=["dibao"])


def test_draft_accepted_by_the_township_starts_the_time_limit(users, hh, monkeypatch):
    app = intake.application_draft(actor=users["heying_cun"], household=hh, reason="户主患病")
    assert app.deadline <= timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(ValidationError):  # the village cannot accept its own draft
        workflow.transition(actor=users["heying_cun"], application=app, action="accept_draft")
    with pytest.raises(ValidationError):  # another township cannot
        workflow.transition(actor=users["xitao_jingban"], application=app, action="accept_draft")
    later = timezone.localdate() + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda: later)
    workflow.transition(actor=users["zhandian_jingban"], application=app, action="accept_draft")
    app.refresh_from_db()
    assert app.status == "accepted" and app.accepted_on == later
    assert app.registered_by == users["zhandian_jingban"]
    assert app.deadline > later + dt.timedelta(days=25)
    assert [e.action for e in app.events.all()] == ["draft", "accept_draft"]


def test_draft_returned_needs_a_reason_and_frees_the_household(users, hh):
    app = intake.application_draft(actor=users["heying_cun"], household=hh, reason="户主患病")
    with pytest.raises(ValidationError, match="原因"):
        workflow.transition(actor=users["zhandian_jingban"], application=app, action="return_draft")
    workflow.transition(actor=users["zhandian_jingban"], application=app, action="return_draft",
                        reason="缺少收入证明，请补充后重新代办")
    app.refresh_from_db()
    assert app.status == "returned" and app.is_final
    intake.application_draft(actor=users["heying_cun"], household=hh, reason="补充收入证明后重新代办")


def test_only_village_staff_draft(users, hh):
    for who in ("zhandian_jingban", "heying_wangge", "wuzhi_minzheng"):
        with pytest.raises(ValidationError):
            intake.application_draft(actor=users[who], household=hh, reason="x")
    seed_standards()
    other = poor_household(village="410823101201")
    with pytest.raises(ValidationError, match="本村"):
        intake.application_draft(actor=users["heying_cun"], household=other, reason="x")


def test_refused_intake_is_a_record_with_notice_counted_and_sampled(users, hh):
    draft = intake.application_draft(actor=users["heying_cun"], household=hh, reason="户主患病")
    with pytest.raises(ValidationError, match="原因"):
        workflow.transition(actor=users["zhandian_jingban"], application=draft, action="refuse_intake", reason=" ")
    workflow.transition(actor=users["zhandian_jingban"], application=draft, action="refuse_intake",
                        reason="申请人户籍不在本镇")
    desk = intake.intake_refuse(actor=users["zhandian_jingban"], household=hh, kind="tekun",
                                reason="家庭成员有劳动能力，不属于特困供养对象")
    for app in (draft, desk):
        app.refresh_from_db()
        assert app.status == "not_accepted" and app.decided_on == timezone.localdate()
        notice = Notice.objects.get(application=app)
        assert notice.kind == "not_accepted" and "不受" in notice.number
    with pytest.raises(ValidationError, match="理由"):
        intake.intake_refuse(actor=users["zhandian_jingban"], household=hh, reason="不行")
    with pytest.raises(ValidationError):
        intake.intake_refuse(actor=users["heying_cun"], household=hh, reason="村里不能作出不予受理决定")
    counts = intake.refusal_counts(user=users["wuzhi_minzheng"])
    assert counts == [{"township": "410823101", "name": counts[0]["name"], "count": 2}]
    sampled = {d.application_id for d in population_for("410823", timezone.localdate())}
    assert {draft.pk, desk.pk} <= sampled


def test_notice_of_refused_intake_prints(client, users, hh):
    app = intake.intake_refuse(actor=users["zhandian_jingban"], household=hh, reason="申请人拒绝授权家庭经济状况核对")
    client.force_login(users["zhandian_jingban"])
    html = client.get(f"/notices/{app.notices.get().pk}/").content.decode()
    assert "不予受理通知书" in html and "申请人拒绝授权家庭经济状况核对" in html


def test_visit_cycles_per_group_and_overdue(users, hh):
    today = timezone.localdate()
    Entitlement.objects.create(household=hh, category="tekun_dispersed", persons_covered=1, monthly_amount="800.00",
                               start_month=today.replace(day=1), next_recheck=today, reason="test",
                               county_id=hh.county_id, township_id=hh.township_id, village_id=hh.village_id)
    services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today - dt.timedelta(days=31),
                          seen="本人")
    from cases.households.models import Household

    info = selectors.visits_due(user=users["heying_cun"], households=Household.objects.filter(pk=hh.pk))[hh.pk]
    assert (info["group"], info["cycle"], info["overdue"]) == ("tekun", 30, True)
    from core.params import parameter_write

    parameter_write(actor=users["shi_admin"], key="discovery.visit_days_tekun", value="60",
                    effective_from=today - dt.timedelta(days=40), reason="调整走访周期")
    params._local.clear()
    info = selectors.visits_due(user=users["heying_cun"], households=Household.objects.filter(pk=hh.pk))[hh.pk]
    assert (info["cycle"], info["overdue"]) == (60, False)


def test_scorecard_counts_per_village(users, hh):
    today = timezone.localdate()
    services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today, seen="户主",
                          situations=["illness"], note="患病")
    record = LedgerRecord.objects.get()
    screening.screening_open(actor=users["heying_cun"], household=hh, reason="患病", chosen=["dibao"], record=record)
    services.record_create(actor=users["heying_cun"], source="hotline", household=hh, need="x",
                           found_on=today - dt.timedelta(days=20), due_date=today - dt.timedelta(days=1))
    rows = {r["code"]: r for r in selectors.scorecard(user=users["wuzhi_minzheng"], month=today)}
    row = rows[HEYING]
    assert (row["visited"], row["applied"], row["overdue"]) == (1, 1, 1)
    assert row["found"] >= 1 and row["due"] == 0  # registered today: not yet due
    assert selectors.scorecard(user=users["xitao_jingban"], month=today) == []


def test_scorecard_due_visits_counted_in_sql_as_visits_due_decides(users, hh):
    """The scorecard counts the households due for a visit per village in one query; the counts are those of
    visits_due (group tekun > dibao > other, last visit or registration, each group's cycle) month by month."""
    from cases.households.models import Household

    today = timezone.localdate()
    others = [poor_household() for _ in range(4)]
    for i, h in enumerate([hh, *others]):
        Household.objects.filter(pk=h.pk).update(created_at=timezone.now() - dt.timedelta(days=20 + 35 * i))
    for h, cat in ((others[0], "tekun_dispersed"), (others[1], "dibao"), (others[2], "dibao")):
        Entitlement.objects.create(household=h, category=cat, persons_covered=1, monthly_amount="500.00",
                                   start_month=today.replace(day=1), next_recheck=today, reason="test",
                                   county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
    Entitlement.objects.create(household=others[2], category="tekun_dispersed", persons_covered=1,
                               monthly_amount="800.00", start_month=today.replace(day=1), next_recheck=today,
                               reason="test", county_id=hh.county_id, township_id=hh.township_id,
                               village_id=hh.village_id)
    services.visit_record(actor=users["heying_wangge"], household=others[1], visited_on=today - dt.timedelta(days=50),
                          seen="户主")
    user = users["wuzhi_minzheng"]
    households = Household.objects.restrict(user, "case.view")
    for months_back in range(0, 6):
        first = (today.replace(day=1) - dt.timedelta(days=31 * months_back)).replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        scoped = households.filter(created_at__date__lte=last)
        expected = sum(1 for info in selectors.visits_due(user=user, households=scoped, on=first).values()
                       if info["due"] <= last)
        assert selectors._visits_due_per_village(user, scoped, on=first, by=last).get(HEYING, 0) == expected


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
       b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def test_visit_photos_are_sealed_attachments_all_or_nothing(users, hh):
    from attachments.models import Attachment

    today = timezone.localdate()
    with pytest.raises(ValidationError, match="照片"):
        services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today, seen="户主",
                              photos=[("a.png", PNG), ("b.exe", b"MZ\x90\x00not an image")])
    assert Visit.objects.count() == 0 and Attachment.objects.count() == 0
    with pytest.raises(ValidationError, match="最多"):
        services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today, seen="户主",
                              photos=[("a.png", PNG)] * 6)
    visit = services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=today, seen="户主",
                                  photos=[("门口.png", PNG)])
    att = Attachment.objects.get()
    assert att.object_id == visit.pk and att.doc_type == "visit_photo" and att.village_id == hh.village_id


def test_visit_page_with_a_photo_and_a_bad_one(client, users, hh):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["heying_wangge"])
    url = f"/discovery/visits/new/?household={hh.pk}"
    data = {"household": hh.pk, "visited_on": timezone.localdate().isoformat(), "seen": "户主本人",
            "situations": ["illness"], "note": "户主住院"}
    bad = client.post(url, {**data, "photos": [SimpleUploadedFile("x.txt", b"hello", "text/plain")]})
    assert bad.status_code == 200 and "只能上传" in bad.content.decode() and "户主住院" in bad.content.decode()
    assert Visit.objects.count() == 0
    ok = client.post(url, {**data, "photos": [SimpleUploadedFile("p.png", PNG, "image/png")]})
    assert ok.status_code == 302 and "/discovery/ledger/" in ok["Location"]
    page = client.get(ok["Location"]).content.decode()
    assert "走访照片" in page


def test_scorecard_page_city_chooses_a_township_county_sees_all_or_one(users, hh, client):
    """The city's 2,000 villages are not computed on every visit: the city picks a township first; a county sees all
    its villages or one township's; a township outside the reach is ignored, never shown."""
    services.visit_record(actor=users["heying_wangge"], household=hh, visited_on=timezone.localdate(), seen="户主",
                          situations=["illness"], note="患病")
    client.force_login(users["shi_admin"])
    page = client.get("/discovery/scorecard/").content.decode()
    assert "请先选择乡镇（街道）" in page and "何营东村" not in page
    assert '<option value="410823101">' in page and '<option value="410825101">' in page
    page = client.get("/discovery/scorecard/?township=410823101").content.decode()
    assert "何营东村" in page and "请先选择" not in page
    client.force_login(users["wuzhi_minzheng"])
    page = client.get("/discovery/scorecard/").content.decode()
    assert "何营东村" in page and '<option value="410825101">' not in page  # 温县 is not this county's
    page = client.get("/discovery/scorecard/?township=410825101").content.decode()
    assert "何营东村" in page, "a township out of reach falls back to the whole county"
    page = client.get("/discovery/scorecard/?township=410823102").content.decode()
    assert "何营东村" not in page and "本月没有数据" in page
    client.force_login(users["shi_admin"])
    assert "请先选择乡镇（街道）" in client.get(reverse("discovery:board")).content.decode()
    assert "何营东村" in client.get(reverse("discovery:board") + "?township=410823101").content.decode()

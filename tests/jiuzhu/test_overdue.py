"""Issue #8 item 4: the overdue board (逾期事项) — every time limit in the user's region, scoped, no N+1."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Complaint, SpotCheck, SpotCheckItem
from cases.models import Application, Entitlement, Notice, Recheck, TemporaryAid
from core.models import Region
from jiuzhu import overdue
from monitoring.models import Clue, ComparisonRun
from tests.factories import HouseholdFactory, PersonFactory

ZHANDIAN_VILLAGE = "410823101200"
WENXIAN_VILLAGE = "410825101201"


def _village(township):
    return Region.objects.filter(parent_id=township).order_by("code").values_list("code", flat=True).first()


def _place(obj, h):
    obj.county_id, obj.township_id, obj.village_id = h.county_id, h.township_id, h.village_id
    return obj


def make_everything(users, village, *, days_over=3):
    """One overdue item of every kind in `village`'s township."""
    today = timezone.localdate()
    due = today - dt.timedelta(days=days_over)
    h = HouseholdFactory(village=village)
    person = PersonFactory(household=h)
    actor = users["zhandian_jingban"]
    app = _place(Application(kind="dibao", household=h, handling_township_id=h.township_id,
                             handling_county_id=h.county_id, reason="生活困难", accepted_on=due - dt.timedelta(30),
                             deadline=due, registered_by=actor, status=Application.Status.INVESTIGATING), h)
    app.save()
    ent = _place(Entitlement(household=h, category="dibao", persons_covered=1, monthly_amount=Decimal("300.00"),
                             start_month=today.replace(day=1)), h)
    ent.save()
    _place(Notice(household=h, entitlement=ent, kind="termination", category="低保", issuer_name="某镇人民政府",
                  addressee=h.head_name, decided_on=due, due_by=due, reasons="死亡"), h).save()
    _place(Recheck(entitlement=ent, household=h, month=today.replace(day=1), due_on=due), h).save()
    _place(TemporaryAid(household=h, aid_type="emergency", track="fast", cause="火灾",
                        handling_township_id=h.township_id, amount=Decimal("500.00"), granted_by=actor,
                        status=TemporaryAid.Status.PAID_PENDING_PAPERWORK, paperwork_due=due), h).save()
    run = ComparisonRun.objects.create(county_id=h.county_id, source="death", period=today.replace(day=1),
                                       file_name="x.xlsx", file_sha256="0" * 64, file_cipher=b"",
                                       uploaded_by=users["wuzhi_minzheng"])
    _place(Clue(run=run, source="death", kind="death", fact_key=f"d{h.pk}", person=person, household=h,
                summary="殡葬数据显示死亡", due_date=due), h).save()
    sc, _ = SpotCheck.objects.get_or_create(county_id=h.county_id, month=today.replace(day=1), defaults=dict(
        seed=1, ratio=Decimal("0.30"), relative_ratio=Decimal("0.60"), population=1,
        created_by=users["wuzhi_choucha"]))
    SpotCheckItem.objects.create(spot_check=sc, application=app, county_id=h.county_id, township_id=h.township_id,
                                 stratum="general", decision="confirmed", finding="wrong", finding_reason="收入漏算",
                                 answer_due=due)
    Complaint.objects.create(number=f"X{h.pk}", source="hotline", complainant_name="张三", category="other",
                             summary="反映待遇问题", content="……", county_id=h.county_id, township_id=h.township_id,
                             due_on=due, created_by=users["wuzhi_minzheng"])
    return h


KINDS = {"applications", "notices", "temporary_aid", "rechecks", "clues", "spotchecks", "complaints"}


def _counts(board):
    return {s.key: (s.overdue, len(s.items)) for s in board["sections"]}


@pytest.mark.django_db
def test_overdue_board_lists_every_time_limited_kind_for_the_township(users):
    """#8-4: applications, notices, clues, 先行救助 paperwork, spot-check answers, complaints and re-checks."""
    make_everything(users, ZHANDIAN_VILLAGE)
    board = overdue.board(user=users["zhandian_jingban"])
    counts = _counts(board)
    for key in KINDS:
        assert counts[key] == (1, 1), key
    assert [p["code"] for p in board["places"]] == ["410823101"]
    assert board["places"][0]["overdue"] == len(KINDS)
    assert all(i.state == "overdue" for s in board["sections"] for i in s.items)


@pytest.mark.django_db
def test_overdue_board_nearly_due_is_near_and_far_future_is_absent(users):
    """#8-4 '或临近期限': due today is 'near'; due in two months is not listed at all."""
    h = make_everything(users, ZHANDIAN_VILLAGE, days_over=0)
    board = overdue.board(user=users["zhandian_jingban"])
    apps = next(s for s in board["sections"] if s.key == "applications")
    assert (apps.overdue, apps.near) == (0, 1) and apps.items[0].state == "near"
    Application.objects.filter(household=h).update(deadline=timezone.localdate() + dt.timedelta(days=60))
    apps = next(s for s in overdue.board(user=users["zhandian_jingban"])["sections"] if s.key == "applications")
    assert (apps.overdue, apps.near, apps.items) == (0, 0, [])


@pytest.mark.django_db
def test_overdue_board_scope_other_county_sees_nothing(users):
    """Scope: 温县 officer sees nothing of 武陟; 武陟 sees per township; the city sees per county."""
    make_everything(users, ZHANDIAN_VILLAGE)
    other = overdue.board(user=users["wenxian_minzheng"])
    assert all(not s.items and not s.counts for s in other["sections"] if s.key != "payments")
    # the payment cycle's own deadlines are the county's own, never another county's
    payments = next(s for s in other["sections"] if s.key == "payments")
    assert all(i.who == "温县" for i in payments.items)
    assert {p["code"] for p in other["places"]} <= {overdue.COUNTY_LEVEL}
    # a township next door sees nothing of 詹店
    xitao = overdue.board(user=users["xitao_jingban"])
    assert all(not s.items for s in xitao["sections"])
    county = overdue.board(user=users["wuzhi_minzheng"])
    assert "410823101" in [p["code"] for p in county["places"]]
    city = overdue.board(user=users["shi_admin"])
    assert "410823" in [p["code"] for p in city["places"]]
    assert not any(len(p["code"]) == 9 for p in city["places"])  # no townships on the city page


@pytest.mark.django_db
def test_overdue_page_out_of_scope_and_no_role_is_404(client, users):
    """Scope: the page shows only the user's region; a role with none of the actions gets 404."""
    make_everything(users, ZHANDIAN_VILLAGE)
    client.force_login(users["wenxian_minzheng"])
    body = client.get(reverse("overdue")).content.decode()
    assert "詹店" not in body and "反映待遇问题" not in body
    client.force_login(users["shi_anquan"])
    assert client.get(reverse("overdue")).status_code == 404
    client.force_login(users["zhandian_jingban"])
    body = client.get(reverse("overdue")).content.decode()
    assert "逾期事项" in body and "反映待遇问题" in body and "超期3天" in body


@pytest.mark.django_db
def test_overdue_board_query_count_does_not_grow_with_rows(users, django_assert_max_num_queries, client):
    """No N+1: the page's queries stay the same with one or five townships' worth of overdue items."""
    make_everything(users, ZHANDIAN_VILLAGE)
    client.force_login(users["wuzhi_minzheng"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("overdue"))  # warm caches (region names, params)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("overdue")).status_code == 200
    for township in ("410823102", "410823001", "410823002", "410823003"):
        make_everything(users, _village(township))
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(reverse("overdue")).content.decode()
    assert body.count("反映待遇问题") == 5

"""§5 县级抽查: ≥30 % of each township's decisions (rounded up, refusals included), ≥60 % of relative cases,
random but reproducible, findings per case, township answers, county closes."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit import services, spotchecks
from audit.models import SpotCheck, SpotCheckItem, StaffMember
from audit.spotchecks import Decision, ceil_ratio, draw
from cases.models import Application, Entitlement
from core.models import Region
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db
MONTH = dt.date(2026, 10, 1)
VILLAGES = {"410823101": "410823101200", "410823102": "410823102200"}


def _decision(users, township="410823101", status="confirmed", day=15, person=None):
    person = person or PersonFactory(household__village=VILLAGES[township])
    h = person.household
    ent = None
    if status == "confirmed":
        ent = Entitlement.objects.create(household=h, category="dibao", persons_covered=1, monthly_amount="300.00",
                                         start_month=dt.date(2026, 11, 1), county_id=h.county_id,
                                         township_id=h.township_id, village_id=h.village_id)
    return Application.objects.create(entitlement=ent,
        kind="dibao", household=h, handling_township_id=township, handling_county_id=township[:6],
        reason="申请", accepted_on=MONTH, deadline=MONTH + dt.timedelta(days=35), status=status,
        decided_on=MONTH.replace(day=day), registered_by=users["zhandian_jingban"],
        county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)


@pytest.mark.parametrize("n,expected", [(0, 0), (1, 1), (2, 1), (3, 1), (4, 2), (10, 3), (11, 4)])
def test_thirty_percent_rounded_up(n, expected):
    assert ceil_ratio(n, Decimal("0.30")) == expected


def test_draw_meets_each_township_ratio_with_small_townships():
    """Townships with 1, 2 and 3 decisions each get at least one case; a larger one gets ceil(30 %)."""
    pop = ([Decision(1, "A", False)] + [Decision(i, "B", False) for i in (2, 3)]
           + [Decision(i, "C", False) for i in (4, 5, 6)] + [Decision(i, "D", False) for i in range(7, 17)])
    chosen = draw(pop, ratio=Decimal("0.30"), relative_ratio=Decimal("0.60"), seed=99)
    per = {t: sum(1 for d in pop if d.township == t and d.application_id in chosen) for t in "ABCD"}
    assert per == {"A": 1, "B": 1, "C": 1, "D": 3}


def test_relative_stratum_at_least_sixty_percent_and_counts_toward_township():
    pop = [Decision(i, "A", i <= 5) for i in range(1, 11)]  # 5 relative cases
    chosen = draw(pop, ratio=Decimal("0.30"), relative_ratio=Decimal("0.60"), seed=7)
    relative = [a for a, s in chosen.items() if s == "relative"]
    assert len(relative) == 3 and all(a <= 5 for a in relative)
    assert len(chosen) == 3  # the township's 30 % (3 of 10) is already met by the relative draws


def test_draw_is_reproducible_and_seed_dependent():
    pop = [Decision(i, "AB"[i % 2], i % 7 == 0) for i in range(1, 60)]
    kw = dict(ratio=Decimal("0.30"), relative_ratio=Decimal("0.60"))
    assert draw(pop, seed=123, **kw) == draw(list(reversed(pop)), seed=123, **kw)
    assert any(draw(pop, seed=s, **kw) != draw(pop, seed=123, **kw) for s in range(124, 130))


def test_open_includes_refusals_and_relatives_and_redraw_matches(users):
    for _ in range(4):
        _decision(users)
    refused = [_decision(users, status="refused") for _ in range(3)]
    _decision(users, township="410823102")
    outside = _decision(users)
    Application.objects.filter(pk=outside.pk).update(decided_on=dt.date(2026, 11, 2))  # another month
    relative_person = PersonFactory(household__village="410823101200")
    rel_app = _decision(users, person=relative_person)
    staff = services.staff_register(actor=users["wuzhi_minzheng"], name="刘洋", id_number=make_id(), kind="township",
                                    workplace="詹店镇", region=Region.objects.get(code="410823101"))
    services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=relative_person.name,
                          id_number=relative_person.reveal_id_number(), relation="sibling")
    pop = spotchecks.population_for("410823", MONTH)
    assert len(pop) == 9 and {d.application_id for d in pop} >= {r.pk for r in refused}
    assert [d.application_id for d in pop if d.relative] == [rel_app.pk]
    sc = spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"),
                                   month=MONTH, seed=42)
    items = dict(sc.items.values_list("application_id", "stratum"))
    assert items[rel_app.pk] == "relative"  # 60 % of 1 rounds up to 1
    rows = {r["township"]: r for r in spotchecks.ratios(sc)}
    assert rows["詹店镇"]["sampled"] >= 3 and rows["西陶镇"]["sampled"] == 1
    assert all(r["met"] for r in rows.values() if r["met"] is not None)
    assert spotchecks.redraw(sc)
    with pytest.raises(ValidationError, match="已经发起"):
        spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"), month=MONTH)
    assert StaffMember.objects.count() == 1


def test_only_reviewer_of_the_county_opens_and_empty_month_refused(users):
    _decision(users)
    with pytest.raises(ValidationError):
        spotchecks.spotcheck_open(actor=users["wuzhi_minzheng"], county=Region.objects.get(code="410823"),
                                  month=MONTH)
    with pytest.raises(ValidationError):
        spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410825"),
                                  month=MONTH)
    with pytest.raises(ValidationError, match="没有"):
        spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"),
                                  month=dt.date(2026, 9, 1))


def test_findings_answers_and_close(users):
    for _ in range(3):
        _decision(users)
    sc = spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"),
                                   month=MONTH, seed=1)
    item = sc.items.get()
    with pytest.raises(ValidationError, match="理由"):
        spotchecks.finding_record(actor=users["wuzhi_choucha"], item=item, finding="wrong")
    spotchecks.finding_record(actor=users["wuzhi_choucha"], item=item, finding="wrong", reason="收入核算漏计工资")
    with pytest.raises(ValidationError, match="未答复"):
        spotchecks.spotcheck_close(actor=users["wuzhi_choucha"], sc=sc, summary="x")
    with pytest.raises(ValidationError):
        spotchecks.answer_record(actor=users["xitao_jingban"], item=item, answer="已重新核算并调整")
    spotchecks.answer_record(actor=users["zhandian_jingban"], item=item, answer="已重新核算并调整金额")
    spotchecks.spotcheck_close(actor=users["wuzhi_choucha"], sc=sc, summary="发现1件问题，已整改")
    sc.refresh_from_db()
    assert sc.status == SpotCheck.Status.CLOSED
    with pytest.raises(ValidationError):
        spotchecks.finding_record(actor=users["wuzhi_choucha"], item=item, finding="correct")


def test_relative_case_needs_the_county_home_visit(users):
    person = PersonFactory(household__village="410823101200")
    _decision(users, person=person)
    staff = services.staff_register(actor=users["wuzhi_minzheng"], name="杨丽", id_number=make_id(),
                                    kind="village_cadre", workplace="村委", region=Region.objects.get(code="410823101200"))
    services.relative_add(actor=users["wuzhi_minzheng"], staff=staff, name=person.name,
                          id_number=person.reveal_id_number(), relation="parent")
    sc = spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"), month=MONTH)
    item = sc.items.get()
    assert item.stratum == SpotCheckItem.Stratum.RELATIVE
    with pytest.raises(ValidationError, match="入户"):
        spotchecks.finding_record(actor=users["wuzhi_choucha"], item=item, finding="correct")
    spotchecks.finding_record(actor=users["wuzhi_choucha"], item=item, finding="correct", home_visit="入户核实无误")


def test_pages_scope(client, users):
    _decision(users)
    _decision(users, township="410823102")
    sc = spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"), month=MONTH)
    zd_item = sc.items.get(township_id="410823101")
    client.force_login(users["wuzhi_choucha"])
    assert client.get(f"/supervision/spot-checks/{sc.pk}/").status_code == 200
    resp = client.post(f"/supervision/spot-checks/items/{zd_item.pk}/", {"finding": "wrong", "finding_reason": "错"})
    assert resp.status_code == 302
    client.force_login(users["wenxian_minzheng"])
    assert client.get(f"/supervision/spot-checks/{sc.pk}/").status_code == 404
    client.force_login(users["xitao_jingban"])
    assert client.get(f"/supervision/spot-checks/items/{zd_item.pk}/").status_code == 404
    client.force_login(users["zhandian_jingban"])
    assert client.get(f"/supervision/spot-checks/items/{zd_item.pk}/").status_code == 200
    assert zd_item.application.household.head_name in client.get("/supervision/spot-checks/answers/").content.decode()
    client.force_login(users["wuzhi_minzheng"])  # county officer reads (supervision view), cannot record findings
    assert client.get(f"/supervision/spot-checks/{sc.pk}/").status_code == 200
    assert client.post(f"/supervision/spot-checks/items/{zd_item.pk}/",
                       {"finding": "correct"}).status_code == 404


def test_answers_page_query_count_does_not_grow_with_items(client, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(7):
        _decision(users)
    sc = spotchecks.spotcheck_open(actor=users["wuzhi_choucha"], county=Region.objects.get(code="410823"),
                                   month=MONTH, seed=3)
    first, *rest = sc.items.all()
    assert rest
    client.force_login(users["zhandian_jingban"])

    def page_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/supervision/spot-checks/answers/").status_code == 200
        return len(ctx.captured_queries)

    spotchecks.finding_record(actor=users["wuzhi_choucha"], item=first, finding="wrong", reason="漏计收入")
    page_queries()  # the first request of a session warms caches
    one = page_queries()
    for item in rest:
        spotchecks.finding_record(actor=users["wuzhi_choucha"], item=item, finding="reinvestigate", reason="需入户")
    assert page_queries() == one

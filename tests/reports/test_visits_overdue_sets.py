"""visits_overdue reads sets of households instead of a look-up per household (issue #22: 4-11 s for the city):
the same households as the former per-household annotations, for every group, visit history and day."""
import datetime as dt

import pytest
from django.db.models import Exists, OuterRef, Q, Subquery

from cases.models import Entitlement, Household
from core.indicators import Ask
from discovery import indicators
from discovery.models import Visit
from discovery.selectors import visit_cycle_days, visits_due
from reports import selectors
from tests.factories import PersonFactory
from tests.reports.test_indicators import HEYING, WENXIAN_VILLAGE, entitled, tz

pytestmark = pytest.mark.django_db


def former(ask):
    """The computation before issue #22's change, verbatim."""
    on = ask.as_of
    in_force = Entitlement.objects.in_force().filter(household_id=OuterRef("pk"))
    last = (Visit.objects.filter(household_id=OuterRef("pk"), visited_on__lte=on)
            .order_by("-visited_on").values("visited_on")[:1])
    qs = ask.place(Household.objects.restrict(ask.user, indicators.V).filter(created_at__date__lte=on)).annotate(
        last_visit=Subquery(last), is_tekun=Exists(in_force.filter(category="tekun_dispersed")),
        is_dibao=Exists(in_force.filter(category="dibao")))

    def late(group):
        cutoff = on - dt.timedelta(days=visit_cycle_days(group, on))
        return Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True, created_at__date__lt=cutoff)

    return qs.filter((Q(is_tekun=True) & late("tekun")) | (Q(is_tekun=False, is_dibao=True) & late("dibao"))
                     | (Q(is_tekun=False, is_dibao=False) & late("other")))


@pytest.fixture
def households(users):
    """Every group (特困分散 + 低保 too, 低保, 特困集中 only, none, an ended 低保) × registration date × visits."""
    made = []
    kinds = [("tekun_dispersed", "dibao"), ("dibao",), ("tekun_central",), (), ("ended",)]
    created = [dt.date(2025, 1, 10), dt.date(2026, 8, 20), dt.date(2026, 11, 25)]
    visit_sets = [(), (dt.date(2026, 6, 1),), (dt.date(2026, 9, 20), dt.date(2026, 3, 1)), (dt.date(2026, 12, 20),)]
    for village in (HEYING, WENXIAN_VILLAGE):
        for kind in kinds:
            for day in created:
                for visits in visit_sets:
                    if kind:
                        head, ent = entitled(village=village, category="dibao" if kind == ("ended",) else kind[0])
                        if kind == ("ended",):
                            Entitlement.objects.filter(pk=ent.pk).update(status="ended")
                        for extra in kind[1:]:
                            Entitlement.objects.create(household=head.household, category=extra, persons_covered=1,
                                                       monthly_amount=ent.monthly_amount, start_month=ent.start_month,
                                                       county_id=ent.county_id, township_id=ent.township_id,
                                                       village_id=ent.village_id)
                        h = head.household
                    else:
                        h = PersonFactory(household__village=village).household
                    Household.objects.filter(pk=h.pk).update(created_at=tz(day))
                    for v in visits:
                        Visit.objects.create(household=h, visited_on=v, visitor=users["zhandian_jingban"], seen="户主",
                                             county_id=h.county_id, township_id=h.township_id, village_id=h.village_id)
                    made.append(h.pk)
    return made


@pytest.mark.parametrize("username", ["shi_admin", "wuzhi_minzheng", "zhandian_jingban"])
@pytest.mark.parametrize("month,today", [(dt.date(2026, 11, 1), dt.date(2026, 12, 3)),
                                         (dt.date(2026, 9, 1), dt.date(2026, 12, 3)),
                                         (dt.date(2026, 12, 1), dt.date(2026, 12, 25))])
def test_same_households_as_the_former_lookups(users, households, username, month, today):
    user = users[username]
    ask = Ask(user=user, region=selectors.home_region(user), month=month, today=today)
    new = indicators.visits_overdue(ask)
    expected = set(former(ask).values_list("pk", flat=True))
    assert set(new.values_list("pk", flat=True)) == expected
    assert new.count() == len(expected)
    assert expected  # the data has late households in every scope asked
    # the same rule as the village board's (discovery.selectors.visits_due) and so the scorecard's due_sql
    homes = ask.place(Household.objects.restrict(user, indicators.V).filter(created_at__date__lte=ask.as_of))
    board = {hid for hid, info in visits_due(user=user, households=homes, on=ask.as_of).items() if info["overdue"]}
    assert board == expected
    row = {r.pk: (r.last_visit, r.is_tekun, r.is_dibao) for r in new}
    assert row == {r.pk: (r.last_visit, r.is_tekun, r.is_dibao) for r in former(ask)}

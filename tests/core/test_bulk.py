"""core.bulk.insert: the COPY path used by comparison runs writes exactly what bulk_create would."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core import bulk
from monitoring import services
from monitoring.models import Clue, RunIssue
from tests.monitoring.helpers import csv_bytes, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(users):
    data = csv_bytes([["姓名", "身份证号码"], ["某某", "11010519491231002X"]])
    return services.run_create(actor=users["wuzhi_minzheng"], source="vehicle", file_name="车辆.csv", data=data,
                               enqueue=False)


def test_insert_keeps_text_with_tabs_newlines_backslashes_and_unicode(run):
    messages = ["普通说明", "制表\t符", "换\n行", "反斜杠\\N 不是空值", "回车\r", "", "引号\"'，全角　空格"]
    bulk.insert(RunIssue, [RunIssue(run=run, row_no=i + 3, kind=RunIssue.Kind.INVALID, id_masked="410823****",
                                    message=m) for i, m in enumerate(messages)])
    stored = list(RunIssue.objects.filter(run=run).order_by("row_no").values_list("row_no", "message"))
    assert stored == [(i + 3, m) for i, m in enumerate(messages)]


def test_insert_with_ignore_conflicts_skips_existing_natural_keys_and_keeps_values(run):
    """Dates, Decimal amounts, NULLs, aware datetimes and defaults survive; a second insert of the same
    (kind, person, fact_key) adds nothing and leaves the first row as it was (idempotent reruns)."""
    household, head, _ = enrolled("dibao")
    now = timezone.now()

    def clue(summary, amount):
        return Clue(run=run, source="vehicle", kind=Clue.Kind.PROPERTY, fact_key="vehicle:豫H12345",
                    person=head, household=household, county_id=household.county_id,
                    township_id=household.township_id, village_id=household.village_id, summary=summary,
                    event_date=dt.date(2025, 6, 1), amount=amount, due_date=dt.date(2026, 12, 20), created_at=now)

    bulk.insert(Clue, [clue("第一次", Decimal("12.50"))], ignore_conflicts=True)
    bulk.insert(Clue, [clue("第二次", Decimal("99.00")),
                       Clue(**{**{f: getattr(clue("新事实", None), f) for f in ("run", "source", "kind", "person",
                            "household", "county_id", "township_id", "village_id", "summary", "due_date")},
                            "fact_key": "vehicle:豫H54321"})], ignore_conflicts=True)
    rows = list(Clue.objects.order_by("fact_key").values_list("fact_key", "summary", "amount", "event_date",
                                                             "status", "hold_id", "created_at"))
    assert [r[:6] for r in rows] == [
        ("vehicle:豫H12345", "第一次", Decimal("12.50"), dt.date(2025, 6, 1), "open", None),
        ("vehicle:豫H54321", "新事实", None, None, "open", None)]
    assert rows[0][6] == now


def test_insert_refuses_naive_datetimes(run):
    with pytest.raises(ValueError):
        bulk._text(dt.datetime(2026, 1, 1))


def test_set_column_sets_each_row_to_its_own_value(run):
    """The death-hold link of many clues is set in one statement; each clue gets its own hold."""
    from cases.models import PaymentHold

    made = []
    for i in range(3):
        household, head, _ = enrolled("dibao")
        clue = Clue.objects.create(run=run, source="death_police", kind=Clue.Kind.DEATH, person=head,
                                   household=household, county_id=household.county_id,
                                   township_id=household.township_id, village_id=household.village_id,
                                   summary=f"死亡{i}", due_date=dt.date(2026, 12, 20))
        hold = PaymentHold.objects.create(household=household, person=head, kind="death", reason="待核实",
                                          county_id=household.county_id, township_id=household.township_id,
                                          village_id=household.village_id)
        made.append((clue, hold))
    bulk.set_column(Clue, "hold", [(clue.pk, hold.pk) for clue, hold in made[:2]])
    assert [Clue.objects.get(pk=c.pk).hold_id for c, _ in made] == [made[0][1].pk, made[1][1].pk, None]


def test_insert_rows_fills_left_out_fields_like_a_new_instance_and_refuses_missing_required(run):
    """Problem rows and clues are written from tuples: fields left out get the model default, "" or NULL;
    a required field left out is refused before anything is written."""
    household, head, _ = enrolled("dibao")
    fields = ["run_id", "source", "kind", "fact_key", "person_id", "household_id", "county_id", "township_id",
              "village_id", "summary", "due_date"]
    row = (run.pk, "vehicle", "property", "vehicle:豫H1", head.pk, household.pk, household.county_id,
           household.township_id, household.village_id, "名下机动车", dt.date(2026, 12, 20))
    bulk.insert_rows(Clue, fields, [row, row], ignore_conflicts=True)
    clue = Clue.objects.get()
    assert (clue.status, clue.followup, clue.finding, clue.hold_id, clue.amount, clue.categories) == \
        ("open", "", "", None, None, "")
    assert abs((clue.created_at - timezone.now()).total_seconds()) < 60
    with pytest.raises(ValueError, match="due_date"):
        bulk.insert_rows(Clue, fields[:-1], [row[:-1]])
    with pytest.raises(ValueError, match="nonsense"):
        bulk.insert_rows(RunIssue, ["run_id", "nonsense"], [(run.pk, 1)])
    assert Clue.objects.count() == 1 and not RunIssue.objects.exists()


def test_rising_uids_are_valid_version_7_uuids_in_rising_order_and_unique():
    import uuid

    first = list(bulk.rising_uids(70_000, chunk=3_000))  # several chunks, past 2**16 positions
    second = list(bulk.rising_uids(5))
    assert first == sorted(first) and len(set(first + second)) == 70_005
    parsed = [uuid.UUID(u) for u in first[::997] + second]
    assert {(u.version, u.variant) for u in parsed} == {(7, uuid.RFC_4122)}
    assert [str(u) for u in parsed] == first[::997] + second  # canonical text, as the AAD binds it
    assert second[0][:13] >= first[-1][:13]  # a later batch starts at its own (later or same) millisecond
    with pytest.raises(ValueError):
        next(bulk.rising_uids(1 << 20))

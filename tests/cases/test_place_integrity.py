"""A household's township and county are its village's; a member sits where its household sits (cases 0015).

The database holds this itself (a check constraint everywhere, the member's composite foreign key to its household
on PostgreSQL), so a bulk import pays one foreign-key check per row instead of three or four and still cannot write
a member into another village than its household."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cases.models import Entitlement, Household, Person
from core.models import Region
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

def postgres_only(test):
    """The composite foreign key exists on PostgreSQL only (SQLite cannot add one to an existing table)."""
    return pytest.mark.postgres(pytest.mark.skipif("connection.vendor != 'postgresql'",
                                                   reason="needs PostgreSQL (DATABASE_URL=postgres://…)")(test))


def _check_now():
    """Deferred foreign keys are checked at commit; check them at once (inside the test's transaction)."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _other_village(code: str) -> Region:
    """A village of the same county in another township."""
    return (Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=code[:6])
            .exclude(code__startswith=code[:9]).order_by("code").first())


def test_a_household_township_must_be_its_villages():
    household = HouseholdFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(township_id=_other_village(household.village_id).code[:9])


def test_model_validation_explains_a_place_that_does_not_fit_in_chinese():
    household = HouseholdFactory()
    household.township_id = _other_village(household.village_id).code[:9]
    with pytest.raises(ValidationError) as exc:
        household.full_clean(exclude=["created_by"])
    assert "乡镇、县（市、区）与所在村（社区）不一致" in str(exc.value)


def test_a_member_county_must_be_its_villages():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(county_id="410882")


def test_an_entitlement_township_must_be_its_villages():
    household = HouseholdFactory()
    other = _other_village(household.village_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entitlement.objects.create(household=household, category="dibao", persons_covered=1, monthly_amount="300.00",
                                   start_month="2026-01-01", county_id=household.county_id,
                                   township_id=other.code[:9], village_id=household.village_id)


@postgres_only
def test_a_member_cannot_sit_in_another_village_than_its_household():
    person = PersonFactory()
    other = _other_village(person.village_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(village_id=other.code, township_id=other.code[:9])
        _check_now()


@postgres_only
def test_a_member_of_a_household_that_does_not_exist_is_refused():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(household_id=person.household_id + 10_000_000)
        _check_now()


@postgres_only
def test_moving_a_household_in_the_database_moves_its_members():
    person = PersonFactory()
    other = _other_village(person.village_id)
    Household.objects.filter(pk=person.household_id).update(village_id=other.code, township_id=other.code[:9])
    _check_now()
    person.refresh_from_db()
    assert (person.village_id, person.township_id, person.county_id) == (other.code, other.code[:9], other.code[:6])


def test_every_table_without_township_and_county_keys_checks_them_against_the_village():
    """A BigPlaceMixin table has no foreign key on its township and county: without the check constraint
    they could name any region."""
    from django.apps import apps

    from core.models import BigPlaceMixin

    tables = [m for m in apps.get_models() if issubclass(m, BigPlaceMixin)]
    assert {m.__name__ for m in tables} >= {"Household", "Person", "Entitlement", "PayeeAccount"}
    for model in tables:
        checks = [c for c in model._meta.constraints if c.name.endswith("place_follows_village")]
        assert checks, f"{model.__name__} lacks place_follows_village"


def test_a_clue_township_must_be_its_villages(users):
    """Clues are written by the thousand by a comparison run: one region foreign key (the village) and the check."""
    from monitoring.models import Clue, ComparisonRun

    person = PersonFactory()
    run = ComparisonRun.objects.create(county_id=person.county_id, source="death_police", period="2026-10-01",
                                       file_name="f.xlsx", file_sha256="0" * 64, file_cipher=b"",
                                       uploaded_by=users["wuzhi_minzheng"])
    other = _other_village(person.village_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Clue.objects.create(run=run, source="death_police", kind="death", person=person,
                            household_id=person.household_id, county_id=person.county_id,
                            township_id=other.code[:9], village_id=person.village_id, summary="疑似死亡",
                            due_date="2026-11-01")


def test_a_payment_hold_township_must_be_its_villages():
    from cases.models import PaymentHold

    household = HouseholdFactory()
    other = _other_village(household.village_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentHold.objects.create(household=household, kind="death", reason="疑似死亡", county_id=household.county_id,
                                   township_id=other.code[:9], village_id=household.village_id)

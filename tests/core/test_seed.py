"""§8 demo data: seed_demo is idempotent, every demo user can log in, demo IDs are valid and fit the county."""
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from core import idnumbers
from demo.users import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"accounts", "cases", "funds", "monitoring", "audit", "core"}
            and m._meta.label not in {"core.AuditEvent"}}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (it is the slow part), inside a transaction rolled back at the end."""
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        first = _counts()
        call_command("seed_demo", stdout=out)
        yield first, _counts(), out.getvalue()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def test_seed_demo_twice_gives_same_counts(seeded):
    """§8: running seed_demo again changes nothing."""
    first, second, out = seeded
    assert first == second
    assert first["cases.Household"] >= 2000
    assert "演示数据已就绪" in out


def test_every_demo_user_logs_in(seeded, client):
    """§8: each demo user logs in with the demo password and reaches the home page."""
    for username, *_ in DEMO_USERS:
        client.logout()
        r = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, username
        assert client.get("/").status_code == 200, username


def test_demo_ids_are_valid_and_fit_the_county(seeded):
    """§8: demo IDs pass GB 11643, their area code is the household's county, birth date and sex agree."""
    from cases.models import Person

    people = list(Person.objects.order_by("?")[:400]) + list(Person.objects.filter(village_id="410823101200")[:50])
    for p in people:
        ident = idnumbers.parse(p.reveal_id_number())
        assert ident.area_code == p.county_id
        assert (ident.birth_date, ident.sex, ident.masked) == (p.birth_date, p.sex, p.id_masked)


def test_demo_users_scoped_households_exist(seeded):
    """§8: heying_cun, the 詹店镇/西陶镇/祥云镇 caseworkers all have households to work on."""
    from cases.models import Household

    assert Household.objects.filter(village_id="410823101200").count() >= 50
    for township in ("410823101", "410823102", "410825101"):
        assert Household.objects.filter(township_id=township).count() >= 300

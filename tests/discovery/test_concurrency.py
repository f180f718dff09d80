"""§7 on PostgreSQL: what must happen once holds under parallel requests — a household is in one grid, a
household has one open draft per kind, and a clue enters the ledger once."""
import pytest
from django.db import connection

from cases.dibao import intake
from cases.dibao.models import Application
from core.models import Region
from discovery import services
from discovery.models import GridMembership
from tests.threads import parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def hh(users):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL) for concurrent transactions")
    from tests.cases.dibao_helpers import poor_household, seed_standards

    seed_standards()
    return poor_household()


def test_parallel_moves_leave_one_current_grid(users, hh):
    village = Region.objects.get(code=hh.village_id)
    grids = [services.grid_create(actor=users["heying_cun"], village=village, name=f"第{i}网格", worker_name="甲")
             for i in range(4)]
    parallel(4, lambda i: services.household_assign(actor=users["heying_cun"], household=hh, grid=grids[i]))
    assert GridMembership.objects.filter(household=hh, ended_on__isnull=True).count() == 1


def test_parallel_drafts_open_one_application(users, hh):
    results = parallel(4, lambda i: intake.application_draft(actor=users["heying_cun"], household=hh,
                                                              reason=f"代办{i}"))
    assert sum(isinstance(r, Application) for r in results) == 1
    assert Application.objects.filter(household=hh, status="draft").count() == 1

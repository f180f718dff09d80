"""Demo applications are idempotent and cover every state; the beat schedules are registered."""
import datetime as dt
import io

import pytest

from cases.models import Application
from demo import applications as demo_applications
from demo import households as demo
from tests.cases.dibao_helpers import poor_household

pytestmark = pytest.mark.django_db


def test_demo_applications_every_state_and_idempotent(users):
    """§2 demo data: applications in every state, overdue ones included; seeding twice adds nothing."""
    demo.seed_standards()
    for _ in range(16):
        poor_household(village="410823101200")
    out = io.StringIO()
    demo_applications.seed(out)
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Application.Status.values)
    assert Application.objects.open().filter(deadline__lt=dt.date.today()).exists()  # an overdue open case
    count = Application.objects.count()
    demo_applications.seed(out)
    assert Application.objects.count() == count and "跳过" in out.getvalue()


def test_beat_schedules_registered():
    from core.schedules import all_schedules

    tasks = {spec["task"] for spec in all_schedules().values()}
    assert {"cases.tasks.recheck_list_month", "cases.tasks.phase_out_expire"} <= tasks

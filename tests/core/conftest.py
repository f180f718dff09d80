import datetime as dt
import shutil
from pathlib import Path

import pytest

from core import keys

TEST_KEYS = Path(__file__).resolve().parent.parent / "keys" / "test-keys.json"


@pytest.fixture
def keyfile(tmp_path, settings):
    """A writable copy of the fixed test keys (rotation adds versions to it)."""
    path = tmp_path / "keys.json"
    shutil.copy(TEST_KEYS, path)
    settings.JIUZHU_KEY_FILE = str(path)
    settings.JIUZHU_KEYS_JSON = ""
    keys.reset_keyring()
    yield path
    keys.reset_keyring()


@pytest.fixture
def seeded(users):
    """A few households registered through the services, with phones, adults and a child under 14."""
    from cases.households import services
    from core.models import Region
    from tests.factories import make_id

    village = Region.objects.get(code="410823101200")
    actor = users["heying_cun"]
    made = []
    for i in range(4):
        head = make_id("410823", dt.date(1960 + i, 3, 9), "M")
        spouse = make_id("410823", dt.date(1962 + i, 7, 1), "F")
        child = make_id("410823", dt.date(2018 + i, 1, 5), "M")
        phone = f"1380391{i:04d}"
        household = services.household_create(
            actor=actor, village=village, address=f"何营东村{i}组", hukou_type="rural", phone=phone,
            members=[services.MemberData(name=f"户主{i}", id_number=head, relationship="head"),
                     services.MemberData(name=f"配偶{i}", id_number=spouse, relationship="spouse"),
                     services.MemberData(name=f"孩子{i}", id_number=child, relationship="child")])
        made.append({"household": household, "ids": [head, spouse, child], "phone": phone})
    return made

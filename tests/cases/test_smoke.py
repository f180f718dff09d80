import pytest

from tests.factories import PersonFactory


@pytest.mark.django_db
def test_heying_staff_sees_own_village_household_and_not_another(client, users):
    """§0 scope: village staff reach their own village only; out of scope is 404."""
    own = PersonFactory(household__village="410823101200").household
    other = PersonFactory(household__village="410823101201").household
    client.force_login(users["heying_cun"])
    assert client.get(f"/households/{own.pk}/").status_code == 200
    assert client.get(f"/households/{other.pk}/").status_code == 404

"""seed_city (issue #2 item 8): city-scale synthetic data whose IDs are sealed exactly as the ORM path seals them.

Runs on SQLite (bulk_create fallback) and on PostgreSQL (COPY) — set DATABASE_URL to exercise COPY.
"""
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Entitlement, Household, Person
from core import idnumbers
from demo import citysim


def _seed(**kwargs):
    out = io.StringIO()
    call_command("seed_city", stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_city_ids_decrypt_to_valid_ids_found_by_blind_index():
    """#2.8 seed_city: every ID is SM4-sealed with the row's aad and blind-indexed; lookups find it."""
    _seed(persons=2000, workers=1)
    persons = Person.objects.filter(household__note=citysim.MARKER)
    assert 2000 <= persons.count() < 2010
    households = Household.objects.filter(note=citysim.MARKER)
    assert 2.2 < persons.count() / households.count() < 2.8
    assert households.values("county_id").distinct().count() == 11  # every county of the city
    sample = list(persons.order_by("?")[:60])
    for p in sample:
        assert p.aad("id_number") == f"{citysim.PERSON_AAD_PREFIX}{p.uid}"
        value = p.reveal_id_number()  # SM4-GCM with the row's aad: decrypts only on this row
        ident = idnumbers.parse(value)  # GB 11643 checksum, real birth date
        assert ident.area_code == p.county_id
        assert (ident.birth_date, ident.sex) == (p.birth_date, p.sex)
        assert p.id_masked == idnumbers.mask(value) and p.id_last4 == value[-4:]
        assert list(Person.objects.with_id_number(value.lower())) == [p]
    assert persons.values("id_index").distinct().count() == persons.count()


@pytest.mark.django_db
def test_seed_city_ciphertext_is_bound_to_its_row():
    """#3.1: a sealed ID copied onto another seeded row fails to decrypt instead of giving a wrong value."""
    from core.crypto import DecryptionError

    _seed(persons=300, workers=1)
    a, b = Person.objects.filter(household__note=citysim.MARKER)[:2]
    b.id_cipher = a.id_cipher
    with pytest.raises(DecryptionError):
        b.reveal_id_number()


@pytest.mark.django_db
def test_seed_city_entitlements_are_decimal_and_mixed():
    """#2.8: paid households (低保/特困 mix) with Decimal monthly amounts no lower than the 30-yuan floor."""
    _seed(persons=3000, workers=1)
    ents = Entitlement.objects.filter(reason="城市规模合成数据")
    households = Household.objects.filter(note=citysim.MARKER).count()
    assert 0.25 < ents.count() / households < 0.5
    cats = set(ents.values_list("category", flat=True))
    assert "dibao" in cats and cats & {"tekun_dispersed", "tekun_central"}
    for amount in ents.values_list("monthly_amount", flat=True)[:200]:
        assert isinstance(amount, Decimal) and amount >= Decimal("30.00")


@pytest.mark.django_db
def test_seed_city_is_idempotent_and_resets():
    """#2.8: a second run skips; --reset replaces the city data and nothing else."""
    from tests.factories import PersonFactory

    own = PersonFactory()
    _seed(persons=500, workers=1)
    n = Person.objects.count()
    assert "跳过" in _seed(persons=500, workers=1)
    assert Person.objects.count() == n
    _seed(persons=800, workers=1, reset=True)
    assert Person.objects.filter(household__note=citysim.MARKER).count() >= 800
    assert Person.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_seed_city_refuses_city_scale_on_sqlite():
    """#2.8: city scale needs PostgreSQL; the refusal says so in Chinese."""
    if connection.vendor == "postgresql":
        pytest.skip("only meaningful on SQLite")
    with pytest.raises(CommandError, match="需要 PostgreSQL"):
        _seed(persons=1_000_000)

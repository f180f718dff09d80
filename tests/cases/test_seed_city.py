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


def _job(persons: int) -> citysim.CountyJob:
    villages = [(f"410823101{i:03d}", "410823101", f"村{i}") for i in range(1, 8)]
    return citysim.CountyJob(county="410823", villages=villages, persons=persons, entitled_share=0.4,
                             first_household_id=1001, existing_ids=[], seed=7, now="2026-12-03T08:00:00+00:00",
                             key_version=1, plaintext=True)


def test_county_pieces_are_the_one_piece_build_cut_at_whole_households():
    """#22.3 at 10 million persons a county has ≈1.85 million: a worker builds it in pieces of about
    `chunk_persons` persons with one IdFactory, so IDs stay unique across pieces and the rows are the same."""
    whole = citysim.build_county(_job(3000))
    pieces = list(citysim.build_county_chunks(_job(3000), chunk_persons=400))
    assert len(pieces) >= 7
    assert all(len(p.persons) < 400 + 10 for p in pieces)  # a piece ends at the household that crosses the size
    persons = [row for p in pieces for row in p.persons]
    households = [row for p in pieces for row in p.households]
    ids = [row[4] for row in persons]  # plaintext=True: the ID itself stands in the index column
    assert ids == [row[4] for row in whole.persons] and len(set(ids)) == len(ids) >= 3000
    assert [h[0] for h in households] == list(range(1001, 1001 + len(households)))
    assert [p.last_household_id for p in pieces][-1] == whole.last_household_id == households[-1][0]
    assert [(h[14], h[13]) for h in households] == [(h[14], h[13]) for h in whole.households]  # same villages
    assert sum(len(p.entitlements) for p in pieces) == len(whole.entitlements)


def test_stream_counties_puts_pieces_then_done_and_reports_failures():
    """#22.3 the COPY path's worker: pieces through the (bounded) queue, then done; an error is sent, not lost."""
    import queue

    jobs, results = queue.Queue(), queue.Queue()
    for item in (_job(900), None):
        jobs.put(item)
    citysim.stream_counties(jobs, results, chunk_persons=300)
    messages = [results.get_nowait() for _ in range(results.qsize())]
    assert [m[0] for m in messages][-1] == "done" and {m[0] for m in messages[:-1]} == {"piece"}
    assert sum(m[1][2] for m in messages[:-1]) >= 900  # persons counted in each piece's buffers
    assert sum(m[1][6].count("\n") for m in messages[:-1]) == sum(m[1][2] for m in messages[:-1])
    bad = _job(100)
    bad.villages = []  # no village to put a household in
    jobs.put(bad)
    jobs.put(None)
    citysim.stream_counties(jobs, results, chunk_persons=300)
    kind, county, trace = results.get_nowait()
    assert (kind, county) == ("error", "410823") and "ZeroDivisionError" in trace


@pytest.mark.django_db
def test_seed_payees_in_slices_gives_every_paid_household_its_head_card(monkeypatch):
    """#22.3 at province scale the synthetic cards are registered in slices (no 1.5-million IN list)."""
    import random

    from demo import payments
    from funds.models import PayeeAccount

    _seed(persons=1200, workers=1)
    monkeypatch.setattr(payments, "PAYEE_SLICE", 7)
    paid = set(Entitlement.objects.in_force().filter(category__in=payments.PAID).values_list("household_id", flat=True))
    paid -= set(PayeeAccount.objects.filter(active=True).values_list("household_id", flat=True))
    assert len(paid) > 20
    made = payments.seed_payees(random.Random(1), missing_ratio=0.0)
    accounts = PayeeAccount.objects.filter(household_id__in=paid).select_related("person")
    assert made == len(paid) == accounts.count()
    assert all(a.person.relationship == "head" and a.person.household_id == a.household_id for a in accounts)

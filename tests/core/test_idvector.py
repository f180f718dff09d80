"""core.idvector judges a whole ID column in array operations; it must accept exactly what idnumbers.normalize
accepts unchanged (or with x → X), and nothing it refuses — else a wrong or impossible ID would be compared."""
import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core import idnumbers, idvector

TODAY = dt.date(2026, 12, 4)


def _per_row(value) -> bool:
    """What the per-row path says: accepted as it stands (a lower-case x aside)."""
    if value.__class__ is not str or len(value) != 18:
        return False
    try:
        return idnumbers.normalize(value, today=TODAY) == value.upper()
    except ValidationError:
        return False


def _with_check(first17: str) -> str:
    return first17 + idnumbers.check_digit(first17)


def _assert_same(values: list) -> None:
    ok, lower_x = idvector.accepted(values, TODAY)
    assert ok == [_per_row(v) for v in values], [v for v, a in zip(values, ok, strict=True) if a != _per_row(v)]
    assert lower_x == [i for i, v in enumerate(values) if ok[i] and v[17] == "x"]


EDGES = [
    _with_check("41082319491231002"),
    _with_check("41082320261204001"),  # born today
    _with_check("41082320261205001"),  # tomorrow
    _with_check("41082318791231001"),  # before 1880
    _with_check("41082318800101001"),
    _with_check("41082320000229001"),  # leap day of a leap century
    _with_check("41082319000229001"),  # 1900 was no leap year
    _with_check("41082320240229001"),
    _with_check("41082320230229001"),
    _with_check("41082319990431001"),  # April has 30 days
    _with_check("41082319990001001"),  # month 00
    _with_check("41082319991301001"),  # month 13
    _with_check("41082319990100001"),  # day 00
    _with_check("41082319990132001"),  # day 32
    _with_check("41082399990101001"),  # far future
    "11010519491231002X", "11010519491231002x", "110105194912310021",
    "11010519491231002A", "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
    "٤١٠٨٢٣١٩٤٩١٢٣١٠٠٢٣",  # Arabic-Indic digits: isdigit() says yes, ASCII does not
    "41082319491231002\x00", "4108231949123100\x002", "41082319491231002X\x00", "\x0041082319491231002",
    " 11010519491231002X", "11010519491231002X ", "1101051949123100 2X",
    "", "x", "110105491231002", "4.10823E+17", "41082319491231002²",
]


def test_edges_are_judged_as_the_per_row_check_judges_them():
    _assert_same(EDGES)


def test_values_that_are_not_text_are_left_to_the_per_row_path():
    values = [410823194912310023, 410823194912310023.0, None, True, dt.date(2026, 1, 1), "11010519491231002X"]
    ok, _ = idvector.accepted(values, TODAY)
    assert ok == [False, False, False, False, False, True]
    assert idvector.accepted([], TODAY) == ([], [])


def test_random_ids_with_wrong_check_digits_and_dates():
    rng = random.Random(1)
    values = []
    for _ in range(5000):
        first17 = (f"41{rng.randrange(0, 9999):04d}{rng.randrange(1870, 2030)}{rng.randrange(0, 14):02d}"
                   f"{rng.randrange(0, 33):02d}{rng.randrange(0, 1000):03d}")
        check = idnumbers.check_digit(first17) if rng.random() < 0.7 else rng.choice("0123456789Xx")
        values.append(first17 + check)
    _assert_same(values)
    assert sum(idvector.accepted(values, TODAY)[0]) > 1000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet=st.sampled_from("0123456789Xx ٤١²\x00Ａ１-."), min_size=16, max_size=20),
    st.builds(lambda digits: _with_check(digits), st.text(alphabet="0123456789", min_size=17, max_size=17)),
    st.text(max_size=20),
), max_size=40))
def test_any_column_is_judged_as_the_per_row_check_judges_it(values):
    _assert_same(values)


@pytest.mark.parametrize("batch", [3, 7, 8192])
def test_validate_finds_repeats_across_batches_in_row_order(batch, monkeypatch):
    """Repeats inside a batch, across batches, after a refusal and after a trimmed or lower-case form of the same
    ID: each later row is a problem row naming the first, in row order, whatever the batch size."""
    from monitoring import matching
    from monitoring.sources import SOURCES

    monkeypatch.setattr(matching, "BATCH_ROWS", batch)
    a, b, c = (_with_check(f"4108231949123100{i}") for i in (1, 2, 3))
    raws = [a, "bad", b, f" {a} ", c, a.lower(), "", b, c, "110105491231002", a]
    rows = [["某某", raw] if raw else ["", ""] for raw in raws]  # row 8 is a blank line, not data
    checked = matching.validate(SOURCES["death_police"], rows, {"name": 0, "id": 1}, 1)
    index = idnumbers.indexer()
    assert checked.staged == [(2, index(a)), (4, index(b)), (6, index(c)),
                              (11, index(idnumbers.upgrade_15("110105491231002")))]
    assert [(no, kind) for no, kind, _, _ in checked.issues] == [
        (3, matching.INVALID), (5, matching.DUPLICATE), (7, matching.DUPLICATE), (9, matching.DUPLICATE),
        (10, matching.DUPLICATE), (11, matching.UPGRADED), (12, matching.DUPLICATE)]
    assert checked.issues[1][3] == "与第2行身份证号码重复，已按第2行比对"
    assert (checked.read, checked.invalid, checked.upgraded, checked.duplicate) == (10, 1, 1, 5)

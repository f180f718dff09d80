"""§ID numbers (GB 11643): every refusal has its own Chinese message; harmless noise is accepted."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core import idnumbers

TODAY = dt.date(2026, 11, 29)
GOOD = "11010519491231002X"  # the GB 11643 example: female, born 1949-12-31
GOOD_MALE = "410823199001011234"


def _refusal(raw, **kw) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        idnumbers.parse(raw, today=TODAY, **kw)
    return exc.value


def test_fixture_numbers_are_valid():
    assert idnumbers.check_digit(GOOD[:17]) == "X"
    assert idnumbers.check_digit(GOOD_MALE[:17]) == GOOD_MALE[17]


def test_accepts_and_derives_sex_and_birth_date():
    """Sex from the 17th digit (odd = male), birth date from digits 7–14."""
    ident = idnumbers.parse(GOOD, today=TODAY)
    assert (ident.value, ident.sex, ident.birth_date) == (GOOD, "F", dt.date(1949, 12, 31))
    male = idnumbers.parse(GOOD_MALE, today=TODAY)
    assert (male.sex, male.birth_date, male.area_code) == ("M", dt.date(1990, 1, 1), "410823")


@pytest.mark.parametrize("raw", [GOOD.lower(), f" {GOOD} ", "110105 19491231 002x", f"{GOOD}\t", "1101051949\u00a01231002X"])
def test_accepts_lower_case_x_and_stray_spaces(raw):
    """Lower-case x and stray spaces (even inside) are normalised away."""
    assert idnumbers.parse(raw, today=TODAY).value == GOOD


@pytest.mark.parametrize(("raw", "code", "message"), [
    ("41082319900101123", "length", "身份证号码应为18位，当前为17位"),
    ("4108231990010112377", "length", "身份证号码应为18位，当前为19位"),
    ("410823199002301234", "birth_date", "出生日期19900230不存在"),
    ("410823199013011234", "birth_date", "出生日期19901301不存在"),
    ("410823202712011234", "future_birth", "出生日期2027-12-01晚于今天"),
    ("410823199001011238", "checksum", "校验位错误：号码中有数字输错或前后颠倒，请对照身份证原件逐位核对"),
    ("４１０８２３１９９００１０１１２３４", "fullwidth", "全角字符"),
    ("41082319900101123Ｘ", "fullwidth", "全角字符"),
    ("4.10823E+17", "excel_scientific", "被 Excel 转成了科学计数法"),
    ("4.10823199001E+17", "excel_scientific", "科学计数法"),
    ("410823199001011000", "excel_number", "疑似被 Excel 按数字保存丢失了末尾数字"),
    ("410823900101123", "old_15", "这是15位旧身份证号码，请换算为18位后录入"),
    ("41082319900101123A", "characters", "只能是17位数字加末位数字或X"),
    ("", "required", "请填写身份证号码"),
])
def test_each_refusal_class_has_its_specific_message(raw, code, message):
    """Each kind of wrong input is named, in Chinese, so the clerk knows what to fix."""
    err = _refusal(raw)
    assert err.code == code
    assert message in err.messages[0]


def test_float_from_excel_is_refused():
    """A number read as float has lost digits: refused with the Excel message."""
    err = _refusal(410823199001011234.0)
    assert err.code == "excel_number" and "被当成数字读入" in err.messages[0]


def test_upgrade_15_digit_ids():
    """15-digit first-generation numbers: century 19 inserted, check digit appended; the result parses."""
    upgraded = idnumbers.upgrade_15("410823900101123")
    assert upgraded == "41082319900101123" + idnumbers.check_digit("41082319900101123")
    assert idnumbers.parse(upgraded, today=TODAY).birth_date == dt.date(1990, 1, 1)
    with pytest.raises(ValidationError, match="不是15位旧身份证号码"):
        idnumbers.upgrade_15("4108231990")


def test_mask_and_lookup_normalisation():
    """Display is masked 410823********123X style; lookups normalise or return None."""
    assert idnumbers.mask(GOOD) == "110105********002X"
    assert idnumbers.normalize_for_lookup(GOOD.lower()) == GOOD
    assert idnumbers.normalize_for_lookup("张三") is None
    assert idnumbers.index_of(GOOD.lower()) == idnumbers.index(GOOD)


def _outcome(fn, raw):
    try:
        return "ok", fn(raw)
    except ValidationError as exc:
        return exc.code, exc.messages[0]


def test_bulk_normalizer_gives_exactly_what_normalize_gives():
    """Bulk comparisons (§12) use the memoising bulk_normalizer: every value and every refusal (code and
    Chinese message) must equal `normalize`, including after a part's sum has been remembered."""
    import random

    rng = random.Random(7)
    raws = [GOOD, GOOD.lower(), GOOD_MALE, " " + GOOD, "41082319900101123", "410823199002301234",
            "410823202712011230", "410823187001011232", "4108231990010112340", "41082319900101123Y",
            "４10823199001011234", 1.23e17, None, "", "410823199001010000"]
    for _ in range(3000):
        first17 = f"41{rng.choice(['0823', '0825', '0802', '0811'])}{rng.randrange(1870, 2030)}" \
                  f"{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}{rng.randrange(0, 1000):03d}"
        check = idnumbers.check_digit(first17)
        if rng.random() < 0.2:
            check = rng.choice("0123456789X")
        raws.append(first17 + (check.lower() if rng.random() < 0.1 else check))
    bulk = idnumbers.bulk_normalizer(today=TODAY)
    outcomes = [_outcome(bulk, raw) for raw in raws + raws]  # the second pass runs on remembered parts
    expected = [_outcome(lambda r: idnumbers.normalize(r, today=TODAY), raw) for raw in raws + raws]
    assert outcomes == expected
    assert {code for code, _ in expected} >= {"ok", "checksum", "birth_date", "future_birth", "length"}


def test_bulk_indexer_equals_blind_index_under_every_key_version(keyfile):
    """The bulk indexer of a comparison run gives the same blind index as a single lookup, also after the
    index key was rotated (version 2 keyspace), so staged rows always meet the persons' index."""
    from core import keys

    values = [GOOD, GOOD_MALE]
    assert [idnumbers.indexer()(v) for v in values] == [idnumbers.index(v) for v in values]
    keys.add_index_version()
    keys.reset_keyring()
    assert keys.get_keyring().index_current == 2
    bulk = [idnumbers.indexer()(v) for v in values]
    assert bulk == [idnumbers.index(v) for v in values] and all(b.startswith("v2:") for b in bulk)


def test_checksum_error_does_not_give_the_answer():
    """The walk: the message named the right check digit, which completes a made-up number."""
    from django.core.exceptions import ValidationError

    from core import idnumbers

    wrong = "410823199001011238"
    right = wrong[:17] + idnumbers.check_digit(wrong[:17])
    try:
        idnumbers.parse(wrong)
    except ValidationError as exc:
        text = " ".join(exc.messages)
    assert "校验位错误" in text and right[17] not in text.replace("18", "")
    assert "应为" not in text

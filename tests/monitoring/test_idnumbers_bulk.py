"""The bulk-comparison speed-ups in core (parse fast path, cached HMAC state, byte checksum) change no answer."""
import pytest
from django.core.exceptions import ValidationError

from core import crypto, idnumbers, keys
from monitoring.matching import id_value

VALID = "11010519491231002X"  # GB 11643 example


def test_check_digit_matches_the_standard_formula():
    import random

    rng = random.Random(3)
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        expected = "10X98765432"[sum(int(c) * w for c, w in zip(first17, idnumbers.WEIGHTS, strict=True)) % 11]
        assert idnumbers.check_digit(first17) == expected


@pytest.mark.parametrize("raw,message", [
    ("11010519491231002A", "只能是17位数字加末位数字或X"),
    ("１１０１０５１９４９１２３１００２Ｘ", "全角"),
    ("110105194912310021", "校验位错误：号码中有数字输错"),
    ("110105194913310021", "出生日期19491331不存在"),
    ("4.10823E+17", "科学计数法"),
])
def test_parse_reasons_unchanged(raw, message):
    with pytest.raises(ValidationError) as err:
        idnumbers.parse(raw)
    assert message in err.value.messages[0]


def test_lower_x_spaces_and_15_digits_in_comparison_rows():
    assert idnumbers.parse(VALID.lower()).value == VALID
    assert id_value(f" {VALID[:6]} {VALID[6:].lower()} ")[0] == VALID
    value, note = id_value("110105491231002")
    assert value == idnumbers.upgrade_15("110105491231002") and "15位旧身份证号码已按国家标准" in note
    with pytest.raises(ValidationError):
        id_value(410823197005171234.0)


def test_blind_index_follows_a_new_keyring():
    first = idnumbers.index(VALID)
    assert idnumbers.index(VALID) == first
    keys.reset_keyring()
    assert idnumbers.index(VALID) == first  # same key file, same index
    assert crypto.blind_index("id", VALID) == first


def test_base_13_check_sum_and_month_table_agree_with_the_standard():
    """bulk_normalizer reads the 17 digits in base 13 (13 ≡ 2 mod 11, the weights are 2^k mod 11): the right check
    character passes, every other one is refused; last_day gives each month's last day as text, None before 1880 or
    for a month that does not exist."""
    import calendar
    import random

    rng = random.Random(13)
    normalize = idnumbers.bulk_normalizer()
    for _ in range(3000):
        first17 = f"410823{rng.randrange(1900, 2020)}0{rng.randrange(1, 10)}1{rng.randrange(0, 10)}" + \
                  "".join(rng.choice("0123456789") for _ in range(3))
        right = idnumbers.check_digit(first17)
        assert normalize(first17 + right) == first17 + right
        with pytest.raises(ValidationError, match="校验位"):
            normalize(first17 + rng.choice([c for c in "0123456789X" if c != right]))
    assert idnumbers.last_day("200002") == "29" and idnumbers.last_day("190002") == "28"
    assert idnumbers.last_day("202412") == "31" and idnumbers.last_day("202404") == "30"
    assert idnumbers.last_day("187912") is None and idnumbers.last_day("202400") is None
    assert idnumbers.last_day("202413") is None
    assert all(idnumbers.last_day(f"1999{m:02d}") == f"{calendar.monthrange(1999, m)[1]:02d}" for m in range(1, 13))


@pytest.mark.parametrize("raw", ["٤١٠٨٢٣١٩٤٩١٢٣١٠٠٢٣", "41082319491231002²", "٤١٠٨٢٣٤٩١٢٣١٠٠٢", "4108231949123100²"])
def test_digits_of_other_scripts_are_refused_with_a_reason_not_a_crash(raw):
    """Arabic-Indic digits and superscripts are digits to str.isdigit() and \\d: they were taken for an ID's shape
    and then broke the check digit (UnicodeEncodeError) or int() — a server error, a failed comparison."""
    with pytest.raises(ValidationError):
        idnumbers.parse(raw)
    with pytest.raises(ValidationError):
        id_value(raw)

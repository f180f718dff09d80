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

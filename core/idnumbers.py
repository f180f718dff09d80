"""Resident ID numbers (GB 11643-1999). Every parse, lookup, comparison and display of an ID goes here.

Storage: `sealed(...)` returns the columns a model keeps — SM4 ciphertext bound to the row, an HMAC-SM3
blind index for exact matches and uniqueness, the masked form and the last four characters for search.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from operator import mul

from django.core.exceptions import ValidationError
from django.utils import timezone

from core import crypto

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MIN_BIRTH_YEAR = 1880  # an earlier birth date is a typing error, not a person (normalize, last_day, core.idvector)
INDEX_KIND = "id"

_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff38\uff58]")
_SCIENTIFIC = re.compile(r"^\s*\d(\.\d+)?[eE][+]?\d+\s*$", re.ASCII)
_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"

    @property
    def area_code(self) -> str:
        return self.value[:6]

    @property
    def masked(self) -> str:
        return mask(self.value)

    @property
    def last4(self) -> str:
        return self.value[-4:]

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


_WEIGHT_OFFSET = 48 * sum(WEIGHTS)  # ASCII '0' is 48: sum(w * (byte - 48)) without 17 int() calls


def check_digit(first17: str) -> str:
    return CHECK_CHARS[(sum(map(mul, first17.encode("ascii"), WEIGHTS)) - _WEIGHT_OFFSET) % 11]


def parse(raw, *, today: dt.date | None = None) -> IdNumber:
    """Validate and normalise; raise ValidationError with the specific reason in Chinese."""
    value = normalize(raw, today=today)
    birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    return IdNumber(value=value, birth_date=birth, sex="M" if int(value[16]) % 2 == 1 else "F")


def normalize(raw, *, today: dt.date | None = None) -> str:
    """`parse` without building the IdNumber: the valid 18-character value, or the Chinese reason (bulk use)."""
    if isinstance(raw, str) and len(raw) == 18 and raw.isascii() and raw[:17].isdigit() and raw[17] in "0123456789Xx":
        value = raw.upper()  # the common case (bulk comparisons): skip the checks for pasted/Excel shapes
    else:
        value = _checked_shape(raw)
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(f"身份证号码中的出生日期{value[6:14]}不存在", code="birth_date") from None
    today = today or timezone.localdate()
    if birth > today:
        raise ValidationError(f"身份证号码中的出生日期{birth:%Y-%m-%d}晚于今天", code="future_birth")
    if birth.year < MIN_BIRTH_YEAR:
        raise ValidationError(f"身份证号码中的出生日期{birth:%Y-%m-%d}不合理", code="birth_date")
    expected = check_digit(value[:17])
    if expected != value[17]:
        if value.endswith("000"):
            raise ValidationError(
                "身份证号码末三位为000且校验位不符，疑似被 Excel 按数字保存丢失了末尾数字，请核对原件",
                code="excel_number",
            )
        # Never say which digit would be right: that turns a made-up number into a valid one.
        raise ValidationError("身份证号码校验位错误：号码中有数字输错或前后颠倒，请对照身份证原件逐位核对",
                              code="checksum")
    return value


def bulk_normalizer(*, today: dt.date | None = None):
    """`normalize` for one bulk job (a department's file): the same values and the same refusals, faster.

    The check sum in one C call: the weights of GB 11643 are 2^k mod 11 (k = 17 … 1 from the first digit), and
    13 ≡ 2 (mod 11), so Σ aᵢ·2^(18−i) ≡ 2 · int(first17, 13) (mod 11) — the 17 digits read as a base-13 number.
    The birth date is judged by comparing text against its month's last day (`last_day`, remembered per month):
    it must exist, lie in 1880 or later and not after today. Anything that is not a clean 18-character ID, and every refusal, goes through
    `normalize` itself, so values and messages never differ. A closure, not a class: it is called once per
    row of a 200,000-row file.
    """
    today = today or timezone.localdate()
    today_text = f"{today:%Y%m%d}"
    months: dict[str, str | None] = {}

    def normalize_one(raw) -> str:
        if not (raw.__class__ is str and len(raw) == 18 and raw.isascii() and raw[:17].isdigit()
                and raw[17] in "0123456789Xx"):
            return normalize(raw, today=today)
        value = raw.upper() if raw[17] == "x" else raw
        last = months.get(value[6:12], "")
        if last == "":
            last = months[value[6:12]] = last_day(value[6:12])
        if (last is None or not "01" <= value[12:14] <= last or value[6:14] > today_text
                or CHECK_CHARS[2 * int(value[:17], 13) % 11] != value[17]):
            return normalize(value, today=today)  # raises with the specific reason
        return value

    return normalize_one


def last_day(yyyymm: str) -> str | None:
    """The last day ("28" … "31") of a birth month YYYYMM in 1880 or later; None if that is no such month. With
    it a bulk check judges a birth date YYYYMMDD by comparing text: "01" <= DD <= last day, and YYYYMMDD not after
    today's — what `normalize` accepts (the date exists, 1880 or later, not after today)."""
    year, month = int(yyyymm[:4]), int(yyyymm[4:])
    if year < MIN_BIRTH_YEAR or not 1 <= month <= 12:
        return None
    return f"{calendar.monthrange(year, month)[1]:02d}"


def _checked_shape(raw) -> str:
    """The shape checks of `parse` for anything but a clean 18-character string; returns 17 digits + digit/X."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError("请填写身份证号码", code="required")
    if isinstance(raw, float):
        raise ValidationError(
            "身份证号码被当成数字读入，末几位已丢失，请把该列设为文本后重新录入", code="excel_number"
        )
    text = str(raw)
    if _FULLWIDTH.search(text):
        raise ValidationError("身份证号码含全角字符，请改用半角数字和字母", code="fullwidth")
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            f"身份证号码“{text.strip()}”被 Excel 转成了科学计数法，请把该列设为文本后重新录入",
            code="excel_scientific",
        )
    value = re.sub(r"\s+", "", text).upper()
    if len(value) == 15 and value.isascii() and value.isdigit():
        raise ValidationError("这是15位旧身份证号码，请换算为18位后录入", code="old_15")
    if len(value) != 18:
        raise ValidationError(f"身份证号码应为18位，当前为{len(value)}位", code="length")
    if not _SHAPE.match(value):
        raise ValidationError("身份证号码只能是17位数字加末位数字或X", code="characters")
    return value


def upgrade_15(raw: str) -> str:
    """Convert a 15-digit first-generation ID to 18 digits: insert century 19, append check digit."""
    value = re.sub(r"\s+", "", str(raw))
    if len(value) != 15 or not (value.isascii() and value.isdigit()):
        raise ValidationError("不是15位旧身份证号码", code="not_15")
    first17 = value[:6] + "19" + value[6:]
    return first17 + check_digit(first17)


def normalize_for_lookup(raw: str) -> str | None:
    """Best-effort normalisation for searching: valid 18-digit IDs only, else None."""
    try:
        return parse(raw).value
    except ValidationError:
        return None


def mask(value: str) -> str:
    return f"{value[:6]}{'*' * 8}{value[-4:]}" if len(value) == 18 else "*" * len(value)


def index(value: str) -> str:
    """Blind index of an already-normalised ID number."""
    return crypto.blind_index(INDEX_KIND, value)


def indexer():
    """`index` for one bulk job: the key is looked up once (crypto.blind_indexer)."""
    return crypto.blind_indexer(INDEX_KIND)


def index_candidates(value: str) -> list[str]:
    """Blind indexes of a normalised ID under every index key in the ring (current first). Lookups and
    duplicate checks use `id_index__in=index_candidates(v)` so they stay exact during an index rotation."""
    return crypto.blind_index_candidates(INDEX_KIND, value)


def index_of(raw) -> str:
    """Blind index of raw input (validated first)."""
    return index(parse(raw).value)


@dataclass(frozen=True)
class Sealed:
    cipher: bytes
    index: str
    masked: str
    last4: str


def seal(ident: IdNumber, *, aad: str) -> Sealed:
    return Sealed(
        cipher=crypto.encrypt(ident.value, aad=aad),
        index=index(ident.value),
        masked=ident.masked,
        last4=ident.last4,
    )


def unseal(cipher: bytes, *, aad: str) -> str:
    return crypto.decrypt(cipher, aad=aad)

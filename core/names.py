"""Hygiene of typed text (issue #15): a person's name never carries control characters, bidi overrides or
zero-width characters (they make a name print reversed, look like another, or hide text in the bank file);
free text has a sane length. One validator for every name field — models, forms and the API all use it
(the model field's validators reach ModelForms, ModelSerializers and every service's full_clean)."""
from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

FREE_TEXT_MAX = 2000  # characters: a page of A4; a note beyond that is an attachment

# Invisible or direction-changing characters that unicodedata may not flag as format characters.
_FORBIDDEN = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u061c", "\u180e",
              *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def bad_characters(value: str) -> list[str]:
    """The characters of `value` a name may not hold: control (Cc), format (Cf: bidi, zero-width, …),
    private-use and unassigned code points, and line or paragraph separators."""
    found = []
    for ch in value:
        if ch in _FORBIDDEN or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp"):
            found.append(f"U+{ord(ch):04X}")
    return found


@deconstructible
class NameValidator:
    message = "姓名/名称中含有不可见或控制字符（{chars}），请删除后重新输入"

    def __call__(self, value):
        if not isinstance(value, str):
            return
        bad = bad_characters(value)
        if bad:
            raise ValidationError(self.message.format(chars="、".join(dict.fromkeys(bad))), code="bad_name")
        if value != value.strip():
            raise ValidationError("姓名/名称前后不能有空格", code="bad_name")

    def __eq__(self, other):
        return isinstance(other, NameValidator)


validate_name = NameValidator()

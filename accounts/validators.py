import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least three of four classes: upper case, lower case, digits, symbols (等保 level 3)."""

    def validate(self, password, user=None):
        classes = sum(
            bool(re.search(p, password)) for p in (r"[A-Z]", r"[a-z]", r"\d", r"[^A-Za-z0-9]")
        )
        if classes < 3:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_classes")
        if user is not None and user.username and user.username.lower() in password.lower():
            raise ValidationError("密码不得包含用户名", code="password_username")

    def get_help_text(self):
        return "至少8位，包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名。"


class MinimumLengthValidator:
    """At least `min_length` characters (Django's own message has no Chinese translation for every count)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少{self.min_length}位", code="password_too_short")

    def get_help_text(self):
        return f"至少{self.min_length}位。"

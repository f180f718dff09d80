import re

from django.contrib.auth import password_validation

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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django 5.2's message has no zh-hans translation)."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符"

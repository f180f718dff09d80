from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ADMIN_ROLES, Role
from core.models import Region


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续5次错误将锁定账号30分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        self._refuse_if_locked(username)
        try:
            return super().clean()
        except ValidationError:
            self._refuse_if_locked(username)  # this failure may have been the one that locked the account
            raise

    @staticmethod
    def _refuse_if_locked(username) -> None:
        if not username:
            return
        user = get_user_model().objects.filter(username=username).only("locked_until").first()
        if user is not None and user.is_locked():
            until = timezone.localtime(user.locked_until)
            raise ValidationError(f"该账号因连续登录失败已被锁定，请于 {until:%H:%M} 后再试。", code="locked")


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise ValidationError("原密码不正确")
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            raise ValidationError("两次输入的新密码不一致")
        return data


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，建议拼音，如 zhandian_wang")
    full_name = forms.CharField(label="姓名（含单位）", max_length=50)
    role = forms.ChoiceField(label="角色")
    region = forms.ModelChoiceField(label="所属区划", queryset=None,
                                    help_text="村专干选村（社区），乡镇角色选乡镇，县级角色选县，市级角色选焦作市")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—")] + [(r.value, r.label) for r in Role if r not in ADMIN_ROLES]
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["region"].label_from_instance = lambda r: f"{r.code} {r.name}"


class UserEditForm(UserCreateForm):
    reason = forms.CharField(label="调整原因", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["username"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)



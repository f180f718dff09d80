import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import LoginForm, PasswordChangeForm, UserCreateForm, UserEditForm
from accounts.middleware import SessionPolicyMiddleware
from accounts.models import ADMIN_ROLES, Role, User
from accounts.scope import Action, can, require_page
from core import audit, keys, params, rotation
from core.forms import apply_errors
from core.models import KeyCheck
from core.paging import paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # django.contrib.auth.login rotates the session key
        self.request.session["auth_started_at"] = self.request.session["last_seen_at"] = time.time()
        audit.record(actor=form.get_user(), action="login.success", obj=form.get_user(),
                     category=audit.Category.SECURITY, region=("", "", ""))
        return response


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record(actor=request.user, action="logout", obj=request.user, category=audit.Category.SECURITY,
                     region=("", "", ""))
    logout(request)
    return redirect("login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    reason = ""
    if request.user.must_change_password:
        reason = "这是管理员设置的初始（或重置）密码，请先修改为只有您知道的密码。"
    elif SessionPolicyMiddleware.must_change_password(request.user):
        reason = "您的密码已超过有效期，请修改后继续使用。"
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})


# --- 三权分立: the three administrators' pages ----------------------------------------------------------

def _user_or_404(pk):
    return get_object_or_404(User.objects.select_related("region"), pk=pk)


@login_required
def user_list(request):
    """System administrator: every account, filter by name, role, state."""
    require_page(request, Action.USERS_MANAGE)
    qs = User.objects.select_related("region").order_by("username")
    f = request.GET
    if f.get("q"):
        qs = qs.filter(Q(username__icontains=f["q"].strip()) | Q(full_name__icontains=f["q"].strip()))
    if f.get("role"):
        qs = qs.filter(role=f["role"])
    state = f.get("state", "")
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "disabled":
        qs = qs.filter(is_active=False)
    elif state == "locked":
        qs = qs.filter(locked_until__gt=timezone.now())
    elif state == "must_change":
        qs = qs.filter(must_change_password=True)
    page = paginate(qs, request)
    return render(request, "accounts/user_list.html", {
        "page": page, "f": f, "roles": Role.choices, "now": timezone.now(),
        "states": [("active", "在用"), ("disabled", "已停用"), ("locked", "已锁定"), ("must_change", "待改初始密码")],
    })


@login_required
def user_create_view(request):
    require_page(request, Action.USERS_MANAGE)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        temp = services.temp_password()
        try:
            user = services.user_create(actor=request.user, username=d["username"].strip(), password=temp,
                                        role=d["role"], region=d["region"], full_name=d["full_name"].strip(),
                                        must_change_password=True)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _show_temp_password(request, user, temp, created=True)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _show_temp_password(request, user, temp, *, created=False):
    response = render(request, "accounts/user_password_shown.html", {"account": user, "temp": temp,
                                                                      "created": created})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def user_detail(request, pk):
    require_page(request, Action.USERS_MANAGE)
    account = _user_or_404(pk)
    form = UserEditForm(request.POST or None, initial={
        "full_name": account.full_name, "role": account.role, "region": account.region_id})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.user_update(actor=request.user, user=account, role=d["role"], region=d["region"],
                                 full_name=d["full_name"], reason=d["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存账号 {account.username}。")
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_detail.html", {
        "account": account, "form": form, "is_admin_account": account.role in ADMIN_ROLES,
        "is_self": account.pk == request.user.pk, "now": timezone.now(),
    })


@login_required
@require_POST
def user_action(request, pk, what):
    """disable / enable / unlock / reset — each a service call, each audited."""
    account = _user_or_404(pk)
    if what == "unlock":
        require_page(request, Action.USERS_MANAGE, Action.SECURITY_MANAGE)
    else:
        require_page(request, Action.USERS_MANAGE)
    reason = request.POST.get("reason", "")
    try:
        if what == "disable":
            services.user_set_active(actor=request.user, user=account, active=False, reason=reason)
            messages.success(request, f"已停用账号 {account.username}。")
        elif what == "enable":
            services.user_set_active(actor=request.user, user=account, active=True, reason=reason)
            messages.success(request, f"已启用账号 {account.username}。")
        elif what == "unlock":
            services.user_unlock(actor=request.user, user=account)
            messages.success(request, f"已解锁账号 {account.username}。")
        elif what == "reset":
            temp = services.user_reset_password(actor=request.user, user=account)
            return _show_temp_password(request, account, temp)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    back = request.POST.get("next", "")
    if back == "security" and can(request.user, Action.SECURITY_MANAGE):
        return redirect("accounts:security")
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
def security_overview(request):
    """Security administrator: login policy, locked accounts, key versions and rotation status."""
    require_page(request, Action.SECURITY_MANAGE)
    ring = keys.get_keyring()
    policy = [
        ("密码长度与复杂度", "至少8位，大写字母、小写字母、数字、符号中至少三类，不含用户名，不得为常见密码"),
        ("初始密码", "管理员创建或重置的账号首次登录必须修改密码"),
        ("密码有效期", f"{params.get('accounts.password_max_age_days')} 天（参数 accounts.password_max_age_days）"),
        ("登录失败锁定", f"连续 {settings.LOGIN_LOCKOUT_THRESHOLD} 次失败锁定 {settings.LOGIN_LOCKOUT_MINUTES} 分钟"),
        ("会话空闲超时", f"{settings.SESSION_IDLE_TIMEOUT // 60} 分钟"),
        ("会话最长时间", f"{settings.SESSION_ABSOLUTE_LIFETIME // 3600} 小时"),
        ("长期未登录停用", f"{params.get('accounts.inactive_disable_days')} 天（参数 accounts.inactive_disable_days，每日凌晨执行）"),
    ]
    locked = User.objects.filter(locked_until__gt=timezone.now()).select_related("region").order_by("locked_until")
    return render(request, "accounts/security.html", {
        "policy": policy, "locked": locked, "ring": ring,
        "enc_versions": sorted(ring.enc), "index_versions": sorted(ring.index_keys),
        "checks": KeyCheck.objects.all(), "status": rotation.status(),
        "provider": "密钥文件" if keys.file_provider() else "环境变量 JIUZHU_KEYS",
    })


@login_required
def parameters(request):
    """The parameters live on one page (core:param_list); this old address stays for bookmarks."""
    require_page(request, Action.PARAMS_CHANGE)
    return redirect("core:param_list")

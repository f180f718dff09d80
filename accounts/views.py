import time

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm, PasswordChangeForm
from accounts.services import user_set_password
from core import audit


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
            user_set_password(user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    reason = ""
    if request.user.must_change_password:
        reason = "首次登录请先修改初始密码。"
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})

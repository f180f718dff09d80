from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/<str:what>/", views.user_action, name="user_action"),
    path("security/", views.security_overview, name="security"),
    path("parameters/", views.parameters, name="parameters"),
]

# login/logout/password keep their global names (settings.LOGIN_URL = "login")
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
]

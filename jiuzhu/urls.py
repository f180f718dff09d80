from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import urls as accounts_urls
from accounts.parameters import urls as parameters_urls
from jiuzhu import api, search_views, views
from ops import views as ops_views
from reports import views as reports_views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include(accounts_urls.auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("overdue/", views.overdue, name="overdue"),
    path("search/", search_views.search_page, name="search"),
    path("audit-trail/", reports_views.audit_trail, name="audit_trail"),
    # parameters and the working-day calendar: their pages moved to accounts, their names stay core:*
    path("", include((parameters_urls.urlpatterns, "core"))),
    path("public/", include("cases.publicity.urls")),
    path("", include("cases.urls")),
    path("funds/", include("funds.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("supervision/", include("audit.urls")),
    path("healthz/", ops_views.healthz, name="healthz"),
    path("system/", include("ops.urls")),
    path("imports/", include("imports.urls")),
    path("discovery/", include("discovery.urls")),
    path("attachments/", include("attachments.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("charity/", include("charity.urls")),
    path("api/v1/", include(api.router.urls)),
    path("api/v1/", include(api.urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),  # no inline script
]

handler404 = "jiuzhu.views.not_found"
handler500 = "jiuzhu.views.server_error"
handler403 = "jiuzhu.views.forbidden"

from django.urls import path
from django.views.generic import RedirectView

from funds import bankviews, views

app_name = "funds"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="funds:batch_list", permanent=False), name="index"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/one-off/", views.one_off_create, name="one_off_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/transition/", views.batch_transition, name="batch_transition"),
    path("batches/<int:pk>/regenerate/", views.batch_regenerate, name="batch_regenerate"),
    path("batches/<int:pk>/supplement/", views.batch_supplement, name="batch_supplement"),
    path("batches/<int:pk>/request/", views.batch_request, name="batch_request"),
    path("batches/<int:pk>/bank-result/", bankviews.bank_result_upload, name="bank_result_upload"),
    path("bank-results/<int:pk>/", bankviews.bank_result_status, name="bank_result_status"),
    path("bank-results/<int:pk>/cancel/", bankviews.bank_result_cancel, name="bank_result_cancel"),
    path("batches/<int:pk>/export/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/retry/", views.export_retry, name="export_retry"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("payees/<int:household_id>/", views.payee_edit, name="payee_edit"),
    path("deadlines/", views.deadline_report, name="deadline_report"),
    path("price-index/", views.price_index, name="price_index"),
]

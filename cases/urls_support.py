from django.urls import path

from cases import views_support as v

urlpatterns = [
    path("tekun/", v.tekun_list, name="tekun_list"),
    path("tekun/new/", v.tekun_open, name="tekun_open"),
    path("tekun/institutions/", v.institution_list, name="institution_list"),
    path("tekun/<int:pk>/", v.tekun_detail, name="tekun_detail"),
    path("tekun/<int:pk>/<str:op>/", v.tekun_action, name="tekun_action"),
    path("temporary-aid/", v.aid_list, name="aid_list"),
    path("temporary-aid/new/", v.aid_grant, name="aid_grant"),
    path("temporary-aid/apply/", v.aid_apply, name="aid_apply"),
    path("temporary-aid/funds/", v.reserve_funds, name="reserve_funds"),
    path("temporary-aid/<int:pk>/", v.aid_detail, name="aid_detail"),
]

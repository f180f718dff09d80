from django.urls import path

from cases import views, views_standards
from cases import views_workflow as wf

app_name = "cases"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/phone/reveal/", views.household_reveal_phone, name="household_reveal_phone"),
    path("households/<int:pk>/members/new/", views.person_add, name="person_add"),
    path("households/<int:pk>/<str:kind>/new/", views.item_add, name="item_add"),
    path("households/<int:pk>/<str:kind>/<int:item_id>/delete/", views.item_remove, name="item_remove"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/remove/", views.person_remove, name="person_remove"),
    path("persons/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("standards/", views_standards.standard_list, name="standard_list"),
    path("standards/new/", views_standards.standard_add, name="standard_add"),
    path("standards/care/new/", views_standards.care_standard_add, name="care_standard_add"),
    # 低保 workflow
    path("todo/", wf.todo, name="todo"),
    path("applications/", wf.application_list, name="application_list"),
    path("households/<int:household_pk>/apply/", wf.application_create, name="application_create"),
    path("applications/residence/", wf.residence_apply, name="residence_apply"),
    path("applications/<int:pk>/", wf.application_detail, name="application_detail"),
    path("applications/<int:pk>/<str:action>/", wf.application_act, name="application_act"),
    path("meetings/", wf.meeting_list, name="meeting_list"),
    path("meetings/new/", wf.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", wf.meeting_detail, name="meeting_detail"),
    path("deadlines/", wf.deadlines, name="deadlines"),
    path("rechecks/", wf.recheck_list, name="recheck_list"),
    path("rechecks/<int:pk>/", wf.recheck_do, name="recheck_do"),
    path("entitlements/<int:pk>/end/", wf.entitlement_end, name="entitlement_end"),
    path("notices/<int:pk>/", wf.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/deliver/", wf.notice_deliver, name="notice_deliver"),
]

from cases.urls_support import urlpatterns as _support  # noqa: E402

urlpatterns += _support

"""The pages of cases, room by room; every name stays in the "cases" namespace."""
from django.urls import path

from cases.dibao import views as dibao
from cases.households import views as households
from cases.standards import views as standards
from cases.tekun import views as tekun
from cases.temporary_aid import views as temporary_aid

app_name = "cases"
urlpatterns = [
    path("households/", households.household_list, name="household_list"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/phone/reveal/", households.household_reveal_phone, name="household_reveal_phone"),
    path("households/<int:pk>/members/new/", households.person_add, name="person_add"),
    path("households/<int:pk>/<str:kind>/new/", households.item_add, name="item_add"),
    path("households/<int:pk>/<str:kind>/<int:item_id>/delete/", households.item_remove, name="item_remove"),
    path("households/<int:pk>/<str:kind>/<int:item_id>/edit/", households.item_edit, name="item_edit"),
    path("persons/<int:pk>/edit/", households.person_edit, name="person_edit"),
    path("persons/<int:pk>/remove/", households.person_remove, name="person_remove"),
    path("persons/<int:pk>/reveal/", households.person_reveal, name="person_reveal"),
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/new/", standards.standard_add, name="standard_add"),
    path("standards/care/new/", standards.care_standard_add, name="care_standard_add"),
    # 低保 workflow
    path("todo/", dibao.todo, name="todo"),
    path("applications/", dibao.application_list, name="application_list"),
    path("households/<int:household_pk>/apply/", dibao.application_create, name="application_create"),
    path("applications/residence/", dibao.residence_apply, name="residence_apply"),
    path("applications/drafts/accept/", dibao.drafts_accept, name="drafts_accept"),
    path("applications/<int:pk>/", dibao.application_detail, name="application_detail"),
    path("applications/<int:pk>/<str:action>/", dibao.application_act, name="application_act"),
    path("meetings/", dibao.meeting_list, name="meeting_list"),
    path("meetings/new/", dibao.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", dibao.meeting_detail, name="meeting_detail"),
    path("deadlines/", dibao.deadlines, name="deadlines"),
    path("rechecks/", dibao.recheck_list, name="recheck_list"),
    path("rechecks/<int:pk>/", dibao.recheck_do, name="recheck_do"),
    path("rechecks/assign/", dibao.recheck_assign_many, name="recheck_assign_many"),
    path("entitlements/<int:pk>/end/", dibao.entitlement_end, name="entitlement_end"),
    path("notices/<int:pk>/", dibao.notice_detail, name="notice_detail"),
    path("notices/print/", dibao.notice_print_many, name="notice_print_many"),
    path("notices/<int:pk>/deliver/", dibao.notice_deliver, name="notice_deliver"),
    # 特困 and 临时救助
    path("tekun/", tekun.tekun_list, name="tekun_list"),
    path("tekun/new/", tekun.tekun_open, name="tekun_open"),
    path("tekun/institutions/", tekun.institution_list, name="institution_list"),
    path("tekun/<int:pk>/", tekun.tekun_detail, name="tekun_detail"),
    path("tekun/<int:pk>/<str:op>/", tekun.tekun_action, name="tekun_action"),
    path("temporary-aid/", temporary_aid.aid_list, name="aid_list"),
    path("temporary-aid/new/", temporary_aid.aid_grant, name="aid_grant"),
    path("temporary-aid/apply/", temporary_aid.aid_apply, name="aid_apply"),
    path("temporary-aid/funds/", temporary_aid.reserve_funds, name="reserve_funds"),
    path("temporary-aid/<int:pk>/", temporary_aid.aid_detail, name="aid_detail"),
]

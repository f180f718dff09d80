"""Harness entries for the routes of issue #21: attachments (pages and `/api/v1/attachments/`), the SMS outbox
and its templates, the documents request, the search box (page and API), editing an income row, printing many
notices and accepting many village drafts.

World objects: an attachment (a PDF titled with the world household's head, so lists show the marker) on the
world household in 何营东村, uploaded by the 詹店镇 caseworker through attachments.services; an SMS of the world
application (notifications.services, recipient = the head). The behaviour behind the statuses (what is
refused, what is audited, what another township sees) is tested in each area's own module."""
from accounts.scope import Action as A
from tests.harness import MARKER_HEAD, api, page, part

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROCESS_OR_DECIDE = (A.CASE_PROCESS, A.CASE_DECIDE)
ATTACHMENT_READERS = (A.CASE_VIEW, A.COMPLAINT_HANDLE)
SEARCH_READERS = (A.CASE_VIEW, A.COMPLAINT_HANDLE, A.SUPERVISION_VIEW, A.PAYMENT_VIEW)


@part("attachment")
def _attachment(w):
    """A 户口簿 PDF on the world household, uploaded by the 詹店镇 caseworker."""
    from attachments import services

    return services.attach(actor=w.users["zhandian_jingban"], owner=w.household, data=PDF, filename="hukou.pdf",
                           doc_type="hukou", title=f"{MARKER_HEAD}户口簿")


@part("sms")
def _sms(w):
    """The 公示 SMS of the world application (to the head, at the household's phone)."""
    from notifications import services

    return services.notify_application(kind="publicity", application=w.get("application"))


def _with(*parts):
    def build(url):
        def fn(w):
            for name in parts:
                w.get(name)
            return url(w) if callable(url) else url
        return fn
    return build


def _att(w):
    return w.get("attachment").pk


def _owner_url(w):
    return f"/attachments/cases.household/{w.household.pk}/"


def _upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"owner": f"cases.household:{w.household.pk}", "doc_type": "id_card", "title": "身份证",
            "file": SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf")}


def _drafts(w):
    from cases.dibao import intake
    from tests.harness_areas.cases import _standards

    _standards()
    draft = intake.application_draft(actor=w.users["heying_cun"], household=w.household, reason="户主患病，无力劳动")
    return {"draft_ids": [draft.pk]}


ENTRIES = [
    # --- attachments: pages
    page("attachments:list", _with("attachment")("/attachments/"), ATTACHMENT_READERS, scoped=False,
         marker=MARKER_HEAD),
    page("attachments:owner", _owner_url, A.CASE_VIEW),
    page("attachments:owner", _owner_url, A.CASE_CHANGE, method="post", data=_upload, ok=302,
         read_action=A.CASE_VIEW, read_denied=404,
         note="a reader of the household (county, reviewer, city) gets the page without the form, and 404 on a POST"),
    page("attachments:received", lambda w: f"{_owner_url(w)}received/", A.CASE_VIEW),
    page("attachments:open", lambda w: f"/attachments/file/{_att(w)}/", A.CASE_VIEW),
    page("attachments:remove", lambda w: f"/attachments/file/{_att(w)}/remove/", A.CASE_CHANGE, method="post",
         data={"reason": "重复上传"}, ok=302, read_action=A.CASE_VIEW, read_denied=302,
         note="a reader in scope is sent back to the owner's page with the refusal (services.remove: 您无权撤下该材料); "
              "tests/attachments/test_attachments.py::test_remove_needs_reason_and_is_audited"),
    # --- attachments: API
    api("attachment-list", _with("attachment")("/api/v1/attachments/"), ATTACHMENT_READERS, scoped=False,
        marker=MARKER_HEAD),
    api("attachment-detail", lambda w: f"/api/v1/attachments/{_att(w)}/", ATTACHMENT_READERS),
    api("attachment-content", lambda w: f"/api/v1/attachments/{_att(w)}/content/", ATTACHMENT_READERS),
    api("attachment-remove", lambda w: f"/api/v1/attachments/{_att(w)}/remove/", A.CASE_CHANGE, method="post",
        data={"reason": "重复上传"}, read_action=A.CASE_VIEW, read_denied=400,
        note="a reader in scope is refused by the service (400 with the Chinese message), never 200"),
    api("attachment-checklist",
        lambda w: f"/api/v1/attachments/checklist/?owner_type=cases.household&owner_id={w.household.pk}",
        A.CASE_VIEW),
    # --- notices to applicants
    page("notifications:outbox", _with("sms")("/notifications/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    page("notifications:templates", "/notifications/templates/", (A.PARAMS_VIEW, A.PARAMS_CHANGE), scoped=False),
    page("notifications:templates", "/notifications/templates/", A.PARAMS_CHANGE, method="post", scoped=False,
         data={"kind": "publicity", "body": "{户主}您好，您家的救助申请已开始公示。"}, ok=302,
         read_action=A.PARAMS_VIEW, read_denied=200,
         note="readers of the parameters see the templates; their POST changes nothing and shows the page again"),
    page("notifications:request_documents",
         lambda w: f"/notifications/applications/{w.get('application').pk}/documents/", A.CASE_PROCESS,
         method="post", data={"due_on": "2099-12-31"}, ok=302, read_action=A.CASE_VIEW, read_denied=404),
    api("notification-list", _with("sms")("/api/v1/notifications/"), A.CASE_VIEW, scoped=False, marker=MARKER_HEAD),
    api("notification-detail", lambda w: f"/api/v1/notifications/{w.get('sms').pk}/", A.CASE_VIEW),
    # --- one search box
    page("search", f"/search/?q={MARKER_HEAD}", SEARCH_READERS, scoped=False),
    page("search", "/search/", SEARCH_READERS, method="post", data={"q": MARKER_HEAD[:3]}, scoped=False,
         note="which results each user gets (finance: no households) is tested in tests/jiuzhu/test_search.py"),
    api("api_search", f"/api/v1/search/?q={MARKER_HEAD}", SEARCH_READERS, scoped=False),
    # --- rows and bulk actions of the case file
    page("cases:item_edit", lambda w: f"/households/{w.household.pk}/income/{w.income.pk}/edit/", A.CASE_CHANGE),
    page("cases:item_edit", lambda w: f"/households/{w.household.pk}/income/{w.income.pk}/edit/", A.CASE_CHANGE,
         method="post", ok=302, read_action=A.CASE_VIEW, read_denied=404,
         data=lambda w: {"income-person": w.person.pk, "income-kind": "wages", "income-description": "务工",
                         "income-amount_12m": "13000.00", "income-employment_cost": "0"}),
    page("cases:notice_print_many", lambda w: f"/notices/print/?ids={w.get('notice').pk}", A.CASE_VIEW,
         scoped=False, marker=MARKER_HEAD),
    page("cases:drafts_accept", "/applications/drafts/accept/", A.CASE_PROCESS, method="post", data=_drafts, ok=302,
         scoped=False, note="out of the township the drafts are skipped and named, never accepted "
                            "(tests/discovery/test_bulk_accept.py)"),
]

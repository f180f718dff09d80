"""Issue #3 §5: nothing leaks sideways — logs, error pages, URLs; denied accesses audited silently."""
import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from core.logging import PersonalDataFilter, scrub
from core.models import AuditEvent
from tests.factories import PersonFactory, make_id

ID = "41082319700517123X"


def _record(msg, *args, exc=None):
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, msg, args, exc)
    PersonalDataFilter().filter(record)
    return record


def test_log_filter_masks_id_card_phone_in_message_args_and_exception():
    """§5 the logging filter removes ID, card and phone numbers from messages, args and exception text."""
    record = _record("申请人 %s 电话 %s 卡号 %s", ID, "13803911234", "6222 0212 3456 7890 123")
    text = record.getMessage()
    assert ID not in text and "13803911234" not in text and "6222 0212 3456 7890 123" not in text
    assert "410823********123X" in text and "*******1234" in text and text.endswith("0123")
    try:
        raise ValueError(f"bad id {ID.lower()} and card 6222021234567890123 phone 138-0391-1234")
    except ValueError:
        import sys

        record = _record("boom", exc=sys.exc_info())
    formatted = logging.Formatter().format(record)
    for leaked in (ID.lower(), "6222021234567890123", "138-0391-1234"):
        assert leaked not in formatted
    assert "boom" in formatted and "ValueError" in formatted


def test_log_filter_leaves_ordinary_numbers_alone():
    assert scrub("2026-11-29 09:13:02 第12345号 金额 1234.56 元") == "2026-11-29 09:13:02 第12345号 金额 1234.56 元"


def test_log_filter_is_installed_on_every_handler():
    from django.conf import settings

    handlers = settings.LOGGING["handlers"]
    assert all("pii" in h.get("filters", []) for h in handlers.values())


def _boom(request):
    raise RuntimeError(f"secret {ID}")


urlpatterns = [path("boom/", _boom)] + get_resolver().url_patterns
handler500 = "jiuzhu.views.server_error"


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_users_never_see_a_stack_trace():
    """§5 an exception renders templates/errors/500.html: no traceback, no ID number."""
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出现错误" in body
    assert "Traceback" not in body and "RuntimeError" not in body and ID not in body


def _patterns(resolvers, prefix=""):
    for p in resolvers:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


SENSITIVE = re.compile(r"id_?(number|no|card)|idcard|sfz|card|account_?(no|number)|phone|mobile", re.I)


def test_no_url_pattern_carries_an_id_card_or_phone_number():
    """§5 no ID or card number ever appears in a URL: no URL parameter is named like one."""
    params = [m for pattern in _patterns(get_resolver().url_patterns) for m in re.findall(r"<(?:\w+:)?(\w+)>", pattern)]
    assert params, "the scan found the URL parameters"
    assert [p for p in params if SENSITIVE.search(p)] == []


def _template_forms():
    from pathlib import Path

    from django.conf import settings

    for root in [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]:
        for file in root.rglob("*.html"):
            for form in re.findall(r"<form\b.*?</form>", file.read_text(), re.S | re.I):
                yield file, form


def test_no_get_form_carries_an_id_card_or_phone_number():
    """§5 GET forms put their fields in the URL: none may have a field named like an ID/card/phone, and
    the household search box (which accepts a full ID number) posts."""
    forms = list(_template_forms())
    assert forms
    offenders = []
    for file, form in forms:
        method = re.search(r"method=\"?(\w+)", form.split(">", 1)[0], re.I)
        if method and method.group(1).lower() == "post":
            continue
        names = re.findall(r"name=\"([^\"]+)\"", form)
        offenders += [f"{file.name}:{n}" for n in names if SENSITIVE.search(n)]
        if file.name == "household_list.html" and "q" in names:
            offenders.append("household_list.html: the ID search must post")
    assert offenders == []


@pytest.mark.django_db
def test_household_search_by_id_posts_and_never_redirects_the_number_into_a_url(client, users):
    """§5 the ID search answers the POST directly (blind index); a name is redirected to GET ?q=."""
    person = PersonFactory(household__village="410823101200", id_number=make_id("410823"))
    raw = person.reveal_id_number()
    client.force_login(users["heying_cun"])
    response = client.post("/households/", {"q": raw.lower()})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert f"/households/{person.household_id}/" in body and raw not in body
    response = client.post("/households/", {"q": "张三"})
    assert response.status_code == 302 and response["Location"].startswith("/households/?q=")
    # an ID pasted into a URL is not searched nor echoed (and the page says how to search)
    response = client.get("/households/", {"q": raw})
    body = response.content.decode()
    assert "不能放在网址中" in body and raw not in body and 'name="q" value=""' in body


@pytest.mark.django_db
def test_api_refuses_id_numbers_in_query_strings_and_offers_post_lookup(client, users):
    """§5 API: ?id_number= and ?q=<ID> are refused (400); POST lookup/ matches through the blind index."""
    person = PersonFactory(household__village="410823101200")
    raw = person.reveal_id_number()
    client.force_login(users["heying_cun"])
    assert client.get("/api/v1/persons/", {"id_number": raw}).status_code == 400
    assert client.get("/api/v1/households/", {"q": raw}).status_code == 400
    found = client.post("/api/v1/persons/lookup/", {"id_number": raw}, content_type="application/json").json()
    assert [p["id"] for p in found] == [person.pk] and raw not in str(found)
    found = client.post("/api/v1/households/lookup/", {"id_number": raw}, content_type="application/json").json()
    assert [h["id"] for h in found] == [person.household_id]


@pytest.mark.django_db
def test_denied_access_is_404_and_audited_without_telling_the_user(client, users):
    """§5 an out-of-scope object that exists → 404 like an absent one, audited as access.denied."""
    other = PersonFactory(household__village="410823101201").household
    client.force_login(users["heying_cun"])
    response = client.get(f"/households/{other.pk}/")
    assert response.status_code == 404
    assert "不在" not in response.content.decode() and "无权" not in response.content.decode()
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor_username == "heying_cun" and event.object_id == str(other.pk)
    assert event.category == AuditEvent.Category.SECURITY
    assert client.get("/households/999999/").status_code == 404
    assert AuditEvent.objects.filter(action="access.denied").count() == 1  # absent: nothing to record


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url"), [
    ("zhandian_jingban", "/monitoring/runs/"),          # comparisons are the county's
    ("heying_cun", "/supervision/spot-checks/"),         # spot checks are the county's
    ("wuzhi_caizheng", "/applications/"),                 # finance sees payment data only
    ("zhandian_jingban", "/standards/new/"),              # standards are set by the city
    ("zhandian_jingban", "/accounts/users/"),             # accounts are the system administrator's
    ("heying_cun", "/supervision/relatives/new/"),       # the relatives registry is the county's
])
def test_a_page_the_role_may_not_open_is_404_and_audited_in_every_app(client, users, username, url):
    """§5 every app's pages go through one role check (accounts.scope.require_page): the user sees the 404
    of an absent page, and the attempt is in the audit trail with the page's path."""
    client.force_login(users[username])
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.get(action="access.denied", actor_username=username)
    assert event.object_repr == url and event.category == AuditEvent.Category.SECURITY

"""§4 household registry in the browser: create, edit, list, search, duplicates, masking, audited reveal."""
import datetime as dt

import pytest

from cases.models import Household, IncomeItem, Person
from core.models import AuditEvent
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db
HEYING = "410823101200"


def _create_form(id_number, **extra):
    data = {"village": HEYING, "address": "何营东村一组3号", "hukou_type": "rural", "phone": "13903911234",
            "note": "", "head-name": "张建军", "head-id_number": id_number, "head-relationship": "head",
            "head-work_capacity": "full", "head-employment": "farming"}
    data.update(extra)
    return data


def test_create_household_from_the_form(client, users):
    """§4: a village clerk registers a household with its head; sex and birth date come from the ID."""
    raw = make_id("410823", dt.date(1972, 4, 5), "M")
    client.force_login(users["heying_cun"])
    assert client.get("/households/new/").status_code == 200
    r = client.post("/households/new/", _create_form(" " + raw.lower() + " "))
    household = Household.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/households/{household.pk}/"
    head = household.members.get()
    assert (head.name, head.sex, head.birth_date) == ("张建军", "M", dt.date(1972, 4, 5))
    assert (household.county_id, household.township_id, household.village_id) == ("410823", "410823101", HEYING)
    assert household.phone_masked.startswith("139") and "1234" in household.phone_masked
    event = AuditEvent.objects.get(action="household.create")
    assert event.actor == users["heying_cun"] and event.after["members"][0]["id_masked"] == head.id_masked
    assert raw not in str(event.after)


@pytest.mark.parametrize(("raw", "message"), [
    ("4.10823E+17", "科学计数法"),
    ("410823199001011000", "Excel"),
    ("410823199002301234", "不存在"),
    ("41082319900101123", "应为18位"),
    ("410823199001011238", "校验位错误"),
    ("４１０８２３１９９００１０１１２３４", "全角"),
    ("410823900101123", "15位旧身份证"),
])
def test_create_form_shows_the_specific_id_message(client, users, raw, message):
    """§4: the form shows the validator's specific Chinese message and saves nothing."""
    client.force_login(users["heying_cun"])
    r = client.post("/households/new/", _create_form(raw))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Household.objects.exists()


def test_duplicate_id_refused_with_clear_message_and_nothing_written(client, users):
    """§4: an ID already registered anywhere in the city is refused; no half-written household remains."""
    existing = PersonFactory(household__village="410823102200")
    raw = existing.reveal_id_number()
    client.force_login(users["heying_cun"])
    r = client.post("/households/new/", _create_form(raw))
    assert r.status_code == 200
    assert "该身份证号码已在本市登记" in r.content.decode()
    assert Household.objects.count() == 1 and Person.objects.count() == 1
    assert not AuditEvent.objects.filter(action="household.create").exists()


def test_edit_household_records_before_and_after(client, users):
    """§4/§5: editing saves the change and the audit trail holds before/after."""
    household = PersonFactory(household__village=HEYING).household
    client.force_login(users["zhandian_jingban"])
    assert client.get(f"/households/{household.pk}/edit/").status_code == 200
    r = client.post(f"/households/{household.pk}/edit/", {"village": HEYING, "address": "何营东村二组9号",
                                                           "hukou_type": "urban", "phone": "", "note": "搬迁"})
    assert r.status_code == 302
    household.refresh_from_db()
    assert (household.address, household.hukou_type) == ("何营东村二组9号", "urban")
    event = AuditEvent.objects.get(action="household.update")
    assert event.after["address"] == "何营东村二组9号" and event.before["hukou_type"] == "rural"


def test_edit_cannot_move_household_out_of_scope(client, users):
    """§0: the village dropdown only offers villages in scope; another township's village is refused."""
    household = PersonFactory(household__village=HEYING).household
    client.force_login(users["zhandian_jingban"])
    r = client.post(f"/households/{household.pk}/edit/", {"village": "410823102200", "address": "x",
                                                           "hukou_type": "rural"})
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    household.refresh_from_db()
    assert household.village_id == HEYING


def test_add_member_and_income(client, users):
    """§4: members and 12-month income items are added from the household page."""
    household = PersonFactory(household__village=HEYING).household
    client.force_login(users["heying_cun"])
    raw = make_id("410823", dt.date(2010, 6, 1), "F")
    r = client.post(f"/households/{household.pk}/members/new/", {
        "name": "张小花", "id_number": raw, "relationship": "child", "work_capacity": "none",
        "employment": "student", "school": "junior"})
    assert r.status_code == 302
    child = household.members.get(name="张小花")
    assert child.sex == "F" and child.school == "junior"
    r = client.post(f"/households/{household.pk}/income/new/", {
        "income-person": child.pk, "income-kind": "transfer", "income-amount_12m": "1200.50",
        "income-employment_cost": "0", "income-description": "助学金"})
    assert r.status_code == 302
    item = IncomeItem.objects.get()
    assert str(item.amount_12m) == "1200.50" and item.person == child
    assert AuditEvent.objects.filter(action="income.add").exists()


def test_household_list_and_search(client, users):
    """§4 search: full ID via the blind index (any spelling), name, and name + last four digits."""
    a = PersonFactory(household__village=HEYING, name="李秀英")
    b = PersonFactory(household__village=HEYING, name="李秀英")
    PersonFactory(household__village=HEYING, name="王大山")
    raw_a = a.reveal_id_number()
    client.force_login(users["heying_cun"])

    def found(q):
        # Full ID numbers are searched by POST so they never enter a URL or an access log (issue #3 §5).
        by_id = sum(c.isdigit() for c in q) >= 15
        html = (client.post if by_id else client.get)("/households/", {"q": q}).content.decode()
        return {pk for pk in (a.household_id, b.household_id) if f'/households/{pk}/"' in html}, html

    assert found(raw_a)[0] == {a.household_id}
    assert found(" " + raw_a.lower()[:6] + " " + raw_a.lower()[6:])[0] == {a.household_id}
    assert found("李秀英")[0] == {a.household_id, b.household_id}
    assert found(f"李秀英{raw_a[-4:]}")[0] == {a.household_id}
    ids, html = found(make_id("410823", dt.date(1950, 1, 1)))
    assert not ids and "没有找到" in html


def test_search_echo_masks_a_full_id(client, users):
    """§4: a searched ID that matches nothing is echoed back masked, not in full."""
    client.force_login(users["heying_cun"])
    raw = make_id("410823", dt.date(1950, 1, 1))
    html = client.post("/households/", {"q": raw}).content.decode()
    assert f"{raw[:6]}********{raw[-4:]}" in html and raw not in html


def test_pages_show_ids_masked(client, users):
    """§4: list and detail pages show 410823********1234, never the full number."""
    person = PersonFactory(household__village=HEYING)
    raw = person.reveal_id_number()
    client.force_login(users["zhandian_jingban"])
    for url in ("/households/", f"/households/{person.household_id}/", f"/persons/{person.pk}/edit/"):
        html = client.get(url).content.decode()
        assert raw not in html, url
    assert person.id_masked in client.get(f"/households/{person.household_id}/").content.decode()


def test_reveal_full_id_requires_reason_post_and_is_audited(client, users):
    """§4: the full ID shows only after a POST with a reason; each reveal is in the audit trail;
    the number never appears in a URL."""
    person = PersonFactory(household__village=HEYING)
    raw = person.reveal_id_number()
    url = f"/persons/{person.pk}/reveal/"
    client.force_login(users["heying_cun"])
    assert client.get(url).status_code == 405
    r = client.post(url, {"reason": ""})
    assert raw not in r.content.decode() and not AuditEvent.objects.filter(action="pii.reveal").exists()
    assert "用途" in r.content.decode()
    r = client.post(url, {"reason": "入户核对"})
    assert r.status_code == 200 and raw in r.content.decode()
    assert r["Cache-Control"] == "no-store"
    assert raw not in r.request["PATH_INFO"] and raw not in r.request.get("QUERY_STRING", "")
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.category, event.reason, event.object_id) == (
        users["heying_cun"], "access", "入户核对", str(person.pk))
    assert raw not in str(event.after)


def test_remove_member_needs_reason_and_head_stays(client, users):
    """§4: removing a member needs a reason; the head cannot be removed."""
    head = PersonFactory(household__village=HEYING)
    child = PersonFactory(household=head.household, relationship="child")
    client.force_login(users["heying_cun"])
    client.post(f"/persons/{child.pk}/remove/", {"reason": ""})
    assert Person.objects.filter(pk=child.pk).exists()
    client.post(f"/persons/{head.pk}/remove/", {"reason": "去世"})
    assert Person.objects.filter(pk=head.pk).exists()
    client.post(f"/persons/{child.pk}/remove/", {"reason": "已迁出"})
    assert not Person.objects.filter(pk=child.pk).exists()
    assert AuditEvent.objects.get(action="person.remove").reason == "已迁出"

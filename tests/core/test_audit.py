"""§5 audit trail: who, what, before/after, reason, request id and IP for every change; append-only;
browsable by county and city users filtered by object, actor and date."""
import datetime as dt
import os

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core import audit
from core.models import AuditEvent
from tests.factories import PersonFactory, make_id

pytestmark = pytest.mark.django_db
HEYING = "410823101200"


def test_changes_through_the_site_record_actor_before_after_reason_request_id_and_ip(client, users):
    """§5: each create/change/delete carries actor, role, before/after, reason, request id, IP and region."""
    person = PersonFactory(household__village=HEYING)
    child = PersonFactory(household=person.household, relationship="child")
    client.force_login(users["heying_cun"])
    headers = {"HTTP_X_REQUEST_ID": "req-0001-abcdef", "REMOTE_ADDR": "10.1.2.3"}
    r = client.post(f"/persons/{child.pk}/edit/", {"name": "改名", "relationship": "child", "work_capacity": "full",
                                                  "employment": "none"}, **headers)
    assert r.status_code == 302 and r["X-Request-ID"] == "req-0001-abcdef"
    client.post(f"/persons/{child.pk}/remove/", {"reason": "已迁出"}, **headers)

    update = AuditEvent.objects.get(action="person.update")
    assert (update.actor, update.actor_username, update.actor_role) == (users["heying_cun"], "heying_cun",
                                                                         "village_staff")
    assert update.before["name"] != "改名" and update.after == {"name": "改名"}
    assert (update.request_id, update.ip) == ("req-0001-abcdef", "10.1.2.3")
    assert (update.county_code, update.township_code, update.village_code) == ("410823", "410823101", HEYING)
    assert (update.object_type, update.object_id) == ("cases.person", str(child.pk))
    removal = AuditEvent.objects.get(action="person.remove")
    assert removal.reason == "已迁出" and removal.before["name"] == "改名" and removal.request_id == "req-0001-abcdef"


def test_unsafe_request_id_is_replaced(client, users):
    """§5: a request id header that is not a plain token is not trusted."""
    client.force_login(users["heying_cun"])
    r = client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert r["X-Request-ID"] != "<script>" and len(r["X-Request-ID"]) == 32


def test_snapshot_never_holds_ciphertext(users):
    """§5: encrypted columns never enter before/after."""
    person = PersonFactory(household__village=HEYING)
    snap = audit.snapshot(person)
    assert "id_cipher" not in snap and snap["id_masked"] == person.id_masked


def test_trail_rows_cannot_be_updated_or_deleted(users):
    """§5 append-only: the database refuses UPDATE and DELETE (trigger on SQLite and PostgreSQL)."""
    event = audit.record(actor=users["heying_cun"], action="test.event", reason="原因")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE core_auditevent SET reason = 'x'")
    assert AuditEvent.objects.get(pk=event.pk).reason == "原因"


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs PostgreSQL (DATABASE_URL)")
def test_postgres_trigger_refuses_update_delete_and_truncate(users):
    """§5 append-only on PostgreSQL: the trigger refuses UPDATE, DELETE and TRUNCATE even in raw SQL."""
    assert connection.vendor == "postgresql"
    event = audit.record(actor=users["heying_cun"], action="test.event")
    for sql in (f"UPDATE core_auditevent SET reason = 'x' WHERE id = {event.pk}",
                f"DELETE FROM core_auditevent WHERE id = {event.pk}"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("TRUNCATE core_auditevent CASCADE")
    with connection.cursor() as cur:
        cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass AND NOT tgisinternal")
        assert {r[0] for r in cur.fetchall()} == {"core_auditevent_no_update", "core_auditevent_no_truncate"}
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.fixture
def trail(users):
    """Events in 武陟县 (two actors, two days) and 温县, plus a security event."""
    a = PersonFactory(household__village=HEYING)
    b = PersonFactory(household__village="410825101201")
    audit.record(actor=users["heying_cun"], action="household.update", obj=a.household, reason="甲")
    audit.record(actor=users["zhandian_jingban"], action="person.update", obj=a, reason="乙")
    audit.record(actor=users["xiangyun_jingban"], action="household.update", obj=b.household, reason="丙")
    audit.record(actor=None, action="login.failed", category=audit.Category.SECURITY, region=("", "", ""),
                 reason="丁")
    return a, b


def _reasons(client, **params):
    html = client.get("/audit-trail/", params).content.decode()
    return {r for r in "甲乙丙丁" if f"<td>{r}</td>" in html}


def test_county_officer_browses_own_county_filtered(client, users, trail):
    """§5: county users see their county's business trail, filterable by object, actor and date."""
    a, _ = trail
    client.force_login(users["wuzhi_minzheng"])
    assert _reasons(client) == {"甲", "乙"}
    assert _reasons(client, actor="zhandian_jingban") == {"乙"}
    assert _reasons(client, object_type="cases.household", object_id=str(a.household_id)) == {"甲"}
    today = timezone.localdate()
    assert _reasons(client, **{"from": today.isoformat(), "to": today.isoformat()}) == {"甲", "乙"}
    assert _reasons(client, **{"from": (today + dt.timedelta(days=1)).isoformat()}) == set()
    assert _reasons(client, **{"to": (today - dt.timedelta(days=1)).isoformat()}) == set()


def test_reviewer_and_city_admin_browse(client, users, trail):
    """§5: the county reviewer reads its county; the city administrator all counties (business only);
    the audit administrator everything including security events."""
    client.force_login(users["wuzhi_choucha"])
    assert _reasons(client) == {"甲", "乙"}
    client.force_login(users["shi_admin"])
    assert _reasons(client) == {"甲", "乙", "丙"}
    client.force_login(users["shi_shenji"])
    assert _reasons(client) == {"甲", "乙", "丙", "丁"}


@pytest.mark.parametrize("username", ["wuzhi_caizheng", "shi_xitong"])
def test_village_township_finance_cannot_browse(client, users, trail, username):
    """§5: finance and the system administrator have no audit trail (404); village and township staff see
    the history of the cases in their own scope (tests/accounts/test_separation.py)."""
    client.force_login(users[username])
    assert client.get("/audit-trail/").status_code == 404


def test_creating_a_household_by_api_is_recorded(client, users):
    """§5: the API path records the same event as the page path."""
    client.force_login(users["zhandian_jingban"])
    r = client.post("/api/v1/households/", {"village": HEYING, "address": "x", "hukou_type": "rural", "members": [
        {"name": "甲乙", "id_number": make_id(), "relationship": "head"}]}, content_type="application/json",
        HTTP_X_REQUEST_ID="api-req-12345", REMOTE_ADDR="10.9.9.9")
    assert r.status_code == 201
    event = AuditEvent.objects.get(action="household.create")
    assert (event.actor, event.request_id, event.ip) == (users["zhandian_jingban"], "api-req-12345", "10.9.9.9")

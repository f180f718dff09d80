"""Bulk 分派 of re-checks from the re-check list (issue #21): each row through rechecks.recheck_assign (audited,
scoped); another township's re-checks are never touched; the refusals are counted in Chinese."""
import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Role, User
from cases.dibao import rechecks
from cases.models import Entitlement, Recheck
from core.models import AuditEvent, Region
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
MONTH = dt.date(2026, 11, 1)
ZHANDIAN_VILLAGE, XITAO_VILLAGE = "410823101200", "410823102200"


def _recheck(village: str) -> Recheck:
    hh = PersonFactory(household__village=village).household
    ent = Entitlement.objects.create(household=hh, category="dibao", persons_covered=2,
                                     monthly_amount=Decimal("600.00"), start_month=dt.date(2025, 1, 1),
                                     next_recheck=dt.date(2026, 11, 10), county_id=hh.county_id,
                                     township_id=hh.township_id, village_id=hh.village_id)
    rechecks.recheck_list_month(month=MONTH)
    return Recheck.objects.get(entitlement=ent)


def _second_caseworker(township="410823101") -> User:
    return User.objects.create_user(username=f"cw_{township}", password="x-Jiuzhu-2026!", role=Role.TOWNSHIP_CASEWORKER,
                                    region=Region.objects.get(code=township), full_name="詹店镇经办 孙丽")


def _post(client, ids, assignee):
    return client.post("/rechecks/assign/?month=2026-11", {"ids": ids, "assignee": assignee.pk}, follow=True)


def test_caseworker_assigns_many_only_her_townships_and_each_is_audited(users, client):
    mine = [_recheck(ZHANDIAN_VILLAGE) for _ in range(3)]
    other = _recheck(XITAO_VILLAGE)
    sun = _second_caseworker()
    client.force_login(users["zhandian_jingban"])
    page = client.get("/rechecks/?month=2026-11").content.decode()
    assert 'data-check-all="ids"' in page and "全选" in page and f'value="{sun.pk}"' in page
    assert f'value="{users["xitao_jingban"].pk}"' not in page  # only her own township's caseworkers are offered

    r = _post(client, [mine[0].pk, mine[1].pk, other.pk, 999999, "x"], sun)
    text = r.content.decode()
    assert r.status_code == 200
    assert "已将 2 户复核分派给詹店镇经办 孙丽" in text
    assert "2 条所选记录不存在或不在您的办理范围内，未作处理" in text
    assigned = dict(Recheck.objects.values_list("pk", "assigned_to"))
    assert assigned == {mine[0].pk: sun.pk, mine[1].pk: sun.pk, mine[2].pk: None, other.pk: None}
    # the audit trail: one event per assignment, by the caseworker, on the re-check, in its township
    events = AuditEvent.objects.filter(action="recheck.assign").order_by("object_id")
    assert [e.object_id for e in events] == sorted(str(m.pk) for m in mine[:2])
    assert all(e.actor == users["zhandian_jingban"] and e.after["assignee_id"] == sun.pk for e in events)
    assert all(e.township_code == "410823101" and e.object_type == "cases.recheck" for e in events)
    denied = AuditEvent.objects.get(action="access.denied", object_type="cases.recheck")
    assert denied.after["ids"] == [other.pk, 999999]
    assert not AuditEvent.objects.filter(action="recheck.assign", object_id=str(other.pk)).exists()

    # again to the same person: nothing changes, nothing new on the trail; a reassignment keeps the before
    r = _post(client, [mine[0].pk], sun)
    assert "1 户复核原已分派给詹店镇经办 孙丽，未作变更" in r.content.decode()
    assert AuditEvent.objects.filter(action="recheck.assign").count() == 2
    _post(client, [mine[0].pk], users["zhandian_jingban"])
    last = AuditEvent.objects.filter(action="recheck.assign").latest("id")
    assert last.before == {"assigned_to": "詹店镇经办 孙丽"} and last.after["assignee_id"] == users["zhandian_jingban"].pk
    page = client.get("/rechecks/?month=2026-11").content.decode()
    assert "詹店镇经办 孙丽" in page and "未分派" in page


def test_another_township_moves_nothing(users, client):
    mine = [_recheck(ZHANDIAN_VILLAGE) for _ in range(2)]
    client.force_login(users["xitao_jingban"])
    r = _post(client, [m.pk for m in mine], users["xitao_jingban"])
    assert "2 条所选记录不存在或不在您的办理范围内" in r.content.decode()
    assert not Recheck.objects.filter(assigned_to__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="recheck.assign").exists()
    # nor can she hand our re-checks to our own caseworker
    _post(client, [m.pk for m in mine], users["zhandian_jingban"])
    assert not Recheck.objects.filter(assigned_to__isnull=False).exists()


def test_assignee_must_be_a_caseworker_of_the_townships(users, client):
    mine = _recheck(ZHANDIAN_VILLAGE)
    client.force_login(users["zhandian_jingban"])
    for wrong in ("xitao_jingban", "zhandian_shenpi", "heying_cun"):  # other township; leader; village staff
        r = _post(client, [mine.pk], users[wrong])
        assert "请选择本乡镇（街道）的经办人" in r.content.decode()
    assert Recheck.objects.get(pk=mine.pk).assigned_to is None
    with pytest.raises(Exception, match="只能分派给本乡镇"):
        rechecks.recheck_assign(actor=users["zhandian_jingban"], recheck=mine, assignee=users["xitao_jingban"])


def test_done_rechecks_are_refused_with_a_count(users, client):
    open_row, done = _recheck(ZHANDIAN_VILLAGE), _recheck(ZHANDIAN_VILLAGE)
    Recheck.objects.filter(pk=done.pk).update(outcome="continue", note="继续保障", done_at=dt.datetime(2026, 11, 5,
                                                                                                  tzinfo=dt.UTC))
    client.force_login(users["zhandian_shenpi"])  # the township leader assigns too
    r = _post(client, [open_row.pk, done.pk], users["zhandian_jingban"])
    text = r.content.decode()
    assert "已将 1 户复核分派给" in text and "1 户复核未分派：该复核已办结，不能再分派" in text
    assert Recheck.objects.get(pk=done.pk).assigned_to is None


@pytest.mark.parametrize("username", ["heying_cun", "wuzhi_minzheng", "wuzhi_caizheng", "shi_admin"])
def test_roles_without_case_work_cannot_assign(users, client, username):
    mine = _recheck(ZHANDIAN_VILLAGE)
    client.force_login(users[username])
    assert client.post("/rechecks/assign/", {"ids": [mine.pk], "assignee": users["zhandian_jingban"].pk}
                       ).status_code == 404
    assert Recheck.objects.get(pk=mine.pk).assigned_to is None
    if username == "heying_cun":
        assert 'data-check-all="ids"' not in client.get("/rechecks/?month=2026-11").content.decode()


def test_more_ticked_than_the_limit_says_what_was_left(users, client, monkeypatch):
    """A bulk assignment processes at most BULK_ASSIGN_MAX rows and says how many were left for another round."""
    from cases.dibao import views

    monkeypatch.setattr(views, "BULK_ASSIGN_MAX", 2)
    mine = [_recheck(ZHANDIAN_VILLAGE) for _ in range(3)]
    client.force_login(users["zhandian_jingban"])
    page = _post(client, [m.pk for m in mine], users["zhandian_jingban"]).content.decode()
    assert "一次最多分派 2 户" in page and "其余 1 户请再次分派" in page
    assert Recheck.objects.filter(assigned_to=users["zhandian_jingban"]).count() == 2

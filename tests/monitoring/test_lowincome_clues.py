"""§12-4 the 医保 discovery clue reaches members of a 低保边缘 household enrolled through the procedure."""
import pytest

from monitoring.models import Clue
from tests.cases.lowincome_helpers import edge_household, enrol
from tests.monitoring.helpers import upload, xlsx

pytestmark = pytest.mark.django_db


def test_medical_rule_discovery_clue_for_an_enrolled_edge_member(users, monkeypatch):
    hh = edge_household()
    enrol(users, monkeypatch, hh)
    member = hh.members.order_by("id").last()
    upload(users["wuzhi_minzheng"], "medical", xlsx([
        ["参保人姓名", "参保人身份证号码", "个人自付金额", "结算日期"],
        [member.name, member.reveal_id_number(), "18000.00", "2026-10-30"]]))
    clue = Clue.objects.get(person=member)
    assert clue.kind == "discovery" and "低保边缘家庭成员" in clue.summary

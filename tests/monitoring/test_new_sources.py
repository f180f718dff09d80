"""Department sources 兵役, 司法 (prisons) and 应急管理 (disaster victims) in the monthly comparison."""
import pytest

from monitoring.models import Clue, RunIssue
from monitoring.sources import SOURCE_CHOICES
from tests.factories import PersonFactory
from tests.monitoring.helpers import enrolled, upload, xlsx

pytestmark = pytest.mark.django_db


def test_military_and_prison_rules_change_clue_for_enrolled_members_only(users):
    officer = users["wuzhi_minzheng"]
    _, soldier, _ = enrolled("dibao_edge")
    outsider = PersonFactory()
    upload(officer, "military", xlsx([["姓名", "身份证号码", "入伍日期", "服役单位"],
                                      [soldier.name, soldier.reveal_id_number(), "2026-09-10", "某部"],
                                      [outsider.name, outsider.reveal_id_number(), "2026-09-10", "某部"]]))
    clue = Clue.objects.get()
    assert (clue.kind, clue.person_id) == ("change", soldier.pk) and "参军服役" in clue.summary
    _, prisoner, _ = enrolled("dibao")
    upload(officer, "prison", xlsx([["姓名", "身份证号码", "监狱名称", "刑期", "入监日期"],
                                    [prisoner.name, prisoner.reveal_id_number(), "河南省某监狱", "36个月",
                                     "2026-08-01"]]))
    clue = Clue.objects.get(person=prisoner)
    assert clue.kind == "change" and "在监服刑" in clue.summary and "36个月" in clue.summary


def test_disaster_rule_every_victim_is_a_discovery_clue(users):
    officer = users["wuzhi_minzheng"]
    registered = PersonFactory()
    upload(officer, "disaster", xlsx([["姓名", "身份证号码", "灾害类型", "直接经济损失", "受灾日期", "乡镇", "村"],
                                      [registered.name, registered.reveal_id_number(), "暴雨洪涝", "20000",
                                       "2026-07-20", "", ""]]))
    clue = Clue.objects.get(person=registered)
    assert clue.kind == "discovery" and "临时救助" in clue.summary
    assert {"military", "prison", "disaster"} <= {code for code, _ in SOURCE_CHOICES}
    assert RunIssue is not None

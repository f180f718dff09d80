"""§1 monthly data comparison: the clue rule of each source, death holds, no automatic exit, malformed files,
idempotent reruns and runs interrupted by a killed worker."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.parameters import services as parameter_services
from cases.models import Entitlement, PaymentHold
from core import idnumbers
from monitoring import services
from monitoring.models import Clue, ComparisonRun, RunIssue, StagingRow
from tests.factories import HouseholdFactory, PersonFactory, make_id
from tests.monitoring.helpers import committing, csv_bytes, enrolled, upload, xlsx

pytestmark = pytest.mark.django_db
HEAD = ["姓名", "身份证号码", "死亡日期"]


@pytest.fixture
def officer(users):
    return users["wuzhi_minzheng"]


@pytest.fixture
def caseworker(users):
    return users["zhandian_jingban"]


def run_of(officer, source, rows, **kw):
    run = upload(officer, source, xlsx(rows, **kw))
    run.refresh_from_db()
    return run


# --- each source's rule -----------------------------------------------------------------------------------

def test_death_rule_every_registered_person_gets_a_death_clue_and_a_hold(officer):
    """§1 deaths: a registered 低保 person reported dead → 死亡 clue to the township + immediate hold."""
    household, head, ent = enrolled("dibao")
    unregistered = make_id("410823")
    run = run_of(officer, "death_police", [HEAD, [head.name, idnumbers.unseal(head.id_cipher, aad=head.aad("id_number")),
                                                  "2026-10-03"], ["某某", unregistered, "2026-10-04"]])
    assert run.status == "succeeded", run.error
    assert (run.rows_read, run.rows_valid, run.rows_matched, run.clues_created) == (2, 2, 1, 1)
    clue = Clue.objects.get()
    assert clue.kind == "death" and clue.township_id == "410823101" and clue.status == "open"
    assert clue.event_date == dt.date(2026, 10, 3)
    assert clue.due_date > timezone.localdate()
    hold = PaymentHold.objects.get()
    assert clue.hold_id == hold.pk and hold.person_id == head.pk and hold.kind == "death" and hold.released_at is None
    assert run.holds_placed == 1


def _id(person):
    return person.reveal_id_number()


def test_vehicle_rule_only_persons_in_open_dibao_or_tekun_households(officer):
    """车管: vehicles matter only for persons in an open 低保/特困 household; 残疾人专用车 exempt."""
    _, dibao_person, _ = enrolled("dibao")
    _, edge_person, _ = enrolled("dibao_edge")
    _, tekun_person, _ = enrolled("tekun_dispersed")
    plain = PersonFactory()
    rows = [["所有人", "身份证号码", "号牌号码", "车辆类型", "初次登记日期"],
            [dibao_person.name, _id(dibao_person), "豫H12345", "小型轿车", "2026-09-01"],
            [edge_person.name, _id(edge_person), "豫H22222", "小型轿车", "2026-09-01"],
            [tekun_person.name, _id(tekun_person), "豫H33333", "残疾人专用小型自动挡载客汽车", "2026-09-01"],
            [plain.name, _id(plain), "豫H44444", "小型轿车", "2026-09-01"]]
    run = run_of(officer, "vehicle", rows, title="车辆登记信息")
    assert run.rows_matched == 4
    clue = Clue.objects.get()
    assert (clue.kind, clue.person_id, clue.fact_key) == ("property", dibao_person.pk, "vehicle:豫H12345")


def test_medical_rule_large_spending_in_dibao_edge_household_is_a_discovery_clue(officer):
    """医保 (§12-4): 低保边缘 household member with out-of-pocket ≥ param → 主动发现; below it or in 低保 → none."""
    _, edge_big, _ = enrolled("dibao_edge")
    _, edge_small, _ = enrolled("dibao_edge")
    _, dibao, _ = enrolled("dibao")
    rows = [["参保人姓名", "参保人身份证号码", "个人自付金额", "结算日期"],
            [edge_big.name, _id(edge_big), "23,456.70", "2026-09-30"],
            [edge_small.name, _id(edge_small), "9999.99", "2026-09-30"],
            [dibao.name, _id(dibao), "50000", "2026-09-30"]]
    run_of(officer, "medical", rows)
    clue = Clue.objects.get()
    assert clue.kind == "discovery" and clue.person_id == edge_big.pk and str(clue.amount) == "23456.70"
    assert "引导申请" in clue.summary


def test_disability_rule_new_severe_certificate(officer):
    """残联: grade 1–2 outside 低保/特困 → 主动发现; inside with a different recorded grade → 残疾情况变化;
    grade 3–4 → nothing."""
    outside = PersonFactory()
    _, inside, _ = enrolled("dibao")
    mild = PersonFactory()
    rows = [["持证人姓名", "持证人身份证号码", "残疾类别", "残疾等级", "残疾人证号"],
            [outside.name, _id(outside), "肢体", "一级", "A1"],
            [inside.name, _id(inside), "视力", "2", "A2"],
            [mild.name, _id(mild), "听力", "四级", "A3"]]
    run_of(officer, "disability", rows)
    kinds = dict(Clue.objects.values_list("person_id", "kind"))
    assert kinds == {outside.pk: "discovery", inside.pk: "disability"}


def test_unregistered_severe_disability_or_monitored_person_goes_to_the_village_the_file_names(officer, caseworker):
    """主动发现 of people the system has never seen: a grade 1–2 certificate holder (残联) or a 防返贫监测对象
    (乡村振兴) whose ID matches nobody becomes a discovery clue for the township of the village the file's
    乡镇/村 columns name — no person or household, name and masked ID only; a rerun adds nothing; milder
    grades give nothing."""
    severe, mild, monitored = make_id("410823"), make_id("410823"), make_id("410823")
    head = ["持证人姓名", "持证人身份证号码", "残疾类别", "残疾等级", "残疾人证号", "乡镇", "村"]
    data = xlsx([head, ["甲某", severe, "肢体", "一级", "A1", "詹店镇", "何营东村民委员会"],
                 ["乙某", mild, "听力", "四级", "A2", "詹店镇", "何营东村"]])
    run = upload(officer, "disability", data)
    run.refresh_from_db()
    assert (run.rows_matched, run.rows_unregistered, run.clues_created) == (0, 1, 1)
    clue = Clue.objects.get()
    assert (clue.person_id, clue.household_id, clue.kind, clue.status) == (None, None, "discovery", "open")
    assert (clue.township_id, clue.village_id) == ("410823101", "410823101200")
    assert clue.subject_name == "甲某" and clue.subject_id_masked == idnumbers.mask(severe)
    assert "甲某持1级肢体残疾人证（重度），本系统无此人登记" in clue.summary and "第3行" in clue.summary
    assert not RunIssue.objects.filter(run=run).exists()
    with committing():
        services.run_retry(actor=officer, run=ComparisonRun.objects.get(pk=run.pk))
    assert Clue.objects.count() == 1 and ComparisonRun.objects.get(pk=run.pk).clues_created == 0

    rural = run_of(officer, "rural", [["户主姓名", "户主身份证号码", "监测对象类型", "乡（镇）", "行政村"],
                                      ["丙某", monitored, "突发严重困难户", "詹店", "何营东村"]])
    assert rural.clues_created == 1
    assert "丙某为防返贫监测对象（突发严重困难户）" in Clue.objects.get(run=rural).summary

    # the township closes it like any clue: confirmed → guide an application; nothing else is touched
    done = services.clue_record_finding(actor=caseworker, clue=clue, confirmed=True,
                                        finding="入户了解：独居，无劳动能力，已指导其提交低保申请")
    assert done.status == "confirmed" and done.followup == "application"


def test_unregistered_person_without_a_certain_place_is_listed_for_the_county(officer):
    """No 乡镇/村 columns, an unknown village or a village name two townships share: no guessing — the run lists
    the person as a 未登记 row (row number, masked ID, the fact, why) for the county to pass on."""
    a, b = make_id("410823"), make_id("410823")
    run = run_of(officer, "disability", [["持证人姓名", "持证人身份证号码", "残疾类别", "残疾等级"],
                                         ["甲某", a, "肢体", "一级"]])
    assert (run.rows_unregistered, run.clues_created) == (1, 0)
    issue = RunIssue.objects.get(run=run)
    assert issue.kind == "missing" and issue.row_no == 3 and issue.id_masked == idnumbers.mask(a)
    assert "甲某持1级肢体残疾人证（重度），本系统无此人登记；文件未写明乡镇和村" in issue.message
    unknown = run_of(officer, "rural", [["户主姓名", "户主身份证号码", "监测对象类型", "乡镇", "村"],
                                        ["丙某", b, "边缘易致贫户", "詹店镇", "不存在村"]])
    assert (unknown.rows_unregistered, unknown.clues_created) == (1, 0)
    assert "文件所写“詹店镇不存在村”在本县无法确定" in RunIssue.objects.get(run=unknown).message
    deaths = run_of(officer, "death_police", [HEAD, ["丁某", make_id("410823"), "2026-10-01"]])
    assert deaths.rows_unregistered == 0 and not RunIssue.objects.filter(run=deaths).exists()
    assert not Clue.objects.exists()


def test_place_names_resolve_only_when_certain():
    """詹店镇 / 詹店 and 何营东村 / 何营东村民委员会 are the same places; a wrong township or no village is None."""
    from monitoring.places import PlaceResolver

    places = PlaceResolver("410823")
    assert places.village("詹店镇", "何营东村") == places.village("詹店", "何营东村民委员会") == "410823101200"
    assert places.village("", "何营东村") == "410823101200"  # unique in the county
    assert places.village("西陶镇", "何营东村") is None
    assert places.village("詹店镇", "") is None and places.village("某某镇", "何营东村") is None
    # 郭庵村 exists in 詹店镇 and in 圪垱店镇: without the township it is not certain
    assert places.village("", "郭庵村") is None
    assert places.village("詹店镇", "郭庵村") == "410823101214" and places.village("圪垱店镇", "郭庵") == "410823108214"


@pytest.mark.parametrize("source,header,extra,kind", [
    ("hrss_employment", ["姓名", "身份证号码", "单位名称", "月缴费基数"], ["焦作某公司", "3500"], "income"),
    ("hrss_pension", ["姓名", "公民身份号码", "月养老金", "待遇类型"], ["2100", "企业职工养老"], "income"),
    ("housing", ["权利人", "权利人证件号码", "房屋坐落", "建筑面积"], ["武陟县某小区1-101", "120.5"], "property"),
    ("company", ["法定代表人", "法定代表人证件号码", "企业名称", "统一社会信用代码"], ["某某商贸", "91410823MA0000000X"],
     "property"),
    ("education", ["学生姓名", "学生身份证号码", "学校名称", "学段"], ["武陟一中", "高中"], "change"),
])
def test_income_property_and_school_rules_only_for_paid_households(officer, source, header, extra, kind):
    """人社/住建/市场监管/教育: a clue only for persons in an open 低保/特困 household."""
    _, paid, _ = enrolled("tekun_central")
    unpaid = PersonFactory()
    run_of(officer, source, [header, [paid.name, _id(paid), *extra], [unpaid.name, _id(unpaid), *extra]])
    clue = Clue.objects.get()
    assert (clue.person_id, clue.kind, clue.source) == (paid.pk, kind, source)


def test_rural_rule_monitored_household_not_yet_assisted_is_discovery(officer):
    """乡村振兴: a 防返贫监测户 member with no 低保/特困/低保边缘 → 主动发现."""
    plain = PersonFactory()
    _, assisted, _ = enrolled("dibao")
    run_of(officer, "rural", [["户主姓名", "户主身份证号码", "监测对象类型"], [plain.name, _id(plain), "突发严重困难户"],
                              [assisted.name, _id(assisted), "边缘易致贫户"]])
    clue = Clue.objects.get()
    assert clue.person_id == plain.pk and clue.kind == "discovery"


# --- findings: no automatic exit; the death hold released only by decision -------------------------------

def test_no_automatic_exit_clue_leaves_entitlement_untouched_until_finding(officer, caseworker):
    """§12-5 no 一刀切: a clue never changes the entitlement; confirmed → re-check brought forward only."""
    _, person, ent = enrolled("dibao")
    run_of(officer, "vehicle", [["所有人", "身份证号码", "号牌号码"], [person.name, _id(person), "豫H88888"]])
    ent.refresh_from_db()
    assert ent.status == "active" and ent.next_recheck is None
    clue = Clue.objects.get()
    services.clue_record_finding(actor=caseworker, clue=clue, confirmed=True, finding="入户核实，车辆为本人所有")
    ent.refresh_from_db()
    clue.refresh_from_db()
    assert ent.status == "active" and ent.end_month is None  # still not exited
    assert ent.next_recheck == timezone.localdate()
    assert clue.status == "confirmed" and clue.followup == "recheck"


def test_unfounded_requires_reason(officer, caseworker):
    """A finding of 不属实 needs its reason."""
    _, person, _ = enrolled("dibao")
    run_of(officer, "vehicle", [["所有人", "身份证号码", "号牌号码"], [person.name, _id(person), "豫H88888"]])
    clue = Clue.objects.get()
    with pytest.raises(ValidationError) as err:
        services.clue_record_finding(actor=caseworker, clue=clue, confirmed=False, finding="")
    assert "理由" in str(err.value)


def test_death_hold_stays_until_decision_and_confirm_records_death(officer, caseworker):
    """Death: hold at once; confirmed → Person.deceased_on set, exit follow-up, hold kept; the entitlement is
    not ended by the clue (the township ends it)."""
    _, person, ent = enrolled("tekun_dispersed")
    run_of(officer, "death_health", [HEAD, [person.name, _id(person), "2026-10-05"]])
    clue = Clue.objects.get()
    with pytest.raises(ValidationError):
        services.clue_record_finding(actor=caseworker, clue=clue, confirmed=True, finding="已核实死亡医学证明")
    services.clue_record_finding(actor=caseworker, clue=clue, confirmed=True, finding="已核实死亡医学证明",
                                 deceased_on=dt.date(2026, 10, 5))
    person.refresh_from_db()
    ent.refresh_from_db()
    assert person.deceased_on == dt.date(2026, 10, 5)
    assert PaymentHold.objects.get().released_at is None
    assert ent.status == "active"
    assert Clue.objects.get().followup == "exit"


def test_death_unfounded_releases_the_hold(officer, caseworker):
    """Death clue found wrong (person alive): the hold is released by that decision, with the reason."""
    _, person, _ = enrolled("dibao")
    run_of(officer, "death_police", [HEAD, [person.name, _id(person), "2026-10-05"]])
    clue = Clue.objects.get()
    services.clue_record_finding(actor=caseworker, clue=clue, confirmed=False, finding="入户见到本人，系同名误报")
    hold = PaymentHold.objects.get()
    assert hold.released_at is not None and "不属实" in hold.released_reason


def test_clue_of_another_township_is_refused(officer, users):
    """Scope: 西陶镇 caseworker cannot decide a 詹店镇 clue."""
    _, person, _ = enrolled("dibao")
    run_of(officer, "vehicle", [["所有人", "身份证号码", "号牌号码"], [person.name, _id(person), "豫H1"]])
    with pytest.raises(ValidationError):
        services.clue_record_finding(actor=users["xitao_jingban"], clue=Clue.objects.get(), confirmed=False,
                                     finding="不属实理由充分")


# --- malformed input ---------------------------------------------------------------------------------------

def test_real_sheet_title_row_merged_cells_numbers_x_spaces_duplicates_and_15_digit(officer):
    """Title row above the header, merged date cells, IDs as numbers, lower-case x, spaces, a duplicate and a
    15-digit old ID: each read correctly and each explained per row."""
    # a person whose ID ends in X, one whose 15-digit form is known, one stored as a number
    x_id = next(i for i in (make_id("410823", dt.date(1960, 1, d)) for d in range(1, 29) for _ in range(12))
                if i.endswith("X"))
    _, px, _ = enrolled("dibao", id_number=x_id)
    old15 = "410823600101123"
    _, p15, _ = enrolled("dibao", id_number=idnumbers.upgrade_15(old15))
    digit_id = next(i for i in (make_id("410823", dt.date(1962, 3, d)) for d in range(1, 29)) if not i.endswith("X"))
    _, pnum, _ = enrolled("dibao", id_number=digit_id)
    rows = [HEAD,
            [px.name, " " + x_id.lower()[:6] + " " + x_id.lower()[6:] + " ", "2026-10-01"],
            [p15.name, int(old15), "2026-10-02"],
            [pnum.name, _id(pnum), "2026-10-03"],
            [pnum.name, _id(pnum), None],
            [pnum.name, int(_id(pnum)), "2026-10-03"],
            ["坏号码", "41082319700517", "2026-10-03"]]
    run = run_of(officer, "death_police", rows, merges=["C5:C6"])
    assert run.status == "succeeded", run.error
    counts = (run.rows_read, run.rows_valid, run.rows_invalid, run.rows_duplicate, run.rows_upgraded)
    assert counts == (6, 3, 2, 1, 1), list(RunIssue.objects.values_list("row_no", "message"))
    assert Clue.objects.count() == 3
    issues = {i.kind: i for i in RunIssue.objects.filter(run=run)}
    assert issues["upgraded"].row_no == 4 and "15位旧身份证号码已按国家标准" in issues["upgraded"].message
    assert issues["duplicate"].row_no == 6 and "与第5行身份证号码重复" in issues["duplicate"].message
    invalid = dict(RunIssue.objects.filter(run=run, kind="invalid").values_list("row_no", "message"))
    assert "以数字格式保存" in invalid[7] and "应为18位，当前为14位" in invalid[8]
    assert RunIssue.objects.get(run=run, row_no=8).id_masked == "410823********"  # refused IDs stay masked
    assert Clue.objects.get(person=pnum).event_date == dt.date(2026, 10, 3)  # merged cell value


def test_excel_number_that_lost_digits_is_refused_per_row(officer):
    """An 18-digit ID that Excel stored as 4.10823E+17 (last digits zeroed) is refused with the reason."""
    _, person, _ = enrolled("dibao")
    rows = [HEAD, [person.name, float(_id(person)[:15] + "000"), "2026-10-01"],
            ["乙", "4.10823E+17", "2026-10-01"]]
    run = run_of(officer, "death_police", rows, title=None)
    first, second = RunIssue.objects.filter(run=run).order_by("row_no")
    assert "末几位已丢失" in first.message and "科学计数法" in second.message
    assert Clue.objects.count() == 0


def _assert_refused(run, words):
    run.refresh_from_db()
    assert run.status == "failed"
    assert words in run.error, run.error
    assert not RunIssue.objects.filter(run=run).exists()
    assert not StagingRow.objects.exists() and not Clue.objects.exists() and not PaymentHold.objects.exists()
    assert _staging_tables() == []


def _staging_tables() -> list[str]:
    """PostgreSQL stages each run in a table of its own: none may outlive its run (success, refusal, crash)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'monitoring\\_stage\\_%%'")
        return [r[0] for r in cursor.fetchall()]


def _assert_refused_at_upload(officer, source, data, name, words):
    """A file-level refusal comes in the web request (core.tabular's gate and the header check): no run, no job."""
    with pytest.raises(ValidationError) as err:
        upload(officer, source, data, name)
    assert words in str(err.value), str(err.value)
    assert not ComparisonRun.objects.exists()
    assert not RunIssue.objects.exists() and not Clue.objects.exists() and not PaymentHold.objects.exists()


def test_empty_file_is_refused_with_message(officer):
    _assert_refused_at_upload(officer, "death_police", b"", "empty.csv", "空")
    _assert_refused_at_upload(officer, "death_police", b"\n\n  \n", "blank.csv", "空")


def test_header_only_file_is_refused(officer):
    _assert_refused(upload(officer, "death_police", xlsx([HEAD])), "没有数据行")


def test_wrong_columns_are_refused_naming_the_expected_columns(officer):
    with pytest.raises(ValidationError) as err:
        upload(officer, "vehicle", xlsx([["车主", "电话", "车牌"], ["张三", "13800000000", "豫H1"]]))
    message = str(err.value)
    assert "没有找到身份证号码列" in message and "号牌号码" in message and "车主、电话、车牌" in message
    assert not ComparisonRun.objects.exists()


def test_not_a_spreadsheet_is_refused(officer):
    _assert_refused_at_upload(officer, "death_police", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(200), "a.xlsx",
                              "不是 Excel 文件")
    _assert_refused_at_upload(officer, "death_police", b"PK\x03\x04garbage" + bytes(100), "b.xlsx", "不是 Excel")
    _assert_refused_at_upload(officer, "death_police", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n" + bytes(300), "c.xlsx",
                              "不是 Excel 文件")


def test_password_protected_xlsx_is_refused(officer):
    """An encrypted OOXML workbook is an OLE container with an EncryptedPackage stream."""
    blob = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedInfo".encode("utf-16-le") + bytes(20)
            + "EncryptedPackage".encode("utf-16-le") + bytes(600))
    _assert_refused_at_upload(officer, "death_police", blob, "secret.xlsx", "密码")


def test_csv_in_gbk_with_title_row(officer):
    """CSV exported by department systems (GBK, a title line) is read like xlsx."""
    _, person, _ = enrolled("dibao")
    data = csv_bytes([["武陟县死亡人员"], HEAD, [person.name, _id(person), "2026/10/7"]], encoding="gb18030")
    run = upload(officer, "death_police", data, "deaths.csv")
    run.refresh_from_db()
    assert run.status == "succeeded" and Clue.objects.get().event_date == dt.date(2026, 10, 7)


def test_failure_mid_write_leaves_nothing_half_written(officer, monkeypatch):
    """A crash after staging and clue writing rolls everything back; the run says so in Chinese."""
    _, person, _ = enrolled("dibao")
    from monitoring import services as svc

    def boom(run):
        raise RuntimeError("disk full")

    monkeypatch.setattr(svc, "_hold_deaths", boom)
    run = upload(officer, "death_police", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    _assert_refused(run, "未写入任何线索")


# --- reruns and killed workers --------------------------------------------------------------------------------

def test_rerun_and_reupload_never_duplicate_clues_or_holds(officer):
    """Idempotent: rerunning a run, or uploading the same file again, creates no second clue or hold."""
    _, person, _ = enrolled("dibao")
    data = xlsx([HEAD, [person.name, _id(person), "2026-10-01"]])
    run = upload(officer, "death_police", data)
    with committing():
        services.run_retry(actor=officer, run=ComparisonRun.objects.get(pk=run.pk))
    again = upload(officer, "death_health", data)
    again.refresh_from_db()
    assert again.status == "succeeded" and again.rows_matched == 1 and again.clues_created == 0
    assert Clue.objects.count() == 1 and PaymentHold.objects.count() == 1
    assert ComparisonRun.objects.get(pk=run.pk).attempts == 2
    assert not StagingRow.objects.exists() and _staging_tables() == []


def test_open_death_clue_gets_its_hold_once_the_household_is_paid(officer):
    """§1: a death reported while the household had no 低保 makes a clue without a hold; when a later run
    reports the same death after the household was approved, the open clue gets the hold (no second clue)."""
    household = HouseholdFactory(village="410823101200")
    person = PersonFactory(household=household, id_number=make_id("410823"))
    data = xlsx([HEAD, [person.name, _id(person), "2026-10-01"]])
    first = run_of(officer, "death_police", [HEAD, [person.name, _id(person), "2026-10-01"]])
    clue = Clue.objects.get()
    assert first.clues_created == 1 and first.holds_placed == 0 and clue.hold_id is None
    Entitlement.objects.create(household=household, county_id=household.county_id,
                               township_id=household.township_id, village_id=household.village_id,
                               category="dibao", persons_covered=1, monthly_amount="520.00",
                               start_month=dt.date(2026, 1, 1))
    second = upload(officer, "death_health", data)
    second.refresh_from_db()
    clue.refresh_from_db()
    hold = PaymentHold.objects.get()
    assert (second.clues_created, second.holds_placed) == (0, 1)
    assert clue.hold_id == hold.pk and hold.person_id == person.pk and person.name in hold.reason
    assert Clue.objects.count() == 1


def test_person_already_confirmed_dead_gets_no_new_clue_or_hold(officer):
    """A death the township has already confirmed is not reported again and holds nothing."""
    _, person, _ = enrolled("dibao")
    person.deceased_on = dt.date(2026, 9, 1)
    person.save(update_fields=["deceased_on"])
    run = run_of(officer, "death_police", [HEAD, [person.name, _id(person), "2026-09-01"]])
    assert (run.rows_matched, run.clues_created, run.holds_placed) == (1, 0, 0)
    assert not Clue.objects.exists() and not PaymentHold.objects.exists()


def test_killed_worker_stale_run_is_detected_and_retried_cleanly(officer, monkeypatch):
    """A worker killed mid-run leaves the run 'running' with an old heartbeat: it is detected as stale,
    requeued by the beat task (or retried by the officer), and the retry produces no duplicates."""
    _, person, _ = enrolled("dibao")
    data = xlsx([HEAD, [person.name, _id(person), "2026-10-01"]])
    run = upload(officer, "death_police", data)  # completes once (clue + hold written)
    # simulate: a second attempt started, the worker died after its claim
    ComparisonRun.objects.filter(pk=run.pk).update(status="running", progress=60,
                                                   heartbeat_at=timezone.now() - dt.timedelta(minutes=3))
    run.refresh_from_db()
    assert not services.run_is_stale(run)
    with pytest.raises(ValidationError):
        services.run_retry(actor=officer, run=run)  # still fresh: refused
    ComparisonRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=30))
    run.refresh_from_db()
    assert services.run_is_stale(run)
    with committing():
        assert services.requeue_stale_runs() == 1  # eager Celery runs it again
    run.refresh_from_db()
    assert run.status == "succeeded" and run.clues_created == 0
    assert Clue.objects.count() == 1 and PaymentHold.objects.count() == 1


def test_running_run_is_not_claimed_twice(officer):
    """A duplicate delivery of the task while the run is running does nothing."""
    _, person, _ = enrolled("dibao")
    run = upload(officer, "death_police", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    ComparisonRun.objects.filter(pk=run.pk).update(status="running")
    assert services.run_execute(run.pk) is None


# --- monthly check -----------------------------------------------------------------------------------------

def test_monthly_check_alerts_county_and_city_when_deaths_not_compared(officer):
    """§1: every county must compare deaths each month; a missing month alerts the county and the city."""
    from core.models import Alert

    _, person, _ = enrolled("dibao")
    upload(officer, "death_police", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    services.comparisons_check()
    assert not Alert.objects.filter(region_code="410823").exists()  # 武陟 compared
    wen = Alert.objects.get(region_code="410825")
    assert "温县" in wen.message and "死亡" in wen.message
    assert Alert.objects.filter(region_code="410800", dedupe_key__contains="410825").exists()
    n = Alert.objects.count()
    services.comparisons_check()
    assert Alert.objects.count() == n  # deduplicated per month


def test_upload_refused_for_roles_without_supervision_change(caseworker):
    with pytest.raises(ValidationError):
        upload(caseworker, "death_police", xlsx([HEAD]))


def test_monthly_check_covers_each_configured_source(officer, users):
    """The *(param)* monitoring.required_sources adds sources to the monthly check (here: vehicles)."""
    from core.models import Alert

    parameter_services.parameter_set(actor=users["shi_admin"], key="monitoring.required_sources", value="death,vehicle",
                         effective_from=timezone.localdate().replace(day=1), reason="本市要求每月比对车辆")
    _, person, _ = enrolled("dibao")
    upload(officer, "death_health", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    services.comparisons_check()
    wuzhi = list(Alert.objects.filter(region_code="410823").values_list("message", flat=True))
    assert len(wuzhi) == 1 and "车管机动车登记" in wuzhi[0]  # 卫健 deaths count for the death group


def test_snapshot_beat_task_fills_this_month():
    """§1 population counts: the beat task writes this month's snapshot (idempotent)."""
    from monitoring.models import MonthlySnapshot
    from monitoring.tasks import build_snapshot

    enrolled("dibao", members=2)
    enrolled("monitor_sudden")
    build_snapshot()
    build_snapshot()
    cells = dict(MonthlySnapshot.objects.values_list("category", "persons"))
    assert cells == {"dibao": 2, "monitor_sudden": 1}


def test_small_file_probes_the_index_and_leaves_the_planner_settings_as_they_were(officer):
    """PostgreSQL: a file much smaller than the registry is joined by index probes (planner settings changed
    for that one query, SET LOCAL); the same rows match either way, and the settings are back afterwards so
    the rest of the job's transaction plans normally."""
    from django.db import connection, transaction

    from monitoring import matching, staging

    if connection.vendor != "postgresql":
        pytest.skip("the join plan is chosen on PostgreSQL only")
    _, person, _ = enrolled("dibao")
    key = idnumbers.index(_id(person))
    staged = [(3, key), (4, idnumbers.index(make_id("410823")))]
    checked = matching.Validated(staged=staged, issues=[], rows={3: ["", _id(person)], 4: ["", ""]},
                                 extract=lambda row_no, k, row: matching.Staged(row_no=row_no, id_index=k))
    from django.test.utils import CaptureQueriesContext

    results = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    for probe in (False, True):
        with transaction.atomic():
            ref = staging.stage(99, staged)
            ref = staging.StageRef(ref.table, ref.where, ref.params, probe=probe)
            with CaptureQueriesContext(connection) as ctx:
                results[probe] = [(m.row_no, m.person_id) for m in matching.match(ref, checked)]
            # #22.3: no JIT compile for the probe (≈0.5 s at 10,000,000 persons), only for that query
            assert any("SET LOCAL jit = off" in q["sql"] for q in ctx.captured_queries) is probe
            with connection.cursor() as cursor:
                cursor.execute("SHOW enable_hashjoin")
                assert cursor.fetchone()[0] == "on"
                cursor.execute("SHOW jit")
                assert cursor.fetchone()[0] == jit
            staging.unstage(99, ref)
    assert results[True] == results[False] == [(3, person.pk)]


# --- the fast paths of issue #22: inline ID check, streamed staging ------------------------------------------

def test_inline_id_check_gives_every_row_the_outcome_of_the_general_check():
    """validate() checks clean 18-character IDs inline (base-13 check sum, birth dates remembered): every row —
    valid, wrong check digit, impossible or future birth date, before 1880, lower-case x, spaces, 15 digits,
    repeated — ends exactly as id_value (the general check) says: staged with its blind index, or a problem row
    with the same Chinese reason."""
    import random

    from monitoring import matching
    from monitoring.sources import SOURCES

    rng = random.Random(22)
    today = timezone.localdate()
    raws = []
    for _ in range(3000):
        first17 = f"41{rng.choice(['0823', '0825', '0802'])}{rng.randrange(1870, today.year + 2)}" \
                  f"{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}{rng.randrange(0, 1000):03d}"
        check = idnumbers.check_digit(first17) if rng.random() < 0.8 else rng.choice("0123456789X")
        raw = first17 + check
        shape = rng.random()
        if shape < 0.05:
            raw = raw.lower()
        elif shape < 0.1:
            raw = f" {raw} "
        elif shape < 0.12:
            raw = raw[:6] + raw[8:17]
        raws.append(raw)
    raws += raws[:50]  # repeated IDs
    rows = [["某某", raw, "2026-10-01"] for raw in raws]
    checked = matching.validate(SOURCES["death_police"], rows, {"name": 0, "id": 1, "event_date": 2}, 1)

    index = idnumbers.indexer()
    expected_staged, expected_issues, seen = [], [], {}
    for row_no, raw in enumerate(raws, start=2):
        try:
            value, note = matching.id_value(raw)
        except ValidationError as exc:
            expected_issues.append((row_no, matching.INVALID, exc.messages[0][:300]))
            continue
        if note:
            expected_issues.append((row_no, matching.UPGRADED, note))
        if value in seen:
            expected_issues.append((row_no, matching.DUPLICATE, f"与第{seen[value]}行身份证号码重复，已按第{seen[value]}行比对"))
            continue
        seen[value] = row_no
        expected_staged.append((row_no, index(value)))
    assert checked.staged == expected_staged
    assert [(no, kind, message) for no, kind, _, message in checked.issues] == expected_issues
    assert checked.read == len(raws)
    kinds = {kind for _, kind, _ in expected_issues}
    assert kinds == {matching.INVALID, matching.UPGRADED, matching.DUPLICATE}
    assert len(expected_staged) > 1500
    assert checked.rows[2] == rows[0] and checked.rows[len(raws) + 1] == rows[-1]


def test_validation_failing_while_the_copy_streams_leaves_no_staging_table_and_no_clue(officer, monkeypatch):
    """PostgreSQL stages the rows by a COPY that runs while they are validated: a failure half-way ends the COPY,
    the run fails in Chinese, nothing is written, no staging table is left — and the next run works."""
    from django.db import connection

    from monitoring import matching

    if connection.vendor != "postgresql":
        pytest.skip("the streamed COPY is PostgreSQL's")
    _, person, _ = enrolled("dibao")
    real = matching.validate

    def half_then_boom(*args, on_staged=None, **kwargs):
        real(*args, on_staged=on_staged, **kwargs)  # every row sent to the COPY …
        raise RuntimeError("worker killed")  # … then the job dies before the COPY ends

    monkeypatch.setattr(matching, "validate", half_then_boom)
    run = upload(officer, "death_police", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    _assert_refused(run, "未写入任何线索")
    monkeypatch.setattr(matching, "validate", real)
    run = upload(officer, "death_police", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    run.refresh_from_db()
    assert run.status == "succeeded" and run.rows_matched == 1 and Clue.objects.get().person_id == person.pk
    assert _staging_tables() == []


def test_progress_inside_the_jobs_transaction_does_not_make_its_commit_asynchronous(officer):
    """A progress mark on its own commits without waiting for the WAL (SET LOCAL synchronous_commit off); one
    written inside the job's transaction (PostgreSQL, while staging) must not switch that off for the clues,
    holds and audit rows committed with it."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    _, person, _ = enrolled("dibao")
    run = upload(officer, "death_police", xlsx([HEAD, [person.name, _id(person), "2026-10-01"]]))
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:  # (the test runs in a transaction too)
        services._progress(run.pk, 60, "写入比对库并匹配")
    assert not any("synchronous_commit" in q["sql"] for q in inside.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
    run.refresh_from_db()
    assert (run.progress, run.stage) == (60, "写入比对库并匹配")


def test_file_is_sealed_as_bytes_older_base64_runs_still_run_and_rotation_keeps_both(officer, settings, tmp_path):
    """The uploaded file is sealed as its bytes behind a marker (not base64 text), bound to the run; a run sealed
    the old way (base64 text) is still read; key rotation re-seals both so that they read the same afterwards."""
    import base64
    import shutil
    from pathlib import Path

    from core import crypto, keys, rotation

    path = tmp_path / "keys.json"
    shutil.copy(Path(__file__).resolve().parent.parent / "keys" / "test-keys.json", path)
    settings.JIUZHU_KEY_FILE, settings.JIUZHU_KEYS_JSON = str(path), ""
    keys.reset_keyring()
    _, person, _ = enrolled("dibao")
    data = xlsx([HEAD, [person.name, _id(person), "2026-10-01"]])
    new = services.run_create(actor=officer, source="death_police", file_name="d.xlsx", data=data, enqueue=False)
    plain = crypto.decrypt_bytes(ComparisonRun.objects.get(pk=new.pk).file_cipher, aad=new.aad("file"))
    assert plain == ComparisonRun.RAW_FILE + data and data not in bytes(new.file_cipher)
    old = services.run_create(actor=officer, source="death_police", file_name="o.xlsx", data=data, enqueue=False)
    ComparisonRun.objects.filter(pk=old.pk).update(
        file_cipher=crypto.encrypt(base64.b64encode(data).decode("ascii"), aad=old.aad("file")))
    assert services.run_execute(old.pk).status == "succeeded"
    keys.add_enc_version()
    keys.reset_keyring()
    rotation.rotate_model(ComparisonRun)
    for run in ComparisonRun.objects.all():
        assert crypto.key_version(bytes(run.file_cipher)) == 2 and run.stored_file() == data
    assert services.run_execute(new.pk).status == "succeeded"
    assert Clue.objects.filter(person=person).count() == 1
    keys.reset_keyring()

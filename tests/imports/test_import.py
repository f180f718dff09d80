"""Household import: every error kind, all or nothing, idempotent re-import, update mode, scope."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import Entitlement, Household, Person
from core import idnumbers
from core.jobs import JobStatus
from core.models import AuditEvent, Region
from imports import writer
from imports.models import HouseholdImport
from tests.factories import HouseholdFactory, PersonFactory, make_id
from tests.imports.helpers import gbk_csv, row, run, xlsx


@pytest.fixture
def officer(users):
    return users["wuzhi_minzheng"]


@pytest.fixture
def township(users):
    return users["zhandian_jingban"]


def _family(key="H1", village="何营东村", township="詹店镇", **head):
    head_id, wife_id, child_id = make_id(), make_id(sex="F"), make_id(birth=dt.date(2012, 5, 1))
    return [row(key, "张大山", head_id, "户主", village=village, township=township, phone="13800001234",
                category="低保", amount="1040.00", start="2025-01", covered="3", **head),
            row(key, "李秀英", wife_id, "妻", village=village, township=township, disability_type="肢体", grade="二级",
                work="部分丧失"),
            row(key, "张小军", child_id, "子", village=village, township=township, work="无")]


def test_valid_file_creates_households_members_and_entitlement(township):
    rows = _family("H1") + _family("H2", village="何营西村")
    job = run(township, xlsx(rows))
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.errors)
    assert (job.households_created, job.persons_created, job.error_count) == (2, 6, 0)
    households = Household.objects.filter(pk__in=job.created_ids)
    assert households.count() == 2
    household = households.get(village_id="410823101200")
    assert household.head_name == "张大山" and household.township_id == "410823101" and household.county_id == "410823"
    assert household.reveal_phone() == "13800001234"
    members = {p.name: p for p in household.members.all()}
    wife = members["李秀英"]
    assert wife.relationship == "spouse" and wife.disability_grade == 2 and wife.disability_type == "physical"
    assert wife.sex == "F" and wife.reveal_id_number() == rows[1][6]
    assert Person.objects.with_id_number(rows[2][6]).get().name == "张小军"
    entitlement = Entitlement.objects.get(household=household)
    assert entitlement.monthly_amount == Decimal("1040.00") and entitlement.start_month == dt.date(2025, 1, 1)
    assert entitlement.persons_covered == 3 and entitlement.status == "active"
    assert AuditEvent.objects.filter(action="household_import.create", object_id=str(job.pk)).exists()


def test_reimporting_the_same_file_changes_nothing(township):
    data = xlsx(_family("H1"))
    first = run(township, data)
    assert first.households_created == 1
    before = (Household.objects.count(), Person.objects.count(), Entitlement.objects.count())
    second = run(township, data)
    assert second.status == JobStatus.SUCCEEDED
    assert (second.households_created, second.households_skipped, second.households_updated) == (0, 1, 0)
    assert (Household.objects.count(), Person.objects.count(), Entitlement.objects.count()) == before


def test_dry_run_reports_and_writes_nothing(township):
    job = run(township, xlsx(_family("H1") + _family("H2")), dry_run=True)
    assert job.status == JobStatus.SUCCEEDED and job.households_created == 2 and job.persons_created == 6
    assert job.created_ids == [] and not Household.objects.exists() and not Person.objects.exists()


def test_gbk_csv_and_header_aliases(township):
    header = ["户号", "乡镇", "村", "住址", "户口性质", "姓名", "身份证号码（18位）", "与户主的关系"]
    ident = make_id()
    data = gbk_csv([["A", "詹店镇", "何营东村", "何营东村2组", "农业", "王五", ident, "本人"]], header=header)
    job = run(township, data, name="户籍.csv")
    assert job.status == JobStatus.SUCCEEDED, job.errors
    assert Person.objects.with_id_number(ident).get().household.hukou_type == "rural"


def _errors(job):
    assert job.status == JobStatus.FAILED
    out = {}
    for e in job.errors:
        out[(e[1], e[2])] = out.get((e[1], e[2]), "") + e[4] + "；"
    return out


def test_every_error_kind_is_reported_and_nothing_is_written(township):
    good = make_id()
    dup = make_id()
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        row("H1", "张一", good),                                           # 2 fine
        row("H1", "张二", bad_check, "配偶"),                               # 3 checksum
        row("H2", "李一", "4.10823E+17"),                                   # 4 Excel scientific
        row("H3", "王一", dup),                                             # 5
        row("H3", "王二", dup, "子女"),                                      # 6 duplicate in file
        row("H4", "赵一", make_id(), "朋友"),                                 # 7 unknown relationship (and no head)
        row("H5", "钱一", make_id(sex="F"), sex="男"),                        # 8 sex against ID
        row("H6", "孙一", make_id(), category="低保", amount="abc", start="2025-13"),  # 9 amount, month
        row("H7", "周一", make_id(), village="不存在村"),                       # 10 unknown village
        row("H8", "吴一", make_id(), hukou="火星"),                           # 11 hukou
        row("H9", "郑一", make_id()), row("H9", "郑二", make_id()),            # 12, 13 two heads
        row("", "无户号", make_id()),                                       # 14 no household key
        row("H10", "冯一", make_id(), grade="5级", disability_type="肢体"),     # 15 grade
        row("H11", "陈\u202e一", make_id()),                                 # 16 bidi override in a name
        row("H12", "楚一", make_id(), phone="12345"),                        # 17 phone
        row("H13", "魏一", make_id(), village="410823102201"),               # 18 village of another township
    ]
    job = run(township, xlsx(rows))
    errors = _errors(job)
    assert "校验位错误" in errors[(3, "身份证号码")]
    assert "科学计数法" in errors[(4, "身份证号码")]
    assert "与第5行的身份证号码重复" in errors[(6, "身份证号码")]
    assert "无法识别的与户主关系" in errors[(7, "与户主关系")]
    assert "性别与身份证号码不符" in errors[(8, "性别")]
    assert "月救助金额" in errors[(9, "月救助金额（元）")] and "起始月份" in errors[(9, "起始月份")]
    assert "找不到该村" in errors[(10, "村（社区）")]
    assert "无法识别的户籍类型" in errors[(11, "户籍类型")]
    assert "多名户主" in errors[(13, "与户主关系")]
    assert "请填写户编号" in errors[(14, "户编号")]
    assert "残疾等级" in errors[(15, "残疾等级")]
    assert "不可见字符" in errors[(16, "姓名")]
    assert "电话号码格式不正确" in errors[(17, "联系电话")]
    assert "不在您的管辖范围内" in errors[(18, "村（社区）")]
    assert job.errors[0][0] == "家庭成员"
    assert all("*" in e[3] for e in job.errors if e[2] == "身份证号码" and len(e[3]) > 10)  # masked
    assert job.error_count == len(job.errors) and "未导入任何数据" in job.error
    assert not Household.objects.exists() and not Person.objects.exists()


def test_person_registered_in_another_household_is_a_conflict(township):
    existing = HouseholdFactory(village="410823101201")
    person = PersonFactory(household=existing)
    ident = person.reveal_id_number()
    job = run(township, xlsx([row("H1", "新户主", make_id()), row("H1", "旧成员", ident, "子女")]))
    errors = _errors(job)
    assert "已登记在另一户" in errors[(3, "身份证号码")]
    assert Person.objects.get(pk=person.pk).household_id == existing.pk  # not moved
    assert Household.objects.count() == 1


def test_person_registered_in_another_county_does_not_leak(township):
    existing = HouseholdFactory(village=Region.objects.filter(code__startswith="410825", level="village").first().code)
    person = PersonFactory(household=existing, id_number=make_id(area="410825"))
    job = run(township, xlsx([row("H1", "某人", person.reveal_id_number())]))
    reason = _errors(job)[(2, "身份证号码")]
    assert "其他地区" in reason and existing.head_name not in reason


def test_a_failure_in_the_middle_of_writing_leaves_the_registry_as_it_was(township, monkeypatch):
    real = writer._seal_id
    sealed = []

    def failing(value, uid):
        sealed.append(value)
        if len(sealed) == 5:  # the second household's members: households and the first members are written
            raise RuntimeError("disk full")
        return real(value, uid)

    monkeypatch.setattr(writer, "_seal_id", failing)
    monkeypatch.setattr(writer, "FLUSH_EVERY", 1)
    job = run(township, xlsx(_family("H1") + _family("H2")))
    assert len(sealed) == 5
    assert job.status == JobStatus.FAILED and "未写入任何数据" in job.error
    assert not Household.objects.exists() and not Person.objects.exists() and not Entitlement.objects.exists()


def test_update_mode_changes_listed_fields_with_one_audit_event(township):
    rows = _family("H1")
    first = run(township, xlsx(rows))
    household = Household.objects.get(pk=first.created_ids[0])
    for r in rows:
        r[3] = "詹店镇何营东村5组"         # address
    rows[2][12] = "有劳动能力"              # the child's work capacity
    again = run(township, xlsx(rows))      # create mode: existing households are skipped, nothing changes
    assert again.households_skipped == 1 and Household.objects.get(pk=household.pk).address == "詹店镇何营东村1组"
    job = run(township, xlsx(rows), mode="update")
    assert job.status == JobStatus.SUCCEEDED and job.households_updated == 1, job.errors
    household.refresh_from_db()
    assert household.address == "詹店镇何营东村5组"
    assert Person.objects.with_id_number(rows[2][6]).get().work_capacity == "full"
    events = AuditEvent.objects.filter(action="household_import.update", object_id=str(job.pk))
    assert events.count() == 1
    fields = {r["field"] for r in events.get().after["rows"]}
    assert fields == {"address", "work_capacity"}


def test_township_imports_only_into_its_own_villages(users):
    other = users["xitao_jingban"]  # 西陶镇
    job = run(other, xlsx(_family("H1")))  # 何营东村 is in 詹店镇
    assert "不在您的管辖范围内" in _errors(job)[(2, "村（社区）")]
    assert not Household.objects.exists()


def test_county_command_scope_and_visibility(officer, township):
    job = run(township, xlsx(_family("H1")))
    assert HouseholdImport.objects.restrict(officer, "case.view").filter(pk=job.pk).exists()
    assert not HouseholdImport.objects.restrict(township, "case.view").exclude(township_id="410823101").exists()


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"%PDF-1.5\n" + bytes(50), "caseload.xlsx", "不是 Excel 文件"),
    (b"", "a.xlsx", "空"),
    ("姓名,电话\n张三,1\n".encode(), "a.csv", "表头缺少必需的列"),
])
def test_bad_files_are_refused_at_upload(township, data, name, words):
    with pytest.raises(ValidationError) as err:
        run(township, data, name=name)
    assert words in " ".join(err.value.messages)
    assert not HouseholdImport.objects.exists()


def test_roles_without_import_are_refused(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises((PermissionDenied, ValidationError)):
        run(users["wuzhi_caizheng"], xlsx(_family("H1")))


def test_id_normalisation_matches_the_registry(township):
    ident = make_id()
    job = run(township, xlsx([row("H1", "甲", " " + ident.lower() + " ")]))
    assert job.status == JobStatus.SUCCEEDED
    assert Person.objects.get().id_index == idnumbers.index(ident.upper())


# --- payee cards (stored by funds through its registry hook) ------------------------------------------------

CARD = "6217000000000001234"


def test_cards_are_sealed_and_blind_indexed_as_funds_does(township):
    from core import pii
    from funds.models import PayeeAccount

    rows = _family("H1")
    rows[0][18], rows[0][19] = "6217 0000 0000 0001 234", "武陟农商银行"
    job = run(township, xlsx(rows))
    assert job.status == JobStatus.SUCCEEDED, job.errors
    account = PayeeAccount.objects.get(household_id=job.created_ids[0])
    assert account.active and account.bank_name == "武陟农商银行" and account.payee_name == "张大山"
    assert account.person.relationship == "head" and account.person.household_id == job.created_ids[0]
    assert account.reveal_card() == CARD and account.card_masked == "****1234"
    assert account.card_index == pii.index("card", CARD) and CARD.encode() not in bytes(account.card_cipher)
    assert account.village_id == "410823101200"
    event = AuditEvent.objects.get(action="household_import.create", object_id=str(job.pk))
    assert event.after["cards"] == 1


def test_card_errors_are_reported_in_chinese(township):
    rows = [
        row("H1", "甲", make_id(), card="62170000001", bank="农行"),           # 2 too short
        row("H2", "乙", make_id(), card="6.21700E+18", bank="农行"),           # 3 scientific notation
        row("H3", "丙", make_id(), card=CARD),                                # 4 no bank
        row("H4", "丁", make_id(), bank="农行"),                               # 5 bank without card
        row("H5", "戊", make_id(), card="６２１７０００００００００００１２３", bank="农行"),  # 6 full-width
        row("H6", "己", make_id(), card="6217000000000005678", bank="农行"),
        row("H7", "庚", make_id(), card="6217000000000005678", bank="农行"),   # 8 same card, another household
        row("H8", "辛", make_id(), card="6217000000000009999", bank="农行"),
        row("H8", "壬", make_id(), "配偶", card="6217000000000008888", bank="农行"),  # 10 two cards in one household
        row("H9", "癸", make_id(), card=6217000000000007777, bank="农行"),      # 11 stored as a number by Excel
    ]
    errors = _errors(run(township, xlsx(rows)))
    assert "12至19位数字" in errors[(2, "社保卡号/银行账号")]
    assert "科学计数法" in errors[(3, "社保卡号/银行账号")]
    assert "请同时填写开户银行" in errors[(4, "开户银行")]
    assert "请同时填写社保卡号/银行账号" in errors[(5, "社保卡号/银行账号")]
    assert "全角" in errors[(6, "社保卡号/银行账号")]
    assert "与第7行（户编号 H6）的卡号相同" in errors[(8, "社保卡号/银行账号")]
    assert "不一致" in errors[(10, "社保卡号/银行账号")]
    assert "存成了数字" in errors[(11, "社保卡号/银行账号")]
    masked = [e[3] for e in _errors_raw(township, rows) if e[2] == "社保卡号/银行账号" and len(e[3]) > 8]
    assert masked and all(v.startswith("*") for v in masked)


def _errors_raw(township, rows):
    return run(township, xlsx(rows)).errors


def test_update_mode_replaces_a_changed_card_and_keeps_the_old_one(township):
    from funds.models import PayeeAccount

    rows = _family("H1")
    rows[0][18], rows[0][19] = CARD, "武陟农商银行"
    first = run(township, xlsx(rows))
    hid = first.created_ids[0]
    same = run(township, xlsx(rows), mode="update")  # the same card: nothing to change
    assert (same.households_updated, same.households_skipped) == (0, 1)
    rows[0][18] = "6217000000000004321"
    run(township, xlsx(rows))  # create mode: an existing household is skipped, its card too
    assert PayeeAccount.objects.filter(household_id=hid).count() == 1
    job = run(township, xlsx(rows), mode="update")
    assert job.status == JobStatus.SUCCEEDED and job.households_updated == 1, job.errors
    old, new = PayeeAccount.objects.filter(household_id=hid).order_by("pk")
    assert not old.active and old.replaced_at and new.active and new.reveal_card() == "6217000000000004321"
    change = [c for c in job.changes if c["field"] == "card_number"]
    assert change and change[0]["before"].endswith("****1234") and change[0]["after"].endswith("****4321")
    assert "6217000000000004321" not in str(AuditEvent.objects.get(action="household_import.update",
                                                                     object_id=str(job.pk)).after)


# --- new members of registered households ------------------------------------------------------------------

def test_update_mode_adds_a_new_member_to_a_registered_household(township):
    rows = _family("H1")
    first = run(township, xlsx(rows))
    hid = first.created_ids[0]
    baby = make_id(birth=dt.date(2024, 3, 1), sex="F")
    rows.append(row("H1", "张小花", baby, "女"))
    refused = run(township, xlsx(rows))  # create mode: a new member is an error, nothing written
    assert "“更新”方式" in _errors(refused)[(5, "身份证号码")]
    preview = run(township, xlsx(rows), mode="update", dry_run=True)
    assert preview.status == JobStatus.SUCCEEDED and preview.persons_created == 1 and preview.households_updated == 1
    assert [(c["label"], c["after"], c["household"]) for c in preview.changes] == [("新增成员", "张小花（子女）", hid)]
    assert Person.objects.filter(household_id=hid).count() == 3
    job = run(township, xlsx(rows), mode="update")
    assert job.status == JobStatus.SUCCEEDED and job.persons_created == 1, job.errors
    person = Person.objects.with_id_number(baby).get()
    assert person.household_id == hid and person.relationship == "child" and person.sex == "F"
    assert person.village_id == "410823101200" and person.reveal_id_number() == baby
    event = AuditEvent.objects.get(action="household_import.update", object_id=str(job.pk))
    assert event.after["persons_added"] == 1
    assert [(r["field"], r["person"]) for r in event.after["rows"]] == [("member", person.pk)]
    again = run(township, xlsx(rows), mode="update")  # idempotent
    assert (again.households_updated, again.persons_created) == (0, 0)
    assert Person.objects.filter(household_id=hid).count() == 4


def test_a_person_of_another_household_stays_a_conflict_in_update_mode(township):
    rows = _family("H1")
    run(township, xlsx(rows))
    other = HouseholdFactory(village="410823101201")
    stranger = PersonFactory(household=other)
    rows.append(row("H1", "外人", stranger.reveal_id_number(), "其他"))
    rows.append(row("H1", "新人", make_id(), "其他"))
    job = run(township, xlsx(rows), mode="update")
    assert "已登记在另一户" in _errors(job)[(5, "身份证号码")]
    assert Person.objects.get(pk=stranger.pk).household_id == other.pk
    assert not Person.objects.filter(name="新人").exists()


def test_members_keep_the_files_order_and_the_card_goes_to_the_head(township):
    """Members are written in file order with their primary keys reserved in that order (writer._Members): a
    household's members list as the file lists them; the card is paid to the head."""
    from funds.models import PayeeAccount

    rows = []
    for n in range(6):
        family = _family(f"H{n}")
        family[0][18:20] = [f"62170000000000{n:05d}", "武陟农商银行"]
        rows += family
    job = run(township, xlsx(rows))
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.errors)
    by_file = [r[6] for r in rows]
    written = [p.reveal_id_number() for hid in job.created_ids
               for p in Person.objects.filter(household_id=hid).order_by("pk")]
    assert written == by_file
    for account in PayeeAccount.objects.filter(household_id__in=job.created_ids):
        head = Person.objects.get(household_id=account.household_id, relationship="head")
        assert account.person_id == head.pk and account.payee_name == head.name
    assert PayeeAccount.objects.filter(household_id__in=job.created_ids).count() == 6


def test_rows_of_text_then_rows_with_numbers_and_empty_cells_parse_alike():
    """parse_rows takes a fast path while every cell is text (a CSV) and leaves it at the first row that has a
    number or an empty cell (an xlsx): the same rows give the same plan either way, wherever the switch falls."""
    from imports import plan as planning

    cols = {key: i for i, key in enumerate(planning._ROW_KEYS)}
    texts = [row(f"H{n}", "张三", make_id(), "户主", village="410823100001", category="低保", amount="300.50",
                 start="2025-01", covered="1") for n in range(4)]
    mixed = [[None if v == "" else v for v in r] for r in texts]
    for r in mixed[2:]:
        r[cols["monthly_amount"]], r[cols["start_month"]] = 300.5, dt.datetime(2025, 1, 3)
    plans = [planning.parse_rows("家庭成员", 0, cols, rows=[list(r) for r in rows]) for rows in (texts, mixed)]
    assert [p.problems for p in plans] == [[], []]
    (a, b) = ([(h.key, h.village, [(m.name, m.id_value, m.relationship, m.work_capacity) for m in h.members],
                h.entitlement) for h in p.households] for p in plans)
    assert a == b and a[3][3] == ("dibao", Decimal("300.50"), dt.date(2025, 1, 1), 1)


def test_a_person_registered_between_the_check_and_the_write_fails_the_import_whole(township, monkeypatch):
    """A caseworker registers one of the file's members after the file was validated and before it is written: the
    persons' unique blind index refuses the write (PostgreSQL: its exclusion constraint, through COPY), nothing of
    the file is written, and the job says why in Chinese — not "系统错误"."""
    from imports import plan as planning
    from imports import services

    rows = _family("H1") + _family("H2", village="何营西村")
    taken = rows[4][6]  # H2's second member
    build = planning.build

    def build_then_register(*args, **kwargs):
        plan = build(*args, **kwargs)
        PersonFactory(household=HouseholdFactory(village="410823101201"), id_number=taken)
        return plan

    monkeypatch.setattr(planning, "build", build_then_register)
    job = run(township, xlsx(rows))
    assert job.status == JobStatus.FAILED
    assert job.error == services.REGISTERED_MEANWHILE
    assert not job.created_ids
    assert not Household.objects.filter(note=writer.IMPORT_NOTE).exists()
    assert Person.objects.with_id_number(taken).count() == 1

"""The household import's columns: one row per member, members of a household share its 户编号.

Each column has a key, the template's label, the header aliases townships really write, and whether it is
required. Values of choice columns are read through VALUE_ALIASES (labels and their everyday spellings).
"""
from __future__ import annotations

from dataclasses import dataclass

from cases.models import Household, Person
from core.categories import Category


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    note: str = ""
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("household_key", "户编号", ("户号", "家庭编号", "户序号", "家庭序号", "户编码"), True,
           "同一户的成员填写相同的户编号", "WZ-0001"),
    Column("township", "乡镇（街道）", ("乡镇", "乡（镇）", "乡镇街道", "所在乡镇", "乡镇名称", "街道"), False,
           "乡镇名称；村（社区）填写区划代码时可不填", "詹店镇"),
    Column("village", "村（社区）", ("村", "行政村", "村社区", "所在村", "村名称", "村（居）委会", "村居",
                                   "村（社区）代码", "村代码", "区划代码"), True,
           "村（社区）名称或12位区划代码", "何营东村"),
    Column("address", "家庭住址", ("住址", "家庭地址", "居住地址", "现住址", "详细地址"), True, "", "詹店镇何营东村3组"),
    Column("hukou_type", "户籍类型", ("户口类型", "户籍性质", "户口性质", "城乡类别"), True, "城市或农村", "农村"),
    Column("name", "姓名", ("成员姓名", "家庭成员姓名", "名字"), True, "", "张三"),
    Column("id_number", "身份证号码", ("身份证号码（18位）", "身份证号码(18位)", "身份证号", "居民身份证号码",
                                   "公民身份号码", "公民身份证号码", "证件号码", "身份证"), True,
           "18位居民身份证号码，请把该列设为文本", "410823199001011234"),
    Column("relationship", "与户主关系", ("与户主的关系", "家庭关系", "关系", "与申请人关系"), True,
           "户主、配偶、子女、儿媳/女婿、父母、孙子女/外孙子女、祖父母/外祖父母、兄弟姐妹、其他", "户主"),
    Column("sex", "性别", (), False, "可不填，按身份证号码判断；填写时须与身份证号码一致", "男"),
    Column("disability_type", "残疾类别", ("残疾类型",), False, "视力、听力、言语、肢体、智力、精神、多重", ""),
    Column("disability_grade", "残疾等级", ("残疾级别",), False, "1—4级", ""),
    Column("serious_illness", "重特大疾病", ("疾病", "患病情况", "大病情况", "重病"), False, "", ""),
    Column("work_capacity", "劳动能力", ("劳动能力情况",), False, "有劳动能力、部分丧失劳动能力、无劳动能力", "有劳动能力"),
    Column("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式"), False, "户主一行填写即可", ""),
    Column("category", "救助类别", ("保障类别", "救助类型", "保障类型"), False,
           "低保、特困（分散）、特困（集中）、低保边缘；无待遇可不填", "低保"),
    Column("monthly_amount", "月救助金额（元）", ("月救助金额", "月保障金额", "保障金额", "月补助金额", "救助金额"),
           False, "保留两位小数", "520.00"),
    Column("start_month", "起始月份", ("享受起始月份", "起始时间", "保障起始月份", "享受时间"), False,
           "如 2025-01", "2025-01"),
    Column("persons_covered", "保障人数", ("享受人数", "保障人口"), False, "", "3"),
    Column("card_number", "社保卡号/银行账号", ("社保卡号", "社会保障卡号", "银行账号", "银行卡号", "发放账号", "卡号",
                                         "存折账号", "账号", "社保卡号或银行账号", "社保卡/银行账号"), False,
           "12至19位数字，户主一行填写即可，发放给户主；请把该列设为文本", "6217000000000001234"),
    Column("bank_name", "开户银行", ("开户行", "发放银行", "代发银行", "银行名称", "开户银行名称"), False,
           "填写了卡号时必填", "武陟县农村信用合作联社"),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c.key for c in COLUMNS if c.required)
ALIASES = {c.key: (c.label, *c.aliases) for c in COLUMNS}
HOUSEHOLD_FIELDS = ("township", "village", "address", "hukou_type", "phone")
ENTITLEMENT_FIELDS = ("category", "monthly_amount", "start_month", "persons_covered")
PAYEE_FIELDS = ("card_number", "bank_name")
# fields an update-mode import may change on an existing household / member
UPDATABLE_HOUSEHOLD = ("address", "hukou_type")
UPDATABLE_PERSON = ("name", "relationship", "disability_type", "disability_grade", "serious_illness", "work_capacity")


def _choices(choices, extra: dict[str, str]) -> dict[str, str]:
    table = {label: value for value, label in choices.choices if value}
    table.update({value: value for value, _ in choices.choices if value})
    table.update(extra)
    return table


R = Person.Relationship
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "hukou_type": _choices(Household.HukouType, {"城镇": "urban", "非农业": "urban", "非农": "urban", "居民": "urban",
                                                 "农业": "rural", "乡村": "rural"}),
    "relationship": _choices(R, {
        "本人": R.HEAD, "户主本人": R.HEAD, "妻": R.SPOUSE, "夫": R.SPOUSE, "妻子": R.SPOUSE, "丈夫": R.SPOUSE,
        "子": R.CHILD, "女": R.CHILD, "儿子": R.CHILD, "女儿": R.CHILD, "长子": R.CHILD, "次子": R.CHILD,
        "长女": R.CHILD, "次女": R.CHILD, "养子": R.CHILD, "养女": R.CHILD, "继子": R.CHILD, "继女": R.CHILD,
        "儿媳": R.CHILD_SPOUSE, "女婿": R.CHILD_SPOUSE, "父亲": R.PARENT, "母亲": R.PARENT, "父": R.PARENT,
        "母": R.PARENT, "孙子": R.GRANDCHILD, "孙女": R.GRANDCHILD, "外孙": R.GRANDCHILD, "外孙女": R.GRANDCHILD,
        "孙子女": R.GRANDCHILD, "祖父": R.GRANDPARENT, "祖母": R.GRANDPARENT, "外祖父": R.GRANDPARENT,
        "外祖母": R.GRANDPARENT, "兄": R.SIBLING, "弟": R.SIBLING, "姐": R.SIBLING, "妹": R.SIBLING,
        "哥哥": R.SIBLING, "弟弟": R.SIBLING, "姐姐": R.SIBLING, "妹妹": R.SIBLING}),
    "sex": {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"},
    "disability_type": _choices(Person.DisabilityType, {f"{label}残疾": value
                                                        for value, label in Person.DisabilityType.choices}),
    "work_capacity": _choices(Person.WorkCapacity, {"有": "full", "健全": "full", "部分丧失": "partial",
                                                    "部分": "partial", "无": "none", "丧失劳动能力": "none",
                                                    "完全丧失劳动能力": "none", "无劳动能力": "none"}),
    "category": {"低保": Category.DIBAO, "最低生活保障": Category.DIBAO, "城市低保": Category.DIBAO,
                 "农村低保": Category.DIBAO, Category.DIBAO.label: Category.DIBAO,
                 "特困（分散）": Category.TEKUN_DISPERSED, "特困(分散)": Category.TEKUN_DISPERSED,
                 "分散特困": Category.TEKUN_DISPERSED, "特困分散供养": Category.TEKUN_DISPERSED,
                 "特困": Category.TEKUN_DISPERSED, Category.TEKUN_DISPERSED.label: Category.TEKUN_DISPERSED,
                 "特困（集中）": Category.TEKUN_CENTRAL, "特困(集中)": Category.TEKUN_CENTRAL,
                 "集中特困": Category.TEKUN_CENTRAL, "特困集中供养": Category.TEKUN_CENTRAL,
                 Category.TEKUN_CENTRAL.label: Category.TEKUN_CENTRAL,
                 Category.DIBAO_EDGE.label: Category.DIBAO_EDGE, "边缘户": Category.DIBAO_EDGE},
}
# the template's drop-down lists (other spellings in VALUE_ALIASES are accepted too)
DROPDOWNS = {
    "hukou_type": [label for _, label in Household.HukouType.choices],
    "relationship": [label for _, label in Person.Relationship.choices],
    "sex": ["男", "女"],
    "disability_type": [label for _, label in Person.DisabilityType.choices],
    "disability_grade": ["1", "2", "3", "4"],
    "work_capacity": [label for _, label in Person.WorkCapacity.choices],
    "category": ["低保", "特困（分散）", "特困（集中）", "低保边缘"],
}
GRADES = {"1": 1, "2": 2, "3": 3, "4": 4, "一级": 1, "二级": 2, "三级": 3, "四级": 4, "1级": 1, "2级": 2,
          "3级": 3, "4级": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def template_rows() -> tuple[list[str], list[str], list[str]]:
    """Header, notes and an example row of the template (the example in the 填写说明 sheet only)."""
    return ([c.label for c in COLUMNS], [("必填。" if c.required else "") + c.note for c in COLUMNS],
            [c.example for c in COLUMNS])

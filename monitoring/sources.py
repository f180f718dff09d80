"""The departments whose files are compared each month, their expected columns and the rule per source.

A column is found by its header (after removing spaces, line breaks and a trailing "（必填）"-style note)
among its synonyms. `id` is always required; the other columns are kept as facts on the clue.

Rules (what a match becomes) — `rule(match)` in monitoring.matching reads these:
- deaths (公安 / 卫健): every registered person not yet confirmed dead → 死亡 clue + immediate payment hold
  on the household's line for every open 低保/特困 entitlement (the township confirms and ends it).
- 人社 employment, 人社 pensions: persons in a household with an open 低保/特困 entitlement → 收入变化.
- 住建 housing, 市场监管 companies, 车管 vehicles: persons in an open 低保/特困 household → 财产变化
  (vehicles: 残疾人专用车 are exempt).
- 医保 medical spending: a person in an open 低保边缘 household whose out-of-pocket spending reaches the
  *(param)* `monitoring.medical_discovery_amount` → 主动发现 (invite a 低保 / 刚性支出 application).
- 残联 certificates: grade 1–2 (重度) holders → 主动发现 when the household has no open 低保/特困, else
  残疾情况变化 when the household record shows a different grade.
- 教育 students: persons in an open 低保/特困 household → 家庭情况变化 (school stage, 教育救助衔接).
- 乡村振兴 monitored households: persons in a household with no open 低保/特困/低保边缘 → 主动发现.
- 兵役 (enlisted) and 司法 (prisoners): persons in a household with any open category → 家庭情况变化: a member
  serving in the army or in prison is not counted in the household (means test); the township confirms and
  re-checks — never an automatic exit.
- 应急管理 disaster victims: every registered person → 主动发现 (临时救助 / 低保 / 防返贫监测), and victims not
  registered at all are placed like the 残联 and 乡村振兴 ones (below).
- 省社会救助管理系统 roster (monitoring.province): one row per household and category (户主身份证号码, 救助类别,
  月救助金额) → 家庭情况变化 clues: in the province and not here (category not open here), amounts that differ;
  households open here that the roster does not name (added after matching); persons not registered at all.
- 残联 grade 1–2, 省 roster, 乡村振兴 监测对象 and 应急管理 受灾人员 *not registered at all*: 主动发现 clue to the village the file's 乡镇/村
  columns name (monitoring.places); when the file names no place or an unknown one, a 未登记 row on the run
  for the county to pass on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ID_SYNONYMS = ("身份证号码", "身份证号", "身份证", "公民身份号码", "公民身份证号码", "证件号码", "证件号",
               "身份证件号码", "证照号码", "法定代表人身份证号码", "法定代表人证件号码", "所有人身份证号码",
               "所有人证件号码", "权利人证件号码", "权利人身份证号码", "参保人身份证号码", "学生身份证号码",
               "持证人身份证号码", "户主身份证号码", "idnumber", "id_number")
NAME_SYNONYMS = ("姓名", "死者姓名", "参保人姓名", "参保人", "权利人", "权利人姓名", "所有人", "机动车所有人",
                 "法定代表人", "法定代表人姓名", "持证人", "持证人姓名", "学生姓名", "户主姓名", "name")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    synonyms: tuple[str, ...]
    kind: str = "text"  # text | date | money | int


@dataclass(frozen=True)
class Source:
    code: str
    label: str
    department: str
    clue_kind: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    group: str = ""  # sources counted together for the monthly check ("death" = 公安 or 卫健)

    @property
    def clue_label(self) -> str:
        return CLUE_KIND_LABELS.get(self.clue_kind, self.clue_kind)

    @property
    def column_labels(self) -> list[str]:
        return ["身份证号码", "姓名"] + [c.label for c in self.columns]


CLUE_KIND_LABELS = {"death": "死亡（并暂停发放）", "income": "收入变化", "property": "财产变化",
                    "discovery": "主动发现", "change": "家庭情况变化"}


def _col(key, label, *synonyms, kind="text"):
    return Column(key, label, (label, *synonyms), kind)


# Where a person lives, for people not registered here (残联 and 乡村振兴 lists name them; optional)
PLACE_COLUMNS = (_col("township", "乡镇", "乡（镇）", "乡镇（街道）", "所在乡镇", "乡镇名称", "乡镇街道"),
                 _col("village", "村", "行政村", "村（社区）", "村社区", "所在村", "村名称", "所在村（社区）"))
DEATH_DATE = _col("event_date", "死亡日期", "死亡时间", "注销日期", "户口注销日期", "死亡日期（年月日）", kind="date")

SOURCES: dict[str, Source] = {s.code: s for s in [
    Source("death_police", "公安户籍死亡注销", "公安", "death",
           (DEATH_DATE, _col("detail", "注销原因", "注销类别", "变动原因")), group="death"),
    Source("death_health", "卫健死亡医学证明", "卫健", "death",
           (DEATH_DATE, _col("detail", "死亡原因", "根本死亡原因", "死亡地点")), group="death"),
    Source("hrss_employment", "人社就业参保", "人社", "income",
           (_col("detail", "单位名称", "参保单位", "工作单位", "用人单位"),
            _col("amount", "月缴费基数", "缴费基数", "月工资", "工资", kind="money"),
            _col("event_date", "参保日期", "参保时间", "就业登记日期", "起始日期", kind="date")),
           group="hrss_employment"),
    Source("hrss_pension", "人社养老金发放", "人社", "income",
           (_col("amount", "月养老金", "养老金月额", "待遇金额", "月待遇", "发放金额", kind="money"),
            _col("detail", "待遇类型", "险种", "养老金类型"),
            _col("event_date", "待遇开始日期", "开始领取日期", "领取日期", kind="date")), group="hrss_pension"),
    Source("housing", "住建房产登记", "住建", "property",
           (_col("detail", "房屋坐落", "坐落", "房屋地址", "地址"),
            _col("amount", "建筑面积", "面积", kind="money"),
            _col("event_date", "登记日期", "登簿日期", "登记时间", kind="date")), group="housing"),
    Source("company", "市场监管企业登记", "市场监管", "property",
           (_col("detail", "企业名称", "市场主体名称", "名称"),
            _col("ref", "统一社会信用代码", "信用代码", "注册号"),
            _col("amount", "注册资本（万元）", "注册资本", "出资额", kind="money"),
            _col("event_date", "成立日期", "登记日期", kind="date")), group="company"),
    Source("vehicle", "车管机动车登记", "公安车管", "property",
           (_col("ref", "号牌号码", "车牌号", "车牌号码", "号牌"),
            _col("detail", "车辆类型", "车辆种类", "车型", "品牌型号"),
            _col("event_date", "初次登记日期", "登记日期", "注册日期", kind="date")), group="vehicle"),
    Source("medical", "医保医疗费用", "医保", "discovery",
           (_col("amount", "个人自付金额", "个人负担金额", "自付金额", "个人自付", "个人支付金额", kind="money"),
            _col("event_date", "结算日期", "结算时间", "统计截止日期", kind="date"),
            _col("detail", "医疗机构", "就诊医院", "病种")), group="medical"),
    Source("disability", "残联残疾人证", "残联", "discovery",
           (_col("grade", "残疾等级", "等级", kind="int"),
            _col("detail", "残疾类别", "残疾类型", "类别"),
            _col("ref", "残疾人证号", "证号", "残疾证号"),
            _col("event_date", "发证日期", "办证日期", "核发日期", kind="date"),
            *PLACE_COLUMNS), group="disability"),
    Source("education", "教育学籍", "教育", "change",
           (_col("detail", "学校名称", "就读学校", "学校"),
            _col("ref", "学段", "年级", "就读年级"),
            _col("event_date", "入学日期", "入学时间", kind="date")), group="education"),
    Source("military", "兵役登记入伍人员", "人武部（兵役）", "change",
           (_col("detail", "服役单位", "入伍单位", "部队", "服役情况", "入伍类别"),
            _col("event_date", "入伍日期", "入伍时间", "服役日期", kind="date")), group="military"),
    Source("prison", "司法监狱在押服刑人员", "司法", "change",
           (_col("detail", "服刑场所", "监狱名称", "羁押场所", "监所"),
            _col("ref", "刑期", "刑期（月）", "判决刑期"),
            _col("event_date", "入监日期", "收监日期", "入监时间", kind="date")), group="prison"),
    Source("disaster", "应急管理受灾人员", "应急管理", "discovery",
           (_col("detail", "灾害类型", "受灾情况", "灾种", "受灾类型"),
            _col("amount", "直接经济损失", "损失金额", "经济损失（元）", kind="money"),
            _col("event_date", "受灾日期", "灾害发生日期", "发生日期", kind="date"),
            *PLACE_COLUMNS), group="disaster"),
    Source("province", "省社会救助管理系统在册名单", "省民政厅", "change",
           (_col("detail", "救助类别", "保障类别", "类别", "对象类别"),
            _col("amount", "月救助金额", "月保障金额", "保障金额", "救助金额", "月救助金额（元）", kind="money"),
            *PLACE_COLUMNS), group="province"),
    Source("rural", "乡村振兴防返贫监测户", "乡村振兴", "discovery",
           (_col("detail", "监测对象类型", "监测类型", "户类型"),
            _col("event_date", "识别日期", "纳入日期", "识别时间", kind="date"),
            *PLACE_COLUMNS), group="rural"),
]}

SOURCE_CHOICES = [(s.code, f"{s.department}：{s.label}") for s in SOURCES.values()]
GROUP_LABELS = {"death": "死亡（公安或卫健）", **{s.group: s.label for s in SOURCES.values() if s.group != "death"}}

_NOISE = re.compile(r"[\s\u3000:：*＊]|[（(](必填|选填|可选|文本|格式[^)）]*)[)）]")


def clean_header(value) -> str:
    return _NOISE.sub("", str(value or "")).lower()


def header_map(source: Source, header: list) -> dict[str, int]:
    """Column positions by key for a header row; `id` and `name` included when found."""
    cleaned = [clean_header(h) for h in header]
    found: dict[str, int] = {}
    wanted = [("id", ID_SYNONYMS), ("name", NAME_SYNONYMS)] + [(c.key, c.synonyms) for c in source.columns]
    for key, synonyms in wanted:
        syn = [clean_header(s) for s in synonyms]
        for pos, text in enumerate(cleaned):
            if text in syn and pos not in found.values():
                found[key] = pos
                break
    return found

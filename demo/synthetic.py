"""Synthetic (never real) people for demo data, tests and city-scale benchmarks."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from core.idnumbers import check_digit

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜"
            "范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"]
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华玉兰文辉力梅鹏红斌宇浩凯丹玲飞桂芳建国建军春梅海燕"
         "志强永刚晓东卫东爱华淑珍国庆建平丽娟秋菊冬梅振华")
ILLNESSES = ["尿毒症", "恶性肿瘤", "白血病", "重症精神病", "心脏病（需手术）", "脑卒中后遗症"]


def name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.02 else rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.3 else 2))
    return surname + given


class IdFactory:
    """Valid, unique 18-digit IDs whose area code and birth date fit the person."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self._per_day: dict[tuple[str, str], int] = {}

    def make(self, area: str, birth: dt.date, sex: str) -> str:
        key = (f"{area}{birth:%Y%m%d}", sex)
        if self._per_day.get(key, 0) >= 500:  # 100 sequences x 5 sex digits used: the loop would never end
            raise ValueError(f"no unused ID left for {key}")
        self._per_day[key] = self._per_day.get(key, 0) + 1
        while True:
            seq = self.rng.randrange(0, 100)
            sex_digit = self.rng.choice("13579" if sex == "M" else "02468")
            first17 = f"{area}{birth:%Y%m%d}{seq:02d}{sex_digit}"
            value = first17 + check_digit(first17)
            if value not in self.used:
                self.used.add(value)
                return value


@dataclass
class SynthPerson:
    name: str
    id_number: str
    relationship: str
    birth: dt.date
    sex: str
    disability_grade: int | None = None
    disability_type: str = ""
    serious_illness: str = ""
    work_capacity: str = "full"
    employment: str = "none"
    school: str = ""


@dataclass
class SynthHousehold:
    head_name: str
    address: str
    hukou_type: str
    members: list[SynthPerson] = field(default_factory=list)
    incomes: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # kind, amount_12m, cost
    deposit: Decimal = Decimal("0")


def _birth(rng: random.Random, age: int, today: dt.date) -> dt.date:
    year = today.year - age
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def household(rng: random.Random, ids: IdFactory, area: str, village_name: str, today: dt.date) -> SynthHousehold:
    surname_pool = rng.choice(SURNAMES)
    kind = rng.random()
    people: list[tuple[str, int, str]] = []  # relationship, age, sex
    if kind < 0.18:  # elderly living alone
        people = [("head", rng.randint(62, 92), rng.choice("MF"))]
    elif kind < 0.33:  # elderly couple
        age = rng.randint(60, 85)
        people = [("head", age, "M"), ("spouse", age - rng.randint(0, 4), "F")]
    elif kind < 0.78:  # couple with children
        age = rng.randint(30, 55)
        people = [("head", age, "M"), ("spouse", age - rng.randint(0, 5), "F")]
        for _ in range(rng.randint(1, 3)):
            people.append(("child", rng.randint(1, max(2, age - 22)), rng.choice("MF")))
        if rng.random() < 0.3:
            people.append(("parent", age + rng.randint(22, 30), rng.choice("MF")))
    else:  # single parent or single adult
        age = rng.randint(25, 58)
        people = [("head", age, rng.choice("MF"))]
        for _ in range(rng.randint(0, 2)):
            people.append(("child", rng.randint(1, max(2, age - 20)), rng.choice("MF")))
    members = []
    for rel, age, sex in people:
        age = max(0, min(age, 99))
        n = (surname_pool + name(rng)[-2:]) if rel in ("head", "child") else name(rng)
        birth = _birth(rng, age, today)
        p = SynthPerson(name=n, id_number=ids.make(area, birth, sex), relationship=rel, birth=birth, sex=sex)
        if rng.random() < 0.12:
            p.disability_type = rng.choice(["physical", "visual", "hearing", "intellectual", "mental", "speech"])
            p.disability_grade = rng.choice([1, 2, 2, 3, 3, 4])
        if rng.random() < 0.07:
            p.serious_illness = rng.choice(ILLNESSES)
        if age >= 60 or age < 16 or (p.disability_grade and p.disability_grade <= 2):
            p.work_capacity = "none"
        elif p.disability_grade or p.serious_illness:
            p.work_capacity = "partial"
        if 6 <= age <= 18:
            p.employment, p.school = "student", ("primary" if age < 12 else "junior" if age < 15 else "senior")
        elif 3 <= age < 6:
            p.school = "preschool"
        elif 18 < age < 60 and p.work_capacity != "none":
            p.employment = rng.choice(["farming", "farming", "flexible", "employed", "unemployed"])
        elif age >= 60:
            p.employment = "retired" if rng.random() < 0.2 else "none"
        members.append(p)
    hh = SynthHousehold(
        head_name=members[0].name,
        address=f"{village_name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
        hukou_type="rural" if "村" in village_name else "urban",
        members=members,
    )
    for p in members:
        if p.employment in ("employed", "flexible"):
            wage = Decimal(rng.randrange(6000, 36000, 100))
            hh.incomes.append(("wages", wage, (wage * Decimal("0.1")).quantize(Decimal("1"))))
        elif p.employment == "farming":
            hh.incomes.append(("business", Decimal(rng.randrange(1500, 12000, 100)), Decimal("0")))
        elif p.employment == "retired" or (p.birth.year < today.year - 60):
            hh.incomes.append(("transfer", Decimal(rng.randrange(1400, 4000, 10)), Decimal("0")))
    hh.deposit = Decimal(rng.choice([0, 0, 500, 2000, 5000, 12000, 30000]))
    return hh

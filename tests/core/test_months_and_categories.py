"""One definition of month arithmetic (core.months) and of the category table (core.categories)."""
import datetime as dt

from cases.models import Entitlement
from core import categories
from core.months import add_months, first_of_month, month_range, previous_month
from funds.models import PayCategory

D = dt.date


def test_add_months_keeps_the_day_and_clamps_to_the_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)  # leap year
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 15), 2) == D(2027, 1, 15)
    assert add_months(D(2026, 1, 15), -13) == D(2024, 12, 15)
    assert add_months(D(2026, 5, 30), 0) == D(2026, 5, 30)


def test_month_helpers():
    assert first_of_month(D(2026, 12, 3)) == D(2026, 12, 1)
    assert previous_month(D(2026, 1, 20)) == D(2025, 12, 1)
    assert month_range(D(2028, 2, 10)) == (D(2028, 2, 1), D(2028, 2, 29))
    assert month_range(D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31))


def test_every_page_export_and_parameter_reads_one_category_table():
    assert Entitlement.Category is categories.Category
    assert categories.label("tekun_central") == "特困（集中供养）" == Entitlement.Category.TEKUN_CENTRAL.label
    assert categories.label("unknown_code") == "unknown_code"
    for code, label in PayCategory.choices:  # the paid categories of the bank file say what the model says
        if code not in (PayCategory.PRICE_SUBSIDY, PayCategory.TEMPORARY_AID):  # payments only, no entitlement
            assert label == categories.label(code)
    assert set(categories.PAID) <= set(PayCategory.values)


def test_templates_read_the_same_table():
    from django.template import Context, Template

    page = Template("{% load jiuzhu %}{{ a|category_label }}|{{ b|category_label }}|{{ c|category_label }}")
    assert page.render(Context({"a": "dibao_edge", "b": "tekun_dispersed", "c": ""})) == "低保边缘|特困（分散供养）|"

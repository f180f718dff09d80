"""Issue #21 item 6: one money format (1,234.50, never via float), one date rule (2026年12月3日 in documents
and prose, 2026-12-03 in tables and forms), labels instead of codes."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats

from cases.dibao import workflow
from core.templatetags.jiuzhu import yuan
from tests.cases.dibao_helpers import investigate, poor_household, seed_standards


@pytest.mark.parametrize("value, shown", [
    (Decimal("1234.5"), "1,234.50"),
    (Decimal("0"), "0.00"),
    (Decimal("-0.001"), "0.00"),
    (Decimal("-1234567.891"), "-1,234,567.89"),
    (Decimal("0.005"), "0.01"),                   # half-up, not banker's rounding
    (Decimal("2.675"), "2.68"),                   # a float would say 2.67
    (Decimal("123456789012345678901234567890.125"), "123,456,789,012,345,678,901,234,567,890.13"),
    (Decimal("98765432109876543210.01"), "98,765,432,109,876,543,210.01"),  # exact past float's 17 digits
    (1234, "1,234.00"),
    ("520.00", "520.00"),
    (0.1 + 0.2, "0.30"),
])
def test_yuan_formats_decimals_exactly(value, shown):
    assert yuan(value) == shown


def test_yuan_placeholder_for_missing_and_nonsense():
    assert yuan(None) == "—" and yuan("") == "—"
    assert yuan(None, "") == "" and yuan("abc") == "—"
    assert yuan(Decimal("NaN")) == "—" and yuan(Decimal("Infinity")) == "—"
    rendered = Template('{% load jiuzhu %}{{ a|yuan }}|{{ b|yuan:"" }}|{{ c|yuan }}').render(
        Context({"a": Decimal("1000000"), "b": None, "c": None}))
    assert rendered == "1,000,000.00||—"


def test_unformatted_dates_follow_the_rule():
    day = dt.date(2026, 12, 3)
    assert formats.date_format(day) == "2026年12月3日"
    assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2026-12-03"
    assert Template("{{ d }}|{{ d|date }}|{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": day})) \
        == "2026年12月3日|2026年12月3日|2026-12-03"

    class F(forms.Form):
        on = forms.DateField()

    assert 'value="2026-12-03"' in str(F(initial={"on": day})["on"])
    for typed in ("2026-12-03", "2026/12/03", "2026年12月3日"):
        form = F({"on": typed})
        assert form.is_valid(), typed
        assert form.cleaned_data["on"] == day


OTHER_DATE_FORMS = [
    re.compile(r"\b\d{4}/\d{1,2}/\d{1,2}\b"),                                  # 2026/12/03
    re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d"),  # Dec. 3
    re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),                                # 12/3/2026
    re.compile(r"\b[ap]\.m\.|\bmidnight\b|\bnoon\b"),
]
RAW_CODES = ["not_accepted", "dibao_edge", "succeeded", "temporary_aid", "awaiting_decision", "rigid_expense",
             "price_subsidy", "investigating", "in_force"]


def _visible(html: str) -> str:
    """The text a person reads: tags, attributes, scripts and styles removed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_key_pages_show_one_date_format_money_with_separators_and_no_codes(users, client):
    seed_standards()
    worker = users["zhandian_jingban"]
    household = poor_household()
    app = workflow.application_accept(actor=worker, household=household, reason="申请低保")
    investigate(worker, app)
    app.refresh_from_db()
    assert app.monthly_amount is not None
    client.force_login(worker)
    pages = [reverse("home"), reverse("cases:application_list"), reverse("cases:application_detail", args=[app.pk]),
             reverse("cases:household_detail", args=[household.pk]), reverse("cases:standard_list"),
             reverse("cases:recheck_list"), reverse("cases:aid_list")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _visible(response.content.decode())
        for pattern in OTHER_DATE_FORMS:
            assert not pattern.search(text), (url, pattern.search(text).group(0))
        for code in RAW_CODES:
            assert code not in text, (url, code)
    detail = _visible(client.get(reverse("cases:application_detail", args=[app.pk])).content.decode())
    assert yuan(app.monthly_amount) in detail
    assert re.search(r"\d{4}-\d{2}-\d{2}", detail)                         # ISO in the fact list
    standards = _visible(client.get(reverse("cases:standard_list")).content.decode())
    assert re.search(r"\b\d{3,}\.\d{2}\b", standards)                      # 520.00: two places
    assert not re.search(r"\b\d{4,}\.\d{2}\b", standards)                  # never 1234.00 without a comma

"""Issue #15 item 4: the reserve-fund ledger follows scope. Village staff see lines only for their own
village's households (no balances, no other villages); finance sees township totals only; notes carry no
names; the township and the county see their funds' lines."""
from decimal import Decimal

import pytest

from cases.temporary_aid import services as ta
from core.models import Region
from demo.households import seed_standards
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
ZHANDIAN = "410823101"
URL = "/temporary-aid/funds/"


@pytest.fixture
def ledger(users):
    seed_standards()
    ta.reserve_fund_top_up(actor=users["wuzhi_minzheng"], township=Region.objects.get(code=ZHANDIAN),
                           amount=Decimal("9000.00"), note="年度拨付")
    own = PersonFactory(name="何营东户主", household__village="410823101200")
    other = PersonFactory(name="何营西户主", household__village="410823101201")
    mine = ta.fast_grant(actor=users["zhandian_shenpi"], household=own.household, aid_type="emergency",
                         cause="失火", amount=Decimal("1111.00"))
    theirs = ta.fast_grant(actor=users["zhandian_shenpi"], household=other.household, aid_type="emergency",
                           cause="车祸", amount=Decimal("2222.00"))
    return mine, theirs


def test_village_staff_see_only_their_villages_lines(client, users, ledger):
    mine, theirs = ledger
    client.force_login(users["heying_cun"])
    html = client.get(URL).content.decode()
    assert "1,111.00" in html and "2,222.00" not in html
    assert "9,000.00" not in html and "5,667.00" not in html  # no top-up, no balance
    assert "何营西户主" not in html and "何营东户主" not in html
    assert client.get(f"/api/v1/reserve-funds/{ZHANDIAN}/entries/").status_code == 404  # no fund in reach
    assert client.get("/api/v1/reserve-funds/").json()["results"] == []


def test_finance_sees_township_totals_only(client, users, ledger):
    client.force_login(users["wuzhi_caizheng"])
    resp = client.get(URL)
    html = resp.content.decode()
    row = resp.context["rows"][0]
    assert (row["township_name"], row["topped_up"], row["disbursed"], row["grants"], row["balance"]) == (
        "詹店镇", Decimal("9000.00"), Decimal("3333.00"), 2, Decimal("5667.00"))
    assert "1,111.00" not in html and "先行救助 第" not in html and "户主" not in html
    resp = client.get(f"/api/v1/reserve-funds/{ZHANDIAN}/entries/")
    assert resp.status_code == 403 and "汇总" in resp.json()["detail"]
    assert client.get(f"/api/v1/reserve-funds/{ZHANDIAN}/").json()["balance"] == "5667.00"


def test_township_sees_all_its_lines_without_names(client, users, ledger):
    mine, theirs = ledger
    client.force_login(users["zhandian_jingban"])
    html = client.get(URL).content.decode()
    assert "1,111.00" in html and "2,222.00" in html and "年度拨付" in html
    assert "户主" not in html
    lines = client.get(f"/api/v1/reserve-funds/{ZHANDIAN}/entries/").json()
    assert isinstance(lines, list) and len(lines) == 3
    assert {ln["note"] for ln in lines} == {"年度拨付", f"先行救助 第{mine.pk}号", f"先行救助 第{theirs.pk}号"}

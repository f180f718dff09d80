"""The home page's small chart: server-side SVG (no script), scoped, escaped."""
from cases.dibao import workflow
from jiuzhu import charts
from tests.cases.dibao_helpers import poor_household, seed_standards


def test_chart_counts_the_users_region_and_has_no_script(users, client):
    seed_standards()
    workflow.application_accept(actor=users["zhandian_jingban"], household=poor_household(), reason="x")
    svg = str(charts.applications_by_month(users["zhandian_jingban"]))
    assert svg.startswith("<svg") and "<script" not in svg and ">1</text>" in svg
    assert ">1</text>" not in str(charts.applications_by_month(users["xiangyun_jingban"]))
    assert "&lt;b&gt;" in str(charts.bar_svg([("<b>", 2)], title="t"))
    client.force_login(users["zhandian_jingban"])
    page = client.get("/").content.decode()
    assert "申请受理趋势" in page and "<svg" in page
    client.force_login(users["wuzhi_caizheng"])
    assert "<svg" not in client.get("/").content.decode()

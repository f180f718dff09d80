"""bench.province (issue #22 item 3): per-row costs of two runs and the 1.2× verdict."""
from bench import province


def _run(persons, draft, lines, export, rows, death, vehicle, imported):
    return {"persons": persons, "database_bytes": persons * 900, "jobs": {
        "funds": {"draft": draft, "lines": lines, "export": export, "rows": rows},
        "comparison": {"files": {"death_police": {"full_s": death, "rows": 50_000},
                                 "vehicle": {"full_s": vehicle, "rows": 200_000}}},
        "import": {"full": {"seconds": imported, "households": 50_000}}}}


def test_per_row_divides_by_the_rows_of_each_job():
    rows = province.per_row(_run(1_000_000, 10.0, 100_000, 2.0, 10_000, 5.0, 20.0, 100.0))
    assert rows["起草发放批次（每户）"] == (10.0 / 100_000, 100_000)
    assert rows["导出一卡通文件（每行）"] == (2.0 / 10_000, 10_000)
    assert rows["车辆比对（每行）"] == (20.0 / 200_000, 200_000)
    assert rows["家庭批量导入（每户）"] == (100.0 / 50_000, 50_000)


def test_table_says_reached_only_when_every_ratio_is_within_1_2(capsys):
    small = _run(1_000_000, 10.0, 100_000, 2.0, 10_000, 5.0, 20.0, 100.0)
    linear = _run(10_000_000, 110.0, 1_000_000, 23.0, 100_000, 5.5, 22.0, 110.0)  # ratios 1.1–1.15
    assert province.table(small, linear)
    assert "未达到" not in capsys.readouterr().out
    slow = _run(10_000_000, 130.0, 1_000_000, 23.0, 100_000, 5.5, 22.0, 110.0)  # drafting 1.3×
    assert not province.table(small, slow)
    out = capsys.readouterr().out
    assert "1.30×  未达到" in out and out.rstrip().endswith("未达到")

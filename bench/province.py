"""`python -m bench province`: city (1,000,000 persons) against province (10,000,000) scale, per row (issue #22 item 3).

    python -m bench province run --out /tmp/prov-1m.json     # on one database: funds, comparison, household import
    python -m bench province table /tmp/prov-1m.json /tmp/prov-10m.json [--pages-small A.json --pages-large B.json]

`run` runs, each in its own process against DATABASE_URL, `python -m bench.funds_batch`, `python -m bench.comparison`
and `python -m bench household-import` with their `--out`, and merges their figures with the registry's size into one
JSON file. `table` prints, for each job, the seconds per row at both scales and their ratio against the goal
(≤ 1.2×: 达到 / 未达到); with the two runs' `python -m bench --out` files it adds the list pages' CPU per request.
Per-row costs: drafting = draft seconds / lines drafted; export = export seconds / lines written; comparison = the
full path's seconds / rows of the file (death and vehicle files, fixed sizes); import = full import seconds /
households imported (fixed size).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.2
PAGES = ("list_township", "list_city", "list_city_p5", "search_id_city", "search_name_city", "search_last4_city",
         "home_township", "home_city")


def _persons() -> dict:
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_person")
        persons = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM cases_household")
        households = cur.fetchone()[0]
        cur.execute("SELECT pg_database_size(current_database())")
        size = cur.fetchone()[0]
    conn.close()
    return {"persons": persons, "households": households, "database_bytes": size}


def run(out: Path, import_households: int, comparison_rounds: int, export_counties: str,
        jobs: tuple[str, ...] = ("funds", "comparison", "import")) -> int:
    """Run the jobs; a job already in `out` (an earlier call with other --jobs) is kept unless run again."""
    report = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **_persons(), "jobs": {}}
    if out.exists():
        report["jobs"] = json.loads(out.read_text()).get("jobs", {})
    commands = {
        "funds": [sys.executable, "-m", "bench.funds_batch", "--export-counties", export_counties],
        "comparison": [sys.executable, "-m", "bench.comparison", "--rounds", str(comparison_rounds)],
        "import": [sys.executable, "-m", "bench", "household-import", "--households", str(import_households)],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in commands.items():
            if name not in jobs:
                continue
            target = Path(tmp) / f"{name}.json"
            print(f"== {' '.join(command[1:])}  (负载 {os.getloadavg()[0]:.1f})", flush=True)
            t = time.perf_counter()
            done = subprocess.run([*command, "--out", str(target)], check=False)
            report["jobs"][name] = json.loads(target.read_text()) if target.exists() else {"exit": done.returncode}
            report["jobs"][name]["wall_s"] = time.perf_counter() - t
            out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))  # each job as it ends
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"结果已写入 {out}")
    return 0


def per_row(report: dict) -> dict[str, tuple[float, int]]:
    """{job: (seconds per row, rows)} of one run."""
    jobs, rows = report["jobs"], {}
    funds = jobs.get("funds", {})
    if funds.get("lines"):
        rows["起草发放批次（每户）"] = (funds["draft"] / funds["lines"], funds["lines"])
    if funds.get("rows"):
        rows["导出一卡通文件（每行）"] = (funds["export"] / funds["rows"], funds["rows"])
    for source, label in (("death_police", "死亡比对（每行）"), ("vehicle", "车辆比对（每行）")):
        f = jobs.get("comparison", {}).get("files", {}).get(source)
        if f:
            rows[label] = (f["full_s"] / f["rows"], f["rows"])
    imp = jobs.get("import", {})
    if imp.get("full", {}).get("households"):
        rows["家庭批量导入（每户）"] = (imp["full"]["seconds"] / imp["full"]["households"], imp["full"]["households"])
    return rows


def table(small: dict, large: dict, pages_small: dict | None = None, pages_large: dict | None = None) -> bool:
    a, b = per_row(small), per_row(large)
    print(f"全市规模 {small['persons']:,} 人（{small['database_bytes'] / 2**30:.2f} GiB） 对 "
          f"全省规模 {large['persons']:,} 人（{large['database_bytes'] / 2**30:.2f} GiB）")
    print(f"{'作业':<22}{'小规模 µs/行':>14}{'行数':>11}{'大规模 µs/行':>14}{'行数':>11}{'比值':>8}  目标 ≤ {TARGET}×")
    ok = True
    for label in a:
        if label not in b:
            print(f"{label:<22}  大规模运行缺少此项")
            ok = False
            continue
        (sa, na), (sb, nb) = a[label], b[label]
        ratio = sb / sa if sa else float("inf")
        ok &= ratio <= TARGET
        pad = 24 - sum(2 if ord(c) > 0x2E80 else 1 for c in label)
        print(f"{label}{' ' * max(1, pad)}{sa * 1e6:>12.1f}{na:>11,}{sb * 1e6:>14.1f}{nb:>11,}{ratio:>7.2f}×  "
              + ("达到" if ratio <= TARGET else "未达到"))
    if pages_small and pages_large:
        print(f"\n{'页面':<22}{'小规模 CPU ms':>14}{'CPU比':>8}{'大规模 CPU ms':>14}{'CPU比':>8}{'查询数':>10}")
        for key in PAGES:
            pa, pb = pages_small["pages"].get(key), pages_large["pages"].get(key)
            if not pa or not pb:
                continue
            same = pa["queries"] == pb["queries"] and not pb["whole_table_count"]
            print(f"{key:<22}{pa['cpu_ms']:>14.2f}{pa['cpu_ratio_to_bare'] * 100:>7.0f}%{pb['cpu_ms']:>14.2f}"
                  f"{pb['cpu_ratio_to_bare'] * 100:>7.0f}%{pa['queries']:>5} → {pb['queries']}"
                  + ("" if same else "  查询变了！"))
    print(f"\n每行成本在 {TARGET}× 以内：" + ("达到" if ok else "未达到"))
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench province", description="全市与全省规模的每行成本对照")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="在 DATABASE_URL 上运行发放、比对、导入三项基准并合并结果")
    r.add_argument("--out", required=True)
    r.add_argument("--import-households", type=int, default=100_000)
    r.add_argument("--comparison-rounds", type=int, default=3)
    r.add_argument("--export-counties", default="410802,410803",
                   help="一卡通导出只测这些县的批次（默认解放区、中站区：1M 时约 1.5 万行，10M 时约 15 万行）")
    r.add_argument("--jobs", default="funds,comparison,import", help="逗号分隔：funds,comparison,import")
    t = sub.add_parser("table", help="打印两次运行的对照表")
    t.add_argument("small")
    t.add_argument("large")
    t.add_argument("--pages-small", help="小规模的 python -m bench --out 文件")
    t.add_argument("--pages-large", help="大规模的 python -m bench --out 文件")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(Path(args.out), args.import_households, args.comparison_rounds, args.export_counties,
                   tuple(args.jobs.split(",")))
    load = lambda p: json.loads(Path(p).read_text()) if p else None  # noqa: E731
    return 0 if table(load(args.small), load(args.large), load(args.pages_small), load(args.pages_large)) else 1


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bench report [--dir bench/results] [--write README.md]`: the README's benchmark figures, generated from
the benchmarks' own output files instead of typed by hand (issue #22 item 1).

Reads what is there (a benchmark not run is simply left out, never invented):

  latest.json   `python -m bench --out …`: page scenarios, CPU ratio to the bare view (`pages.<key>.cpu_ratio_to_bare`)
  walk.json     `python -m bench walk`: every page of every demo role, p50/p99, the slow ones
  *.json        any other file with `"report"`: [{job, measured, target, reached}] — the generic form the
                funds, comparison, import, serve and province benchmarks write

and prints one Markdown table (job, measured, target, 达到/未达到, when, load). `--write FILE` replaces the text
between the markers <!-- bench:begin --> and <!-- bench:end --> in FILE and nothing else.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
OUT = Path(__file__).resolve().parent / "results"  # the runs the README was generated from (committed)

PAGE_ROWS = [  # key, label, target CPU ratio
    ("list_township", "户列表·乡镇经办 vs 裸视图（CPU 比）", 0.60),
    ("list_city", "户列表·市级管理员 vs 裸视图（CPU 比）", 0.60),
    ("search_id_township", "按完整身份证号查找·乡镇（CPU 比）", None),
    ("search_name_city", "按姓名查找·市级（CPU 比）", None),
    ("search_last4_city", "按姓名+身份证后四位查找·市级（CPU 比）", None),
    ("home_township", "首页·乡镇经办 vs 裸视图（CPU 比）", 0.50),
    ("home_city", "首页·市级管理员 vs 裸视图（CPU 比）", 0.50),
]
P99_TARGET_MS = 20.0


def _load(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _when(data: dict) -> str:
    return str(data.get("when", ""))[:16].replace("T", " ")


def _load_avg(data: dict) -> str:
    load = data.get("loadavg_1m", (data.get("machine") or {}).get("loadavg_1m"))
    return f"{load:.1f}" if isinstance(load, int | float) else ""


def page_rows(data: dict) -> list[dict]:
    pages = data.get("pages") or {}
    rows = []
    for key, label, target in PAGE_ROWS:
        page = pages.get(key)
        if not page:
            continue
        ratio = page.get("cpu_ratio_to_bare", 0.0)
        measured = f"{ratio:.0%}，p99 {page.get('p99_ms', 0):.1f} ms，{page.get('queries', '?')} 条查询"
        if target is None:
            rows.append({"job": label, "measured": measured, "target": "—", "reached": None})
            continue
        reached = ratio >= target and (not key.startswith("list_") or page.get("p99_ms", 1e9) <= P99_TARGET_MS)
        goal = f"≥ {target:.0%}" + (f"，p99 ≤ {P99_TARGET_MS:.0f} ms" if key.startswith("list_") else "")
        rows.append({"job": label, "measured": measured, "target": goal, "reached": reached})
    return rows


def walk_rows(data: dict) -> list[dict]:
    pages = data.get("pages") or []
    if not pages:
        return []
    slow = [p for p in pages if p.get("slow")]
    worst = max(pages, key=lambda p: p.get("p99_ms", 0))
    measured = (f"{len(pages)} 个页面，超限 {len(slow)} 个；最慢 {worst.get('page', '')}（{worst.get('user', '')}）"
                f" p99 {worst.get('p99_ms', 0):.0f} ms")
    if data.get("failures"):
        measured += f"；打不开 {len(data['failures'])} 个"
    live = "，三个兜底指标不用缓存、实时计算" if data.get("aims_cache_seconds") == 0 else ""
    return [{"job": f"每个角色的每个页面（python -m bench walk{live}）", "measured": measured,
             "target": "每页 < 300 ms（全市三个兜底指标 ≤ 2 s）",
             "reached": not slow and not data.get("failures")}]


def collect(directory: Path) -> list[dict]:
    """Every row of every output file in `directory`, each with its file's time and load."""
    out = []
    for path in sorted(directory.glob("*.json")):
        data = _load(path)
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("report"), list):
            rows = [r for r in data["report"] if isinstance(r, dict) and r.get("job")]
        elif path.name == "walk.json" or isinstance(data.get("pages"), list):
            rows = walk_rows(data)
        elif isinstance(data.get("pages"), dict):
            rows = page_rows(data)
        else:
            continue
        for row in rows:
            out.append({**row, "when": _when(data), "load": _load_avg(data), "source": path.name})
    return out


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[dict]) -> str:
    if not rows:
        return "（尚无基准测试输出：先运行 `make bench` 等命令）\n"
    lines = ["| 项目 | 实测 | 目标 | 结论 | 时间（UTC）/ 负载 | 来源 |", "|---|---|---|---|---|---|"]
    for r in rows:
        verdict = {True: "达到", False: "**未达到**", None: "—"}[r.get("reached")]
        lines.append("| " + " | ".join(_cell(v) for v in (
            r["job"], r.get("measured", ""), r.get("target", ""), verdict,
            f"{r.get('when', '')} / {r.get('load', '')}", r.get("source", ""))) + " |")
    return "\n".join(lines) + "\n"


def replace_section(text: str, table: str) -> str:
    """`text` with the part between the markers replaced by `table` (the markers kept)."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"未找到标记 {BEGIN} … {END}")
    return text[:start + len(BEGIN)] + "\n" + table + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench report", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=str(OUT), help="基准测试输出目录（默认 bench/results）")
    parser.add_argument("--write", default="", help="把表格写入此文件的标记之间（如 README.md）")
    args = parser.parse_args(argv)
    table = markdown(collect(Path(args.dir)))
    print(table, end="")
    if args.write:
        target = Path(args.write)
        target.write_text(replace_section(target.read_text(encoding="utf-8"), table), encoding="utf-8")
        print(f"已写入 {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m bench serve`: the site behind gunicorn under concurrent clients, beside a bare app in the same run.

Two gunicorn servers with the same number of sync workers, the same database and table: the real site
(jiuzhu.wsgi — every middleware, session in Redis, login, scope, audit, templates with navigation) and a bare
Django app (bench/wsgi_bare.py — one view, no middleware). `--clients` threads (default 8), each with its own
connection per request as a browser behind a proxy would, request the household list of a township caseworker
(signed in: the session is made in-process in the same session store) and the bare view, in alternating
rounds of `--seconds`. Printed: req/s, p50/p99, and the site's throughput against the bare app's
(target ≥ 50 %). Every response is checked (status 200 and a marker), so an error page is never counted.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python -m bench serve [--workers 5] [--clients 8] [--out F]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

TARGET = 0.50
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(app: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_DEBUG": "0", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)


def _wait(port: int, path: str, headers: dict, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = _get(port, path, headers)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn 在端口 {port} 上未就绪（{path}）")


def _get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _round(port: int, path: str, headers: dict, marker: bytes, clients: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client():
        mine, bad = [], []
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                status, body = _get(port, path, headers)
            except OSError as exc:
                bad.append(str(exc))
                continue
            if status != 200 or marker not in body:
                bad.append(f"HTTP {status}")
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "errors": len(errors),
            "first_error": errors[0] if errors else "",
            "p50_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0.0}


def _session_cookie(username: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.settings.local")
    import django

    django.setup()
    from django.conf import settings

    from bench import pages

    client = pages.logged_in(username)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench serve", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn 工作进程数")
    parser.add_argument("--clients", type=int, default=8, help="并发客户端数")
    parser.add_argument("--seconds", type=float, default=10.0, help="每轮秒数")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--user", default="zhandian_jingban")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "serve.json"))
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("需要 PostgreSQL 和城市规模数据（先运行 python -m bench）：DATABASE_URL=postgres://…", file=sys.stderr)
        return 2

    cookie = _session_cookie(args.user)
    site_port, bare_port = _free_port(), _free_port()
    servers = [_start("jiuzhu.wsgi:application", site_port, args.workers),
               _start("bench.wsgi_bare:application", bare_port, args.workers)]
    targets = {"site": (site_port, "/households/", {"Cookie": cookie, "Host": "127.0.0.1"}, "<th>户主</th>".encode()),
               "bare": (bare_port, "/__bench/bare/", {"Host": "127.0.0.1"}, b"<tr>")}
    try:
        for port, path, headers, _ in targets.values():
            _wait(port, path, headers)
        for port, path, headers, marker in targets.values():  # warm every worker
            _round(port, path, headers, marker, args.clients, 2.0)
        rounds = {key: [] for key in targets}
        for _ in range(args.rounds):
            for key, (port, path, headers, marker) in targets.items():
                rounds[key].append(_round(port, path, headers, marker, args.clients, args.seconds))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)

    result = {}
    for key, runs in rounds.items():
        best = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]  # the median round
        result[key] = {**best, "errors": sum(r["errors"] for r in runs), "rounds": runs}
    ratio = result["site"]["rps"] / result["bare"]["rps"] if result["bare"]["rps"] else 0.0
    errors = result["site"]["errors"] + result["bare"]["errors"]
    print(f"gunicorn {args.workers} 个工作进程，{args.clients} 个并发客户端，每轮 {args.seconds:.0f} 秒 × {args.rounds} 轮，"
          f"负载 {os.getloadavg()[0]:.1f}，{os.cpu_count()} 核")
    for key, label in (("bare", "裸 Django 应用（同表50行）"), ("site", f"户列表（{args.user}，完整站点）")):
        r = result[key]
        print(f"  {label}：{r['rps']:.0f} req/s，p50 {r['p50_ms']:.1f} ms，p99 {r['p99_ms']:.1f} ms，错误 {r['errors']}")
    reached = ratio >= TARGET and not errors
    print(f"完整站点 / 裸应用：{ratio:.0%}（目标 ≥ {TARGET:.0%}）：{'达到' if reached else '未达到'}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "loadavg_1m": os.getloadavg()[0],
        "workers": args.workers, "clients": args.clients, "result": result,
        "report": [{"job": f"gunicorn {args.workers} 进程、{args.clients} 并发：户列表 vs 裸应用",
                  "measured": f"{result['site']['rps']:.0f} vs {result['bare']['rps']:.0f} req/s = {ratio:.0%}，"
                              f"p99 {result['site']['p99_ms']:.0f} ms" + (f"，错误 {errors}" if errors else ""),
                  "target": f"≥ {TARGET:.0%}", "reached": reached}]}, ensure_ascii=False, indent=2))
    print(f"结果已写入 {out}")
    return 0 if reached else 1

"""Page benchmarks: real pages through Django's full request handling, in-process, one thread.

Each scenario is a logged-in `django.test.Client` (real login, real session row, real middleware stack,
real templates with navigation) — or, for the baseline, a Client whose handler has no middleware and
hits `bench.views.bare`. Scenarios are interleaved round by round so that load from other processes on
the machine hits all of them alike; throughput is the median over rounds, latencies are pooled.
"""
from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

PASSWORD = "jiuzhu-demo-2026"
# A top-level COUNT over a big table without a WHERE clause (the member-count subquery is per household).
_WHOLE_TABLE_COUNT = re.compile(r'^\s*SELECT COUNT\((?:(?!\bWHERE\b).)*FROM "cases_(household|person|entitlement)"'
                                r'(?:(?!\bWHERE\b).)*$', re.S)


def ensure_statistics() -> None:
    """Do what autovacuum would have done in production before measuring: ANALYZE the tables never analyzed,
    VACUUM ANALYZE those past autovacuum's default threshold of dead rows (50 + 20 % of the live ones).

    Autovacuum is off on this machine's PostgreSQL: the tables seed_demo filled had no statistics (the planner
    took them for empty and chose nested loops no running city would get), and the funds benchmark's rolled-back
    drafts left 300,000 dead lines that every count of the month's lines then read through."""
    with connection.cursor() as cur:
        cur.execute("SELECT relname, last_analyze IS NULL AND last_autoanalyze IS NULL, "
                    "n_dead_tup > 50 + 0.2 * n_live_tup FROM pg_stat_user_tables WHERE n_live_tup + n_dead_tup > 0")
        rows = cur.fetchall()
    vacuum = [name for name, _, dead in rows if dead]
    analyze = [name for name, never, dead in rows if never and not dead]
    with connection.cursor() as cur:
        for table in vacuum:
            cur.execute(f'VACUUM (ANALYZE) "{table}"')
        for table in analyze:
            cur.execute(f'ANALYZE "{table}"')
    if vacuum or analyze:
        print(f"已按 autovacuum 的规则整理：VACUUM {len(vacuum)} 张表，ANALYZE {len(analyze)} 张表（本机 autovacuum 已关闭）")


@dataclass
class Scenario:
    key: str
    label: str
    client: Client
    url: str
    marker: str = ""  # text the page must contain: proof that the scenario measured the page it meant to
    data: dict | None = None  # form fields: the request is a POST (as the user's browser sends it)
    latencies: list[float] = field(default_factory=list)  # seconds
    cpu: list[float] = field(default_factory=list)  # CPU seconds of this (Django) process per request
    rounds: list[float] = field(default_factory=list)  # req/s per round
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    whole_table_count: bool = False
    bytes: int = 0

    def fetch(self):
        if self.data is not None:
            return self.client.post(self.url, self.data)
        return self.client.get(self.url)

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        return {
            "label": self.label, "url": self.url, "requests": len(lat),
            "rps": statistics.median(self.rounds) if self.rounds else 0.0,
            "p50_ms": _pct(lat, 50) * 1000, "p99_ms": _pct(lat, 99) * 1000,
            "mean_ms": statistics.fmean(lat) * 1000 if lat else 0.0,
            "cpu_ms": statistics.median(self.cpu) * 1000 if self.cpu else 0.0,
            "queries": self.queries, "whole_table_count": self.whole_table_count, "bytes": self.bytes,
        }


def _pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def logged_in(username: str) -> Client:
    client = Client()
    if not client.login(username=username, password=PASSWORD):
        raise SystemExit(f"无法以 {username} 登录（请先运行 manage.py seed_demo）")
    return client


def bare_client() -> Client:
    client = Client()
    with override_settings(MIDDLEWARE=[]):
        client.handler.load_middleware()  # the handler keeps this (empty) chain afterwards
    return client


def inspect(s: Scenario) -> None:
    """One request under query capture: status, query count, and no COUNT over a whole big table."""
    with CaptureQueriesContext(connection) as ctx:
        response = s.fetch()
    check(s, response)
    s.queries = len(ctx.captured_queries)
    s.sql = [q["sql"] for q in ctx.captured_queries]
    s.whole_table_count = any(_WHOLE_TABLE_COUNT.search(q) for q in s.sql)
    s.bytes = len(response.content)


def check(s: Scenario, response) -> None:
    """The scenario got the page it meant to: HTTP 200 and its marker (not an error page or a refusal)."""
    if response.status_code != 200:
        raise SystemExit(f"{s.label}: {s.url} 返回 {response.status_code}（应为 200）")
    if s.marker and s.marker not in response.content.decode():
        raise SystemExit(f"{s.label}: {s.url} 的页面中没有“{s.marker}”——测到的不是预期的页面")


def run(scenarios: list[Scenario], *, rounds: int, requests: int, warmup: int) -> None:
    """Requests are interleaved one by one across the scenarios, so that load from other processes on a
    shared machine falls on all of them alike; a round's throughput is requests / time spent on them."""
    for s in scenarios:
        for _ in range(warmup):
            s.fetch()
        inspect(s)  # a warm request, as the measured ones are
    clock, cpu = time.perf_counter, time.process_time
    for _ in range(rounds):
        spent = {s.key: 0.0 for s in scenarios}
        for _ in range(requests):
            for s in scenarios:
                c0, t0 = cpu(), clock()
                s.fetch()
                t1, c1 = clock(), cpu()
                s.latencies.append(t1 - t0)
                s.cpu.append(c1 - c0)
                spent[s.key] += t1 - t0
        for s in scenarios:
            s.rounds.append(requests / spent[s.key])

"""Run inside a Django process on a SQLite FILE database (tests/ops/test_sqlite_office.py): 40 threads read
pages while another thread holds one long write transaction; prints a JSON summary."""
from __future__ import annotations

import io
import json
import threading
import time

from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from core.models import Alert
from demo import users as demo_users
from tests.factories import PersonFactory

PAGES = ["/", "/households/", "/audit-trail/"]


def main(readers: int = 40, rounds: int = 3, write_seconds: float = 6.0, cold: int = 5) -> None:
    """`cold` of the readers start without a visit: their first request writes the session (the idle clock,
    accounts.middleware) and so waits for the writer (busy timeout) instead of failing; the others only read."""
    demo_users.seed(io.StringIO())
    for _ in range(5):
        PersonFactory()
    user = User.objects.get(username="zhandian_jingban")
    clients = []
    for i in range(readers):
        client = Client()
        client.force_login(user)
        if i >= cold:
            assert client.get("/").status_code == 200  # the session's idle clock is set: reads only from now
        clients.append(client)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    connections.close_all()

    writing = threading.Event()
    done_writing = threading.Event()
    window = {}

    def writer():
        try:
            with transaction.atomic():
                window["start"] = time.monotonic()
                writing.set()
                n = 0
                while time.monotonic() - window["start"] < write_seconds:
                    Alert.objects.bulk_create([Alert(region_code="410823", kind="load-test", dedupe_key=f"load-{n}-{i}",
                                                     message="x" * 200, created_at=timezone.now())
                                               for i in range(500)])
                    n += 1
                    time.sleep(0.05)
                window["end"] = time.monotonic()
        finally:
            done_writing.set()
            connections.close_all()

    results, errors = [], []
    lock = threading.Lock()

    def reader(client):
        writing.wait()
        try:
            for _ in range(rounds):
                for page in PAGES:
                    at = time.monotonic()
                    try:
                        status = client.get(page).status_code
                    except Exception as exc:  # "database is locked" and friends
                        status = f"{type(exc).__name__}: {exc}"
                    with lock:
                        results.append((page, status, at, time.monotonic()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    bad = [(p, s) for p, s, _, _ in results if s != 200]
    during = [r for r in results if window.get("start", 0) <= r[2] and r[3] <= window.get("end", 0)]
    errors.extend(bad)
    slowest = max(end - at for _, _, at, end in results)
    print(json.dumps({"journal": journal, "slowest": round(slowest, 2), "requests": len(results), "errors": errors[:20], "error_count": len(bad),
                      "during_write": len(during), "write_seconds": round(window["end"] - window["start"], 1)}))

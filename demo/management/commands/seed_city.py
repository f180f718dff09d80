"""City-scale synthetic data for benchmarks: `manage.py seed_city --persons 1000000`.

About 2.5 persons per household over all 2,024 villages, paid entitlements (低保/特困) for ~15 % of the
persons' count in households. Rows are built in worker processes (one county each) and loaded with
PostgreSQL COPY; secondary indexes and foreign keys are dropped around the load and rebuilt after it,
all inside one transaction (a failure leaves the tables as they were). Idempotent: skips when city data
exists, `--reset` replaces it. On SQLite only small runs are allowed (bulk_create), for tests.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Entitlement, Household, Person
from core import keys
from core.models import Region
from demo import citysim

SQLITE_LIMIT = 20000
BULK_THRESHOLD = 50000  # below this, keep indexes in place (rebuilding them costs more than it saves)
TABLES = ("cases_household", "cases_person", "cases_entitlement")


class Command(BaseCommand):
    help = "生成城市规模的合成数据（约100万人、40万户，覆盖全市2024个村），用于性能基准测试"

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=1_000_000)
        parser.add_argument("--entitled", type=int, default=None,
                            help="享受低保/特困的家庭数，默认为人数的15%%")
        parser.add_argument("--reset", action="store_true", help="删除已有的城市规模合成数据后重新生成")
        parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
        parser.add_argument("--seed", type=int, default=20261129)
        parser.add_argument("--chunk-persons", type=int, default=citysim.CHUNK_PERSONS,
                            help="每个进程一次生成并装载的人数（内存上限随之而定）")

    def handle(self, *args, persons, entitled, reset, workers, seed, chunk_persons=citysim.CHUNK_PERSONS, **options):
        self.chunk_persons = max(1, chunk_persons)
        if persons < 1:
            raise CommandError("--persons 必须为正数")
        postgres = connection.vendor == "postgresql"
        if not postgres and persons > SQLITE_LIMIT:
            raise CommandError(
                f"seed_city 需要 PostgreSQL（当前数据库为 {connection.vendor}）：请设置 "
                f"DATABASE_URL=postgres://...；SQLite 上只允许 --persons ≤ {SQLITE_LIMIT} 的小规模测试。"
            )
        if not Region.objects.filter(level=Region.Level.VILLAGE).exists():
            raise CommandError("行政区划尚未加载，请先运行 migrate")
        existing = Household.objects.filter(note=citysim.MARKER)
        if existing.exists():
            if not reset:
                self.stdout.write(f"城市规模合成数据已存在（{existing.count()} 户），跳过；如需重建请加 --reset。")
                return
        else:
            reset = False
        entitled = round(persons * 0.15) if entitled is None else entitled
        started = time.perf_counter()
        jobs = self._jobs(persons, entitled, seed, skip_existing=reset)
        with transaction.atomic():
            if postgres:
                totals = self._load_copy(jobs, workers, bulk=persons >= BULK_THRESHOLD, reset=reset)
            else:
                if reset:
                    self._delete()
                totals = self._load_orm(jobs)
        if postgres:
            with connection.cursor() as cur:
                for table in TABLES:
                    # statistics and the visibility map; VACUUM cannot run inside a caller's transaction
                    cur.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
        elapsed = time.perf_counter() - started
        h, p, e = totals
        self.stdout.write(self.style.SUCCESS(
            f"城市规模合成数据：{h} 户，{p} 人，{e} 户享受低保/特困；用时 {elapsed:.1f} 秒"
            f"（{'COPY' if postgres else 'bulk_create'}，{workers if postgres else 1} 个进程）。"
        ))

    # --- planning -----------------------------------------------------------------------------------------

    def _jobs(self, persons: int, entitled: int, seed: int, *, skip_existing: bool) -> list[citysim.CountyJob]:
        villages = list(Region.objects.filter(level=Region.Level.VILLAGE).order_by("code")
                        .values_list("code", "parent_id", "name"))
        by_county: dict[str, list] = {}
        for code, parent, name in villages:
            short = Region(code=code, name=name).short_name
            by_county.setdefault(code[:6], []).append((code, parent, short))
        households_estimate = persons / citysim.PERSONS_PER_HOUSEHOLD
        share = min(1.0, entitled / households_estimate)
        now = timezone.now().isoformat()
        version = keys.get_keyring().current
        # Reserve household ids: a county never makes more households than its persons quota.
        with connection.cursor() as cur:
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM cases_household")
            next_id = cur.fetchone()[0] + 1
        jobs, assigned = [], 0
        counties = sorted(by_county)
        for i, county in enumerate(counties):
            quota = (persons - assigned if i == len(counties) - 1
                     else round(persons * len(by_county[county]) / len(villages)))
            assigned += quota
            if quota <= 0:
                continue
            jobs.append(citysim.CountyJob(
                county=county, villages=by_county[county], persons=quota, entitled_share=share,
                first_household_id=next_id, existing_ids=self._existing_ids(county, skip_existing), seed=seed + i, now=now,
                key_version=version,
            ))
            next_id += quota + 1
        return jobs

    @staticmethod
    def _existing_ids(county: str, skip_city: bool) -> list[str]:
        """IDs already stored in the county (demo data), so the factory never issues them again."""
        rows = Person.objects.filter(county_id=county).only("uid", "id_cipher")
        if skip_city:  # about to be deleted
            rows = rows.exclude(household__note=citysim.MARKER)
        return [p.reveal_id_number() for p in rows.iterator(chunk_size=2000)]

    # --- loading ------------------------------------------------------------------------------------------

    def _load_copy(self, jobs, workers: int, *, bulk: bool, reset: bool):
        saved = _drop_secondary(TABLES) if bulk else None
        if reset:
            self._delete()
        totals = [0, 0, 0]
        last_id = 0
        t0 = time.perf_counter()
        keys.get_keyring()  # load keys before forking
        connection.ensure_connection()
        raw = connection.connection
        ctx = multiprocessing.get_context("fork")
        # The parent's DB connection is used only by the parent; children never touch it. Workers stream each
        # county in pieces through a bounded queue, so memory stays flat however many persons a county has.
        queue_jobs, results = ctx.Queue(), ctx.Queue(maxsize=2 * max(1, workers))
        for job in jobs:
            queue_jobs.put(job)
        procs = [ctx.Process(target=citysim.stream_counties, args=(queue_jobs, results, self.chunk_persons),
                             daemon=True) for _ in range(max(1, workers))]
        for proc in procs:
            queue_jobs.put(None)
            proc.start()
        pending = len(jobs)
        try:
            while pending:
                message = results.get()
                if message[0] == "error":
                    raise CommandError(f"生成 {message[1]} 的数据失败：\n{message[2]}")
                if message[0] == "done":
                    pending -= 1
                    self.stdout.write(f"  {message[1]}：完成（累计 {totals[1]} 人，{time.perf_counter() - t0:.0f} 秒）")
                    continue
                county, h, p, e, last, hh_buf, person_buf, ent_buf = message[1]
                with raw.cursor() as cur:
                    _copy(cur, "cases_household", citysim.HOUSEHOLD_COLUMNS, hh_buf)
                    _copy(cur, "cases_person", citysim.PERSON_COLUMNS, person_buf)
                    _copy(cur, "cases_entitlement", citysim.ENTITLEMENT_COLUMNS, ent_buf)
                totals[0] += h
                totals[1] += p
                totals[2] += e
                last_id = max(last_id, last)
        finally:
            for proc in procs:
                if pending:
                    proc.terminate()
                proc.join()
        with connection.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('cases_household', 'id'), "
                        "GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM cases_household)))", [last_id])
        if saved:
            t1 = time.perf_counter()
            _restore(saved)
            self.stdout.write(f"  重建索引和外键：{time.perf_counter() - t1:.0f} 秒")
        return totals

    def _load_orm(self, jobs):
        """SQLite (tests): the same rows through bulk_create."""
        totals = [0, 0, 0]
        for job in jobs:
            rows = citysim.build_county(job)
            Household.objects.bulk_create(
                [Household(**dict(zip(citysim.HOUSEHOLD_COLUMNS, r, strict=True))) for r in rows.households], batch_size=500)
            Person.objects.bulk_create(
                [Person(**dict(zip(citysim.PERSON_COLUMNS, r, strict=True))) for r in rows.persons], batch_size=500)
            Entitlement.objects.bulk_create(
                [Entitlement(**dict(zip(citysim.ENTITLEMENT_COLUMNS, r, strict=True))) for r in rows.entitlements],
                batch_size=500)
            totals[0] += len(rows.households)
            totals[1] += len(rows.persons)
            totals[2] += len(rows.entitlements)
        return totals

    def _delete(self) -> None:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            ids = "SELECT id FROM cases_household WHERE note = %s"
            for table in ("cases_entitlement", "cases_person", "cases_incomeitem", "cases_propertyitem",
                          "cases_rigidexpense", "cases_paymenthold"):
                cur.execute(f"DELETE FROM {table} WHERE household_id IN ({ids})", [citysim.MARKER])
            cur.execute("DELETE FROM cases_household WHERE note = %s", [citysim.MARKER])
            if connection.vendor == "postgresql":
                # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: check them now, so that no
                # trigger events are pending when the indexes are rebuilt in this transaction.
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.stdout.write(f"已删除原有城市规模合成数据（{time.perf_counter() - t0:.0f} 秒）。")


def _copy(cur, table: str, columns: tuple, text: str) -> None:
    if text:
        cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))


def _drop_secondary(tables) -> dict:
    """Drop foreign keys, unique and exclusion constraints and non-primary indexes; return what is needed to
    rebuild."""
    saved = {"constraints": [], "indexes": []}
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'x') ORDER BY contype DESC",
                [table],
            )
            for name, definition in cur.fetchall():
                saved["constraints"].append((table, name, definition))
            cur.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.conrelid = %s::regclass)",
                [table, table],
            )
            saved["indexes"].extend(cur.fetchall())
        # every table's foreign keys before any unique constraint: a member's key points at its household's
        # (id, place) unique constraint
        for table, name, _ in sorted(saved["constraints"], key=lambda c: "FOREIGN KEY" not in c[2]):
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in saved["indexes"]:
            cur.execute(f'DROP INDEX "{name}"')
    return saved


def _restore(saved: dict) -> None:
    with connection.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in saved["indexes"]:
            cur.execute(definition)
        # unique and exclusion constraints first, then foreign keys (which may point at a unique one)
        for table, name, definition in sorted(saved["constraints"], key=lambda c: "FOREIGN KEY" in c[2]):
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


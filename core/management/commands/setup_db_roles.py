"""The application's PostgreSQL role (issue #15): it may read and write the business tables but may only
SELECT and INSERT on the audit tables — no UPDATE, DELETE or TRUNCATE — and, not owning any table, can neither
disable their triggers nor alter them. Run as the tables' owner (the role that runs `migrate`) after every
migrate; then run the web, worker and beat containers as this role (see README, "Database roles")."""
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql

# Tables whose rows are evidence: append-only for the application.
AUDIT_TABLES = ["core_auditevent"]


class Command(BaseCommand):
    help = "Create or update the restricted application role (PostgreSQL): append-only on the audit tables."

    def add_arguments(self, parser):
        parser.add_argument("--role", default=os.environ.get("JIUZHU_APP_DB_ROLE", "jiuzhu_app"))
        parser.add_argument("--password", default=os.environ.get("JIUZHU_APP_DB_PASSWORD", ""),
                            help="login password (default: $JIUZHU_APP_DB_PASSWORD; empty: NOLOGIN)")

    def handle(self, *args, role, password, **options):
        if connection.vendor != "postgresql":
            raise CommandError("数据库角色只在 PostgreSQL 上设置")
        ident = sql.Identifier(role)
        with connection.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if not cur.fetchone():
                cur.execute(sql.SQL("CREATE ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT").format(ident))
            login = (sql.SQL("LOGIN PASSWORD {}").format(sql.Literal(password)) if password
                     else sql.SQL("NOLOGIN"))
            cur.execute(sql.SQL("ALTER ROLE {} NOSUPERUSER NOBYPASSRLS ").format(ident) + login)
            cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), ident))
            cur.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
            cur.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(ident))
            cur.execute(sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident))
            for table in AUDIT_TABLES:
                cur.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), ident))
                cur.execute(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(table), ident))
        self.stdout.write(f"已设置数据库角色 {role}：审计表只能查询和追加。")

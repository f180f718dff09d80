#!/bin/sh
# Runs once, when the PostgreSQL container initialises its data volume (docker-entrypoint-initdb.d).
# Two roles (等保: least privilege):
#   jiuzhu_owner  owns the database and every table; `migrate` (the one-shot service) connects with it.
#   jiuzhu_app    what web, worker and beat connect with: neither superuser nor owner; reads and writes rows
#                 (default privileges on everything jiuzhu_owner creates), may create its own scratch tables
#                 (comparison staging) but cannot alter or drop the application's tables.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner_pw="$JIUZHU_OWNER_PASSWORD" -v app_pw="$JIUZHU_APP_PASSWORD" <<'SQL'
CREATE ROLE jiuzhu_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_pw';
CREATE ROLE jiuzhu_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_pw';
ALTER DATABASE jiuzhu OWNER TO jiuzhu_owner;
ALTER SCHEMA public OWNER TO jiuzhu_owner;
REVOKE ALL ON DATABASE jiuzhu FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE jiuzhu TO jiuzhu_app;
GRANT USAGE, CREATE ON SCHEMA public TO jiuzhu_app;
ALTER DEFAULT PRIVILEGES FOR ROLE jiuzhu_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jiuzhu_app;
ALTER DEFAULT PRIVILEGES FOR ROLE jiuzhu_owner IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO jiuzhu_app;
SQL

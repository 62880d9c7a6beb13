#!/usr/bin/env bash
# A real PostgreSQL server on loopback for the test suite (tests marked `postgres`).
#
# Installs Debian's postgresql if it is missing, starts the default cluster as the postgres user (initdb and
# postgres refuse to run as root; pg_ctlcluster switches user for us), and makes a role that may create
# databases: each test gets its own throw-away database, so parallel test workers never share tables.
# Idempotent and quick on a second run. Prints one line for the caller to eval:
#
#     eval "$(scripts/pg_test_server.sh)"      # sets RECTIPARSE_PG_URL
#
# Everything else goes to standard error.
set -euo pipefail

ROLE=${RECTIPARSE_PG_ROLE:-rectiparse}
PASSWORD=${RECTIPARSE_PG_PASSWORD:-rectiparse}
DB=${RECTIPARSE_PG_DB:-rectiparse}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    echo "pg_test_server: installing postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main"' | grep -q .; then
    echo "pg_test_server: creating cluster $VERSION/main" >&2
    $SUDO pg_createcluster "$VERSION" main >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    echo "pg_test_server: starting cluster $VERSION/main on port $PORT" >&2
    $SUDO pg_ctlcluster "$VERSION" main start >&2
fi

psql_admin() { $SUDO runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 50); do psql_admin -c "select 1" >/dev/null 2>&1 && break; sleep 0.2; done

if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$ROLE'")" != "1" ]; then
    psql_admin -c "create role $ROLE login createdb password '$PASSWORD'" >&2
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname = '$DB'")" != "1" ]; then
    psql_admin -c "create database $DB owner $ROLE" >&2
fi

echo "export RECTIPARSE_PG_URL=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"

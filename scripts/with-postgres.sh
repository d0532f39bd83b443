#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on a loopback port, its URL in
# INSPECTION_TEST_POSTGRES_URL, and stop the server afterwards. With an URL already set, just run.
set -euo pipefail
if [ -n "${INSPECTION_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then echo "PostgreSQL not installed: its tests will be skipped" >&2; exec "$@"; fi

DIR=$(mktemp -d /tmp/junheng-pg.XXXXXX)
PORT=${PGPORT_TEST:-55432}
RUN=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; RUN=(runuser -u postgres --); fi
"${RUN[@]}" "$PGBIN/initdb" -D "$DIR/data" -U junheng -A trust -E UTF8 >/dev/null
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
cleanup() { "${RUN[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
"${RUN[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U junheng junheng_test
export INSPECTION_TEST_POSTGRES_URL="postgresql+psycopg://junheng@127.0.0.1:$PORT/junheng_test"
export INSPECTION_TEST_POSTGRES_PIDFILE="$DIR/data/postmaster.pid"
"$@"

#!/usr/bin/env bash
# Smoke test of the production set-up on one machine: a PostgreSQL-backed Prefect server, Junheng's
# own database on PostgreSQL, the demo run against the server, the deployments registered on a
# process work pool, and one worker running the accountability sweep to completion.
# Run: bash scripts/with-postgres.sh bash scripts/smoke-prefect-server.sh   (not part of `make test`)
set -euo pipefail
[ -n "${DEBUG:-}" ] && set -x
cd "$(dirname "$0")/.."
: "${INSPECTION_TEST_POSTGRES_URL:?run me through scripts/with-postgres.sh}"
BASE=${INSPECTION_TEST_POSTGRES_URL%/*}                  # postgresql+psycopg://user@host:port
PSQL_URL=${INSPECTION_TEST_POSTGRES_URL/+psycopg/}
WORK=$(mktemp -d /tmp/junheng-prefect.XXXXXX)
export INSPECTION_DATA_DIR=$WORK/data PREFECT_HOME=$WORK/prefect PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1
psql "$PSQL_URL" -qc "create database prefect" -c "create database junheng"
psql "${PSQL_URL%/*}/prefect" -qc "create extension pg_trgm"
export PREFECT_API_DATABASE_CONNECTION_URL="${BASE/+psycopg/+asyncpg}/prefect"
export INSPECTION_DATABASE_URL="$BASE/junheng"
PORT=${PREFECT_SMOKE_PORT:-4299}
.venv/bin/prefect server start --port "$PORT" > "$WORK/server.log" 2>&1 & SERVER=$!
stop() {  # a worker that lost its server ignores SIGTERM while it retries: end it for sure
  kill ${WORKER:-} $SERVER 2>/dev/null || true; sleep 2; kill -9 ${WORKER:-} $SERVER 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT
for _ in $(seq 1 60); do curl -sf "localhost:$PORT/api/health" >/dev/null && break; sleep 2; done
export PREFECT_API_URL=http://127.0.0.1:$PORT/api
.venv/bin/inspection demo | tail -n 1
.venv/bin/prefect work-pool create junheng --type process --overwrite >/dev/null
.venv/bin/python -m workflows.deploy deploy --pool junheng >/dev/null
.venv/bin/prefect worker start --pool junheng > "$WORK/worker.log" 2>&1 & WORKER=$!
.venv/bin/prefect deployment run accountability-sweep/accountability-sweep-daily >/dev/null
for _ in $(seq 1 60); do grep -q "Flow run .* Finished in state Completed" "$WORK/worker.log" && break; sleep 3; done
psql "${PSQL_URL%/*}/prefect" -Atc "select f.name || ' ' || r.state_type from flow_run r join flow f on f.id = r.flow_id
                                     where r.state_type = 'COMPLETED'" | sort | uniq -c
grep -q "Flow run .* Finished in state Completed" "$WORK/worker.log" && echo "smoke test passed: the worker completed the sweep"

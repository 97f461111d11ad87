#!/usr/bin/env bash
# `make bench`: the production stack on PostgreSQL + Redis, a fresh bench data set, and the load
# client in its own process against 127.0.0.1 only (tools/bench/). The report is printed and
# written to var/bench/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var/bench
PORT="${BENCH_PORT:-8765}"
DURATION="${BENCH_DURATION:-15}"
BARE_PORT="${BENCH_BARE_PORT:-8766}"
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) + 1 ))}"
export DATABASE_NAME=etickets_bench
dropdb -h 127.0.0.1 -U postgres --if-exists "$DATABASE_NAME"
PORT=$PORT LOG_LEVEL=WARNING scripts/prod.sh > var/bench/server.log 2>&1 &
SERVER=$!
# The calibration server: a bare Django view behind the same number of gunicorn workers.
$BIN/gunicorn --chdir tools/bench bare_wsgi --workers "$WORKERS" --bind "127.0.0.1:$BARE_PORT" \
  > var/bench/bare.log 2>&1 &
BARE=$!
trap 'kill $BARE 2>/dev/null; pkill -P $SERVER 2>/dev/null; kill $SERVER 2>/dev/null; pkill -f "gunicorn config.wsgi --workers .* --bind 127.0.0.1:$PORT" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/healthz"; echo

export DEBUG=false DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DATABASE_NAME"
export REDIS_URL=redis://127.0.0.1:6379/1 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
export SECRET_KEY="$(cat var/prod-secret-key)" TICKET_SIGNING_KEY="$(cat var/prod-ticket-key.pem)"
# The load client pays with test cards: the server (prod.sh) and seed_bench take the sandbox.
export ALLOW_SANDBOX_PAYMENTS=true
echo "Payments: sandbox acquirer (ALLOW_SANDBOX_PAYMENTS=true)"
DJANGO_SETTINGS_MODULE=config.settings $BIN/python -m tools.bench.seed --output var/bench/data.json "$@"
# Fresh statistics, and no autovacuum of the seeded tables during the first phases.
psql -h 127.0.0.1 -U postgres -q -d "$DATABASE_NAME" -c "VACUUM ANALYZE"
curl -sf "http://127.0.0.1:$BARE_PORT/" >/dev/null
$BIN/python -m tools.bench.load --base "http://127.0.0.1:$PORT" --data var/bench/data.json \
  --calibration "http://127.0.0.1:$BARE_PORT/" --duration "$DURATION" --report var/bench/report.md

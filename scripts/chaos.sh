#!/usr/bin/env bash
# `make chaos`: a sales rush on the production stack (scripts/prod.sh) while its parts fail,
# then the books (tools/chaos/); `make soak` (--soak SECONDS): a steady load instead. Its own database and its own Redis (port CHAOS_REDIS_PORT), so
# that stopping Redis disturbs nothing else; but it restarts this machine's PostgreSQL cluster:
# run it on a machine of its own. Logs and the data set under var/chaos/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOGS=var/chaos
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

export CHAOS_RUN="$$"  # marks this run's processes (tools/chaos/run.py finds them by it)
export PORT="${CHAOS_PORT:-8785}"
REDIS_PORT="${CHAOS_REDIS_PORT:-6390}"
export DATABASE_NAME=etickets_chaos
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DATABASE_NAME"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export ALLOWED_HOSTS=127.0.0.1 EMAIL_URL=dummymail:// ALLOW_SANDBOX_PAYMENTS=true
# The reconciliation's delays, shortened so that the run settles within minutes.
export PAYMENT_RETRY_SECONDS=5 AUTHORISATION_GRACE_SECONDS=20
# Fewer buyers to make: each may buy up to 20 tickets of the event.
export MAX_TICKETS_PER_EVENT=20

dropdb -h 127.0.0.1 -U postgres --if-exists "$DATABASE_NAME"
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --logfile "$PWD/$LOGS/redis.log"
setsid scripts/prod.sh > "$LOGS/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill -- -"$SERVER" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 180); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/healthz"; echo

export DEBUG=false LOG_LEVEL=WARNING
export SECRET_KEY="$(cat var/prod-secret-key)" TICKET_SIGNING_KEY="$(cat var/prod-ticket-key.pem)"
$BIN/python -m tools.chaos.run --base "http://127.0.0.1:$PORT" --marker "$CHAOS_RUN" \
  --redis-port "$REDIS_PORT" --logs "$LOGS" "$@" | tee "$LOGS/report.txt"

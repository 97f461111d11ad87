#!/usr/bin/env bash
# `make prod`: what production runs, on this machine — gunicorn (workers from the CPU count),
# PostgreSQL, Redis for cache/rate limits, a Celery worker and beat. Plain HTTP on 127.0.0.1
# (put the TLS proxy of docs/DEPLOYMENT.md in front of it for real traffic). WEB_NODES=N starts
# N application servers behind HAProxy (Debian's package) on PORT, each on PORT+1…PORT+N.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mkdir -p var

export DEBUG=false
export DEMO_DATA=true  # the demo catalogue, as `make run` has it (tools/demo)
export DATABASE_NAME="${DATABASE_NAME:-etickets_prod}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DATABASE_NAME}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT:-8000}}"
# This machine has no real acquirer: the sandbox, which approves any valid card, on purpose.
export ALLOW_SANDBOX_PAYMENTS="${ALLOW_SANDBOX_PAYMENTS:-true}"
[ "$ALLOW_SANDBOX_PAYMENTS" = true ] && echo "Payments: sandbox acquirer (ALLOW_SANDBOX_PAYMENTS=true), not for real sales"
# Local secrets, made once under var/ (production gets them from its secret store).
[ -s var/prod-secret-key ] || $BIN/python -c "import secrets; print(secrets.token_urlsafe(64))" > var/prod-secret-key
[ -s var/prod-ticket-key.pem ] || DEBUG=true $BIN/python manage.py new_ticket_signing_key > var/prod-ticket-key.pem
export SECRET_KEY="${SECRET_KEY:-$(cat var/prod-secret-key)}"
export TICKET_SIGNING_KEY="${TICKET_SIGNING_KEY:-$(cat var/prod-ticket-key.pem)}"

if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DATABASE_NAME'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres "$DATABASE_NAME"
fi
$BIN/python manage.py migrate --noinput
$BIN/python manage.py collectstatic --noinput >/dev/null
$BIN/python manage.py seed_demo

# One sync worker per core, plus one to use the time another waits on PostgreSQL: measured
# on 2 cores, 2×CPU+1 workers only added switching (docs/PERFORMANCE.md). Shared among the
# nodes when there are several.
PORT="${PORT:-8000}"
NODES="${WEB_NODES:-1}"
if [ "$NODES" -gt 1 ] && ! command -v haproxy >/dev/null; then
  echo "WEB_NODES=$NODES needs HAProxy: apt-get install haproxy" >&2
  exit 1
fi
WORKERS="${WEB_CONCURRENCY:-$(( ($(nproc) + 1 + NODES - 1) / NODES ))}"
# E-mails and PDFs can wait a few seconds during a sales rush, buyers cannot: on a machine it
# shares with the web workers, the Celery worker only gets the CPU they leave (Linux's
# SCHED_IDLE; the lowest `nice` elsewhere).
IDLE="nice -n 19"
if command -v chrt >/dev/null && chrt --idle 0 true 2>/dev/null; then IDLE="chrt --idle 0"; fi
$IDLE $BIN/celery -A config worker --concurrency 2 --loglevel INFO &
PIDS=($!)
$BIN/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule &
PIDS+=($!)
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
# Its own logs as JSON lines too, each access with the request's id (LOG_FORMAT=plain: as is).
LOGGER=()
[ "${LOG_FORMAT:-json}" = json ] && LOGGER=(--logger-class etickets.core.access_log.JsonAccessLogger)
GUNICORN=($BIN/gunicorn config.wsgi --workers "$WORKERS" "${LOGGER[@]}" --access-logfile -
  --forwarded-allow-ips 127.0.0.1 --max-requests 200000 --max-requests-jitter 20000)
web_node() {  # on port $1, in the background
  "${GUNICORN[@]}" --bind "127.0.0.1:$1" --control-socket "var/gunicorn-$1.ctl" &
  PIDS+=($!)
}
if [ "$NODES" -eq 1 ]; then
  echo "JO E-Tickets (production mode): http://127.0.0.1:$PORT/ — $WORKERS gunicorn workers"
  web_node "$PORT"
  wait "${PIDS[-1]}"
  exit
fi
# Every node shares PostgreSQL and Redis: nothing a request needs is kept in one node's memory
# (docs/SCALING.md). The client's address comes from HAProxy's X-Forwarded-For.
export TRUSTED_PROXY_COUNT=1
SERVERS=""
for n in $(seq "$NODES"); do
  web_node $(( PORT + n ))
  SERVERS+="  server node$n 127.0.0.1:$(( PORT + n )) check inter 2s"$'\n'
done
cat > var/haproxy.cfg <<CFG
global
  maxconn 4000
defaults
  mode http
  option forwardfor
  option http-keep-alive
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend web
  bind 127.0.0.1:$PORT
  default_backend nodes
backend nodes
  balance roundrobin
  # A node is taken out while /healthz fails (its database unreachable), back when it answers.
  option httpchk
  http-check send meth GET uri /healthz hdr Host 127.0.0.1
  http-check expect status 200
$SERVERS
CFG
# HAProxy starts once the nodes answer: it would otherwise mark them down while they boot.
for n in $(seq "$NODES"); do
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$(( PORT + n ))/healthz" >/dev/null && break
    sleep 0.5
  done
done
echo "JO E-Tickets (production mode): http://127.0.0.1:$PORT/ — HAProxy, $NODES nodes of $WORKERS gunicorn workers"
haproxy -db -f var/haproxy.cfg

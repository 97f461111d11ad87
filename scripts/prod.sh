#!/usr/bin/env bash
# `make prod`: what production runs, on this machine — gunicorn (workers from the CPU count),
# PostgreSQL, Redis for cache/sessions/rate limits, a Celery worker and beat. Plain HTTP on
# 127.0.0.1 (put the TLS proxy of docs/DEPLOYMENT.md in front of it for real traffic).
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
# on 2 cores, 2×CPU+1 workers only added switching (docs/PERFORMANCE.md).
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) + 1 ))}"
# E-mails and PDFs can wait a few seconds during a sales rush, buyers cannot: on a machine it
# shares with the web workers, the Celery worker only gets the CPU they leave (Linux's
# SCHED_IDLE; the lowest `nice` elsewhere).
IDLE="nice -n 19"
if command -v chrt >/dev/null && chrt --idle 0 true 2>/dev/null; then IDLE="chrt --idle 0"; fi
$IDLE $BIN/celery -A config worker --concurrency 2 --loglevel INFO &
CELERY=$!
$BIN/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule &
BEAT=$!
trap 'kill $CELERY $BEAT 2>/dev/null || true' EXIT
echo "JO E-Tickets (production mode): http://127.0.0.1:${PORT:-8000}/ — $WORKERS gunicorn workers"
# Its own logs as JSON lines too, each access with the request's id (LOG_FORMAT=plain: as is).
LOGGER=()
[ "${LOG_FORMAT:-json}" = json ] && LOGGER=(--logger-class etickets.core.access_log.JsonAccessLogger)
$BIN/gunicorn config.wsgi --workers "$WORKERS" --bind "127.0.0.1:${PORT:-8000}" "${LOGGER[@]}" \
  --access-logfile - --forwarded-allow-ips 127.0.0.1 --max-requests 200000 --max-requests-jitter 20000

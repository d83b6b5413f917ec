#!/usr/bin/env bash
# Serves the bench data with production settings (DEBUG off, PostgreSQL, Redis) under gunicorn
# on plain HTTP at 127.0.0.1:$BENCH_PORT, for bench/load.py. Nothing is weakened: SSL redirect,
# HSTS and secure cookies stay on; bench/load.py sends X-Forwarded-Proto: https as the
# TLS-terminating proxy in front of gunicorn would. BENCH_FLOOR=1 turns on /bench/floor/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=0 BENCH_FLOOR=1
export SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz}
export DATABASE_URL=${BENCH_DATA_URL:-postgres://postgres@127.0.0.1:5432/ll_bench_data}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}
export ALLOWED_HOSTS=127.0.0.1 EMAIL_URL=${EMAIL_URL:-console:}
PORT=${BENCH_PORT:-8000}
WORKERS=${BENCH_WORKERS:-4}
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py collectstatic --no-input -v0
# The questions lists are filled by their writers and each night (docs/caching.md); the
# generated data had neither, so fill them as the nightly task (and a deploy) does.
.venv/bin/python manage.py fill_pages
exec .venv/bin/gunicorn learning_lead.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --worker-class sync --backlog 2048 --no-control-socket "$@"

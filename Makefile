# Learning Lead: the single entry point. `make run` and `make test` are the two README commands.
PY := .venv/bin/python
# axe-core for the accessibility tests: from the npm registry into .ci/node (not committed,
# never served to users).
AXE_VERSION := 4.14.1
AXE_DIR := .ci/node

.PHONY: run test test-fast packages venv axe messages compile-messages lint format lock clean bench-reminders

venv:
	@scripts/bootstrap

# The Debian packages `make test` needs: installed as root or with passwordless sudo, otherwise
# one message says which are missing and how to install them.
packages:
	@scripts/provision packages

axe:
	@installed=$$(node -p 'require("./$(AXE_DIR)/node_modules/axe-core/package.json").version' 2>/dev/null); \
	if [ "$$installed" != "$(AXE_VERSION)" ]; then \
		npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(AXE_DIR) axe-core@$(AXE_VERSION); \
	fi

compile-messages: venv
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages -v0 --ignore=.venv; \
	else echo "msgfmt not found: using the committed .mo files"; fi

# Set up, migrate and seed the embedded SQLite database, then serve at 127.0.0.1:8000 with the
# reminder loop beside it (no Redis needed). Ctrl-C stops both.
run: venv compile-messages
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 $(PY) manage.py seed_demo
	trap 'kill 0' INT TERM EXIT; \
	DEBUG=1 $(PY) manage.py run_reminders & \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite, on PostgreSQL and Redis (override DATABASE_URL / REDIS_URL to point elsewhere),
# browser tests included (Debian's chromium at /usr/bin/chromium; axe-core from npm). Without
# the URLs it uses what answers at 127.0.0.1:5432 and :6379, else throwaway servers for the run.
test: packages venv compile-messages axe
	SECRET_KEY=$${SECRET_KEY:-tests-only-secret-key-not-for-production-use-0123456789} \
		scripts/provision run -- $(PY) -m pytest $(PYTEST_ARGS)

# The quick loop while working: the same suite without the browser journeys (tests/browser)
# and the tests that start Celery workers, servers or sweeps of their own (marked
# `processes`), property tests with a fifth of their examples (tests/examples.py), in
# parallel: one pytest-xdist worker per core (TEST_WORKERS=0 for one process), each with a
# PostgreSQL test database and a Redis database of its own (docs/testing.md).
# `make test` still runs everything; run it before asking for a merge.
TEST_WORKERS ?= auto
test-fast: packages venv compile-messages
	SECRET_KEY=$${SECRET_KEY:-tests-only-secret-key-not-for-production-use-0123456789} \
		HYPOTHESIS_PROFILE=fast \
		scripts/provision run -- $(PY) -m pytest -m "not browser and not processes" \
		-n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l fi -l sv_FI -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

lock: venv
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf .venv staticfiles db.sqlite3 $(AXE_DIR)

# `make bench-reminders BENCH_DATABASE_URL=postgres://... BENCH_ARGS="--runs 5"`
bench-reminders: venv
	$(PY) bench/reminders_sweep.py $(BENCH_ARGS)

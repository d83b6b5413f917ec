# Learning Lead: the single entry point. `make run` and `make test` are the two README commands.
PY := .venv/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/learning_lead
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
# axe-core for the accessibility tests: from the npm registry into .ci/node (not committed,
# never served to users).
AXE_VERSION := 4.14.1
AXE_DIR := .ci/node

.PHONY: run test venv axe messages compile-messages lint format lock clean bench-reminders

venv:
	@scripts/bootstrap

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
# browser tests included (Debian's chromium at /usr/bin/chromium; axe-core from npm).
test: venv compile-messages axe
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(REDIS_TEST_URL)} \
		SECRET_KEY=$${SECRET_KEY:-tests-only-secret-key-not-for-production-use-0123456789} \
		$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: venv
	DEBUG=1 $(PY) manage.py makemessages -l fi -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

lock: venv
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf .venv staticfiles db.sqlite3 $(AXE_DIR)

# `make bench-reminders BENCH_DATABASE_URL=postgres://... BENCH_ARGS="--runs 5"`
bench-reminders: venv
	$(PY) bench/reminders_sweep.py $(BENCH_ARGS)

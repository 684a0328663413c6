# postdesk: two commands for a newcomer (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export POSTDESK_VAR_DIR ?= $(CURDIR)/var

.PHONY: run demo-env test deps dev-deps lint format bench clean

# Each step says what it does ("== ..."), and pip shows what it fetches: on a fresh
# machine the installs take a minute or two, which in silence looks like a hang.

# Python packages: the package and its pinned dependencies (constraints = the lock).
$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || { echo "== creating the Python virtualenv .venv"; $(PYTHON) -m venv $(VENV); }
	@echo "== installing Python packages into .venv (first run: about a minute)"
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install -c requirements/constraints.txt -e .
	@touch $@

$(BIN)/.dev-installed: $(BIN)/.installed
	@echo "== installing the test tools into .venv (pytest, Playwright, ruff)"
	$(BIN)/python -m pip install -c requirements/constraints.txt -e ".[dev]"
	@touch $@

# Front-end libraries from the npm registry, exactly as locked.
node_modules/.installed: package.json package-lock.json
	@echo "== installing front-end packages from npm into node_modules (htmx, Chart.js)"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(BIN)/.installed node_modules/.installed
dev-deps: $(BIN)/.dev-installed node_modules/.installed

# The demo's settings in $(POSTDESK_VAR_DIR)/postdesk.env, which `.venv/bin/postdesk`
# reads in a fresh shell (src/postdesk/envfile.py): the README's commands work as written.
demo-env:
	POSTDESK_DEMO=1 $(BIN)/python -m postdesk.envfile

# Serve the demo facility on http://127.0.0.1:$(PORT) with the background worker beside it.
run: deps
	@$(MAKE) --no-print-directory demo-env
	@echo "== creating or updating the demo database in var/ (migrations)"
	POSTDESK_DEMO=1 $(BIN)/postdesk migrate --no-input -v 0
	@echo "== loading the demo facility (first run: about ten seconds; later runs change nothing)"
	POSTDESK_DEMO=1 $(BIN)/postdesk demo
	@echo "== collecting static files"
	POSTDESK_DEMO=1 $(BIN)/postdesk collectstatic --no-input -v 0
	@if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then \
	  echo ""; \
	  echo "WARNING: ffmpeg/ffprobe not found: media QC is disabled (checks end in an error, the"; \
	  echo "         demo has no QC reports). Everything else works. Install Debian's ffmpeg:"; \
	  echo "         sudo apt-get install ffmpeg"; \
	fi
	@echo ""
	@echo "== starting the web server and the background worker"
	@echo "postdesk demo on http://127.0.0.1:$(PORT)/"
	@echo "Demo logins (password 'demo'): admin bookings supervisor coordinator reception engineer library runner accounts client"
	@echo "Mail that would be sent is written to var/mail/. Stop with Ctrl-C."
	@echo ""
	POSTDESK_DEMO=1 $(BIN)/postdesk worker -v 0 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	POSTDESK_DEMO=1 PORT=$(PORT) $(BIN)/postdesk serve --workers 2

# The whole suite on SQLite, or on PostgreSQL when DATABASE_URL points there.
test: dev-deps
	POSTDESK_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: dev-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: dev-deps
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: dev-deps
	# Demo mode only gives the parent a secret key; the bench makes its own database.
	POSTDESK_DEMO=1 $(BIN)/postdesk bench scheduling $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var

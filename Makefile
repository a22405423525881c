# Kinship: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup run test lint check worker beat clean translations messages

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# A local .env for development only (DEBUG on, a random secret key). Never used in production,
# where the environment carries the settings. Variables already in the environment win.
.env:
	printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

# Compiled translations (.mo) are built from the catalogues in locale/ (Babel: no gettext needed).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
locale/%.mo: locale/%.po $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

setup: $(STAMP) .env translations

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Kinship is running at http://$(HOST):$(PORT)/  (demo sign-ins are in README.md)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# axe-core for the browser tests' accessibility checks, from the npm registry (package-lock.json pins it).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

test: setup $(AXE)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy

# Production-style processes (need REDIS_URL and DATABASE_URL in the environment).
worker: setup
	$(VENV)/bin/celery -A recovery_site worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A recovery_site beat --loglevel=INFO

# For developers adding strings (needs GNU gettext): refresh the Spanish catalogues, then translate.
messages: setup
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=devtools --ignore=node_modules
	$(PY) manage.py makemessages -d djangojs -l es --ignore=.venv --ignore=staticfiles --ignore=node_modules

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var .pytest_cache node_modules $(MO_FILES)

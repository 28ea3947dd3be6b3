# The two commands: `make demo` and `make test`. Everything else here serves them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests run in parallel processes, one per core up to 4 (TEST_PROCESSES=0 runs them in one).
TEST_PROCESSES ?= auto --maxprocesses 4

.PHONY: demo test lint format messages e2e-deps benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $(VENV)/.runtime $@

# Links in e-mails, QR sheets and the links CSV use SITE_URL: the address served here.
demo: export SITE_URL = http://$(HOST):$(PORT)
demo: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "Demo at $(SITE_URL)/  (Ctrl+C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

format: $(VENV)/.test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the translation catalogues after changing strings (needs GNU gettext).
messages: $(VENV)/.test
	$(BIN)/python manage.py makemessages --locale es_MX --locale en --no-obsolete \
		--ignore '.venv/*' --ignore 'staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

# Browser tests need Debian's Chromium; Playwright's own browser download is not used.
e2e-deps:
	apt-get install -y chromium

benchmarks: $(VENV)/.test
	$(BIN)/python -m benchmarks $(NAME)

clean:
	rm -rf $(VENV) staticfiles

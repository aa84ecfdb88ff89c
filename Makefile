# Sillon — the README's two commands: `make run` and `make test`.
# Both do the whole set-up on a fresh machine: a Python >= 3.12, .venv with the locked
# dependencies, Bootstrap from the npm registry.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.txt | cksum | cut -d' ' -f1)
ASSETS := node_modules/bootstrap/dist/css/bootstrap.min.css
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test setup lint format bench migrate demo worker beat clean

# The server and a Celery worker with its beat on a folder broker (scripts/run-dev).
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	HOST=$(HOST) PORT=$(PORT) scripts/run-dev

test: setup
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

setup: $(STAMP) $(ASSETS)

$(STAMP): requirements/dev.txt
	@python=$$(scripts/find-python) || exit 1; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(VENV)/bin/uv pip sync --quiet --python $(PY) --compile-bytecode requirements/dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

$(ASSETS): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to install Bootstrap (Debian: apt-get install npm)."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(VENV)/bin/lint-imports

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: setup
	$(PY) bench/pages.py

worker: setup
	$(VENV)/bin/celery -A sillon worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A sillon beat --loglevel=INFO

# Regenerate the lock files after changing pyproject.toml.
lock: setup
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --python-version 3.12 --generate-hashes -o requirements/base.txt
	$(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.12 --generate-hashes -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules staticfiles

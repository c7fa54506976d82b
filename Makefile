# The two commands: `make demo` and `make test`. Everything else is a helper of those.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
RESIDENTS ?= 50000
SEED ?= 1

.PHONY: demo test bench lint docs messages clean venv dev-venv assets image image-lock compose-smoke

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Civic needs Python 3.11 or newer on the PATH."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change. The demo takes the forecast extra
# too: without it a manager sees no demand forecast and no staffing suggestion (docs/insights.md).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[forecast]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

# Front-end assets: GOV.UK Frontend from npm (not committed), built with Sass into
# src/civic/frontend/build/, which the package (and so every wheel and image) carries.
ASSETS := src/civic/frontend/build/civic/civic.css
# pa11y and Lighthouse (the accessibility tests) drive the system Chromium that .ci/run
# installs, so nothing downloads a browser of its own.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Civic's pages need npm (Node.js 18 or newer) to install GOV.UK Frontend."; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --silent --no-audit --no-fund
	touch $@

$(ASSETS): node_modules/.package-lock.json $(wildcard src/civic/frontend/*.scss)
	npm run --silent build

assets: $(ASSETS)

## make demo: install, migrate, generate the demo jurisdiction (first time), serve on :8000
demo: venv assets
	$(BIN)/civic demo --residents $(RESIDENTS) --seed $(SEED)

## make test: the whole suite on SQLite; under CI=true also on PostgreSQL
test: dev-venv assets
	scripts/system-packages
	scripts/run-tests

## make bench: the benchmarks in benchmarks/, figures to docs/benchmarks.md
## (make test runs them all at smoke size: tests/benchmarks, python -m benchmarks --smoke)
bench: dev-venv
	$(BIN)/python -m benchmarks

## make image: the container image civic:<version> and :latest, from Debian's packages (docs/deployment.md)
image: venv assets
	deploy/image/build

## make image-lock: pin the image's dependencies again (after pyproject.toml changes them)
image-lock: venv assets
	deploy/image/build --no-image
	deploy/image/lock

## make compose-smoke: the Compose stack serves the demo from the image (minutes; after make image)
compose-smoke: dev-venv
	deploy/compose-smoke

lint: dev-venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

## make docs: regenerate docs/configuration.md from the settings
docs: dev-venv
	$(BIN)/civic config docs --write docs/configuration.md

## make messages: refresh the Dutch translation catalogue and compile it
messages: dev-venv
	cd src/civic && ../../$(BIN)/civic makemessages --locale nl --no-obsolete --no-location
	cd src/civic && ../../$(BIN)/civic compilemessages --locale nl

clean:
	rm -rf $(VENV) var node_modules src/civic/frontend/build build dist

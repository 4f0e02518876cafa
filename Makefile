# make run   - serve the dashboard on the embedded SQLite store (a first start loads the sample data)
# make run-public - serve the public site alone (the citizens' page, Persian and English) on port 8502
# make test  - every test, the browser ones included (installs Debian's chromium when it is missing); the
#            tests without a browser or a slow program on two workers, then the others one at a time
# make test-fast - unit and AppTest tests only, on two workers: no browser, PostgreSQL, LibreOffice, nginx or child process
# make bench - speed figures against their floors (python -m benchmarks; --quick via BENCH_ARGS=--quick)
# make lint  - ruff check, ruff format --check and mypy
# make check-streamlit-upgrade [STREAMLIT_VERSION=1.68.0] - ui/seam.py's canaries against another Streamlit
#            (default: the newest on the index) in a scratch virtualenv; lists the items that broke

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
RUN_STAMP := $(VENV)/.requirements.stamp
DEV_STAMP := $(VENV)/.requirements-dev.stamp
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
STREAMLIT_ARGS ?=
PYTEST_ARGS ?=
# pytest-xdist workers (make test-fast, and make test's tests without a browser): one a core
FAST_WORKERS ?= 2
BENCH_ARGS ?=
STREAMLIT_VERSION ?=
UPGRADE_VENV ?= test-artifacts/streamlit-upgrade/venv

.PHONY: run run-public test test-fast bench lint format venv venv-dev chromium clean check-streamlit-upgrade

run: $(RUN_STAMP)
	$(PY) -m streamlit run dashboard.py --browser.gatherUsageStats false $(STREAMLIT_ARGS)

# the citizens' page and nothing else (public.py; the same as DASHBOARD_MODE=public with dashboard.py)
PUBLIC_PORT ?= 8502
run-public: $(RUN_STAMP)
	$(PY) -m streamlit run public.py --browser.gatherUsageStats false --server.port $(PUBLIC_PORT) $(STREAMLIT_ARGS)

# every test, in two runs: the ones that need no browser and start no slow program on two workers (PostgreSQL's
# included; each test has its own database), then the browser and slow ones one at a time, each timing its own
# pages. "not (browser or slow)" is not the fast tier: a test there may start a child process, and Hypothesis
# draws the full number of examples. A run that PYTEST_ARGS leaves without a test (exit 5) is no failure.
test: $(DEV_STAMP) chromium
	$(PY) -m pytest -p no:cacheprovider -q -n $(FAST_WORKERS) -m "not (browser or slow)" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PY) -m pytest -p no:cacheprovider -m "browser or slow" $(PYTEST_ARGS) || [ $$? -eq 5 ]

# the markers come from tests/conftest.py (by the fixtures a test uses) and from explicit marks
FAST_MARKERS := not browser and not postgres and not slow

test-fast: $(DEV_STAMP)
	$(PY) -m pytest -p no:cacheprovider -q -n $(FAST_WORKERS) -m "$(FAST_MARKERS)" $(PYTEST_ARGS)

bench: $(DEV_STAMP) chromium
	$(PY) -m benchmarks $(BENCH_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# the project's requirements with another Streamlit, in a virtualenv of its own (the project's .venv is untouched)
check-streamlit-upgrade: chromium
	$(PYTHON) -m tools.check_streamlit_upgrade --venv $(UPGRADE_VENV) $(if $(STREAMLIT_VERSION),--version $(STREAMLIT_VERSION))

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

venv: $(RUN_STAMP)
venv-dev: $(DEV_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# pip runs again only when a requirements file is newer than its stamp
$(RUN_STAMP): requirements.txt | $(PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

# Playwright's own browser download does not work here: the browser tests drive Debian's chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing chromium with apt-get"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu; \
	fi

clean:
	rm -rf test-artifacts benchmarks/out

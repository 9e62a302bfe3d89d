# The course's task script. Two commands are all a learner needs:
#   make lab    create .venv, install everything, open the course in JupyterLab
#   make test   install the same way, then run every test (unit, notebooks, browser)
# Both are idempotent: a second run reinstalls only when pyproject.toml or
# constraints.txt changed. Between edits, `make check` is the quick loop (no
# notebook is executed). After make test, .ci/run runs `make portability` (nbval on
# other code paths of NumPy and OpenBLAS, as another CPU would) and `make
# test-installed` (nbval with the course installed from its wheel, as on a hub).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root unless told; root is the usual user in a container.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab check test portability test-installed links install lint format notebooks bench lock clean

# JupyterLab settings for this server only, kept in jupyterlab-settings/ (the user's
# own configuration is not touched): overrides.json answers "Would you like to get
# notified about official Jupyter news?" with no and turns off the update check;
# the server fetches no news and checks for no update either.
LAB_SETTINGS := --LabApp.app_settings_dir="$(CURDIR)/jupyterlab-settings" \
	--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(AS_ROOT) --notebook-dir=. $(LAB_SETTINGS) notebooks/00_start_here.ipynb

# nbval re-executes every notebook and compares every stored output (strict mode:
# the default, without --nbval-lax); figures are not compared byte for byte.
NBVAL := $(BIN)/pytest --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider notebooks

# Lint, unit and property tests, explorers headless: no notebook runs (≤ 3 min).
check: lint
	$(BIN)/pytest tests -m "not browser and not slow"

# Everything. Each notebook runs twice: once in the browser, once under nbval.
test: check
	$(BIN)/pytest tests -m "browser or slow"
	$(NBVAL)

# The unit tests and nbval again, with NumPy at its baseline SIMD level and OpenBLAS
# on another kernel (scripts/portable_env.py says which): no test and no stored digit
# may depend on this CPU.
portability: $(STAMP)
	settings=$$($(BIN)/python scripts/portable_env.py) && \
	env $$settings $(BIN)/pytest tests -m "not browser and not slow" -q && \
	env $$settings $(NBVAL)

# The course installed as a JupyterHub image installs it (the wheel, not editable, in
# a fresh venv) and nbval strict on a copy of notebooks/ outside the repository.
# Not part of `make test`: it installs everything once more (a few minutes).
test-installed: $(STAMP)
	$(BIN)/python scripts/test_installed.py

# Binder URL and badge for the origin remote (or URL=... BRANCH=...); with
# HUB=https://hub.example.edu also the nbgitpuller link. Standard library only.
links:
	$(PYTHON) scripts/links.py $(if $(URL),--url "$(URL)") $(if $(BRANCH),--branch "$(BRANCH)") $(if $(HUB),--hub "$(HUB)")

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable ".[test,dev]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-execute every notebook and store its outputs (deterministic: run twice, same bytes).
notebooks: $(STAMP)
	$(BIN)/python scripts/regen_notebooks.py

bench: $(STAMP)
	$(BIN)/python bench/bench_explorers.py

# Re-resolve constraints.txt from pyproject.toml in a throwaway environment.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet ".[test,dev]"
	{ echo "# Every package the course installs, at the exact version the stored notebook"; \
	  echo "# outputs were made with. Regenerate with: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude gdcore; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

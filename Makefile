# The course's task script. Two commands are all a learner needs:
#   make lab    create .venv, install everything, open the course in JupyterLab
#   make test   install the same way, then run every test (unit, notebooks, browser)
# Both are idempotent: a second run reinstalls only when pyproject.toml or
# constraints.txt changed. Between edits, `make check` is the quick loop (no
# notebook is executed); `make portability` re-runs nbval on other code paths of
# NumPy and OpenBLAS, as another CPU would (.ci/run runs it after make test).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root unless told; root is the usual user in a container.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: lab check test portability install lint format notebooks bench lock clean

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(AS_ROOT) --notebook-dir=. notebooks/00_start_here.ipynb

# nbval re-executes every notebook and compares every stored output (strict mode:
# the default, without --nbval-lax); figures are not compared byte for byte.
NBVAL := $(BIN)/pytest --nbval --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider notebooks

# Lint, unit and property tests, explorers headless: no notebook runs (≤ 3 min).
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests -m "not browser and not slow"

# Everything. Each notebook runs twice: once in the browser, once under nbval.
test: check
	$(BIN)/pytest tests -m "browser or slow"
	$(NBVAL)

# nbval again, with NumPy at its baseline SIMD level and OpenBLAS on another kernel
# (scripts/portable_env.py says which): no stored digit may depend on this CPU.
portability: $(STAMP)
	settings=$$($(BIN)/python scripts/portable_env.py) && env $$settings $(NBVAL)

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

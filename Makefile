# linkscout: every target sets itself up. `make demo` and `make test` are all a fresh clone needs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= out/demo

.PHONY: demo test lint bench soak fixtures clean

# The venv is rebuilt only when pyproject.toml changes (the stamp is older than it).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

demo: $(STAMP)
	@bash scripts/demo.sh "$(DEMO_DIR)"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy store graph outreach cli

bench: $(STAMP)
	$(BIN)/python -m benchmarks

soak: $(STAMP)
	LINKSCOUT_SOAK=1 $(BIN)/python -m pytest -m soak -p no:cacheprovider

fixtures: $(STAMP)
	$(BIN)/python -m crawler.fixture_gen --out fixtures

clean:
	rm -rf $(VENV) out .pytest_cache

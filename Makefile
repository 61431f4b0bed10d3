# linkscout: every target sets itself up. `make demo` and `make test` are all a fresh clone needs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= out/demo
NICHE ?= fixtures/niche.toml
# A shell that sets PYTHONDONTWRITEBYTECODE makes every linkscout subprocess and every pytest run
# recompile (and re-rewrite) the project's sources: collection took 21 s instead of 8 s here.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test test-fast lint bench soak fixtures clean chromium

# The venv is rebuilt only when pyproject.toml changes (the stamp is older than it).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

# The main job on the bundled fixture niche: crawl (loopback, real downloader and robots.txt),
# rank, print the top of the collaborator queue, write the outreach CSV.
demo: $(STAMP)
	@mkdir -p $(DEMO_DIR) && rm -f $(DEMO_DIR)/linkscout.db $(DEMO_DIR)/linkscout.db-wal $(DEMO_DIR)/linkscout.db-shm
	@$(BIN)/linkscout crawl --niche $(NICHE) --db $(DEMO_DIR)/linkscout.db
	@$(BIN)/linkscout queue --kind authors --limit 5 --niche $(NICHE) --db $(DEMO_DIR)/linkscout.db
	@$(BIN)/linkscout export --force --out $(DEMO_DIR)/outreach.csv --niche $(NICHE) --db $(DEMO_DIR)/linkscout.db
	@printf '\nDatabase: %s\nOutreach CSV: %s\nNext: %s\n' "$(DEMO_DIR)/linkscout.db" "$(DEMO_DIR)/outreach.csv" \
		"linkscout next --db $(DEMO_DIR)/linkscout.db --niche $(NICHE) (today's agenda), linkscout stage log HANDLE commented --url POST (after you comment), linkscout init (your own niche)"

# The full suite, what CI runs, on every core (pytest-xdist): 4 min 25 s of pytest on two cores here
# from a fresh clone, 5 min 39 s with setting up the venv.
test: $(STAMP) chromium
	$(BIN)/python -m pytest -n auto

# The inner loop: everything but end-to-end crawls, subprocess runs and browser checks. About 23 s
# here on two cores when the machine is otherwise idle (29 s of tests, 4 s of collection a worker).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow and not soak"

# The report tests render the HTML report in real headless Chromium (Debian's `chromium` package);
# the saved-page tests make their rendered-DOM and MHTML data with it (tests/helpers_chromium.py).
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { echo "Installing chromium (the report tests render in it)"; \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# mypy cannot follow the editable install's folder mapping (crawler/ -> linkscout.crawler), so it reads
# the package through a tree of symlinks laid out the way the wheel is.
TYPECHECK := build/typecheck
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/linkscout
	@ln -s ../../../linkscout/__init__.py ../../../linkscout/__main__.py $(TYPECHECK)/linkscout/
	@for d in core crawler store graph outreach cli fixtures; do ln -s ../../../$$d $(TYPECHECK)/linkscout/$$d; done
	MYPYPATH=$(TYPECHECK) $(BIN)/mypy --strict -p linkscout

bench: $(STAMP)
	$(BIN)/python -m benchmarks

soak: $(STAMP)
	LINKSCOUT_SOAK=1 $(BIN)/python -m pytest -m soak -p no:cacheprovider

fixtures: $(STAMP)
	$(BIN)/python -m tools.fixture_gen --out fixtures

clean:
	rm -rf $(VENV) out .pytest_cache

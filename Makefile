# Two commands do all the set-up on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# pytest-xdist workers for `make test` (CI has 2 cores)
JOBS   ?= 2

export INSPECTION_DATA_DIR ?= $(CURDIR)/data
export PREFECT_HOME ?= $(CURDIR)/data/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup demo serve test bench clean

# Prefect creates its home only one level deep: make the data folder first.
setup: $(VENV)/.installed
	mkdir -p "$(PREFECT_HOME)"

$(VENV)/.installed: pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

# Prefect's own database migrated once here (7–13 s on 2 cores), not inside the first demo.
$(PREFECT_HOME)/.migrated: $(VENV)/.installed
	mkdir -p "$(PREFECT_HOME)"
	$(BIN)/prefect server database upgrade -y > /dev/null
	touch "$@"

demo: setup $(PREFECT_HOME)/.migrated
	$(BIN)/inspection demo
	$(BIN)/inspection demo-users
	$(MAKE) --no-print-directory serve

serve: setup
	$(BIN)/streamlit run streamlit_app.py --server.headless true --server.port $(PORT) \
	  --browser.gatherUsageStats false

test: setup
	bash scripts/with-postgres.sh $(BIN)/pytest -n $(JOBS) --dist worksteal

bench: setup
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_documents.py
	$(BIN)/python benchmarks/bench_plan.py
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_signin.py
	bash scripts/with-postgres.sh $(BIN)/python benchmarks/bench_monitoring.py

clean:
	rm -rf $(VENV) data

# LSR Explorer — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= data/parquet
PORT ?= 8050
# optional extras to install; CI adds spark (.ci/run): EXTRAS=test,spark
EXTRAS ?= test

.PHONY: run test install demo lint clean bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

install: $(VENV)/.installed

$(DATA_DIR)/CURRENT: | $(VENV)/.installed
	$(BIN)/lsr --data-dir $(DATA_DIR) demo

demo: $(VENV)/.installed
	$(BIN)/lsr --data-dir $(DATA_DIR) demo

run: $(VENV)/.installed $(DATA_DIR)/CURRENT
	@echo "Serving LSR Explorer on http://127.0.0.1:$(PORT)"
	$(BIN)/lsr --data-dir $(DATA_DIR) serve --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(VENV)/.installed
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/pytest -q

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(DATA_DIR) .pytest_cache tests/artifacts

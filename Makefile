# Two commands on a fresh machine: `make demo` and `make test` (README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test setup system-deps screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	@sh scripts/system-deps.sh

setup: $(STAMP) system-deps

demo: setup
	$(BIN)/reportgen demo -o out/ --force

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict reportgen
	$(BIN)/pytest -n auto

screenshots: demo
	$(BIN)/python docs/screenshots/make_screenshots.py out --lang ja

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache

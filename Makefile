# Everything runs in a local virtual environment (.venv), created on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site site-internal test validate serve lint bench bytecode clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# pip compiles installed packages, but not an editable install; where PYTHONDONTWRITEBYTECODE is
# set, Python would recompile the generator on every `handbook validate`. Stale files are safe:
# Python checks each .pyc against its source.
bytecode:
	$(BIN)/python -m compileall -q generator

setup: $(STAMP)

## make site: set up and build the handbook into site/
site: $(STAMP)
	$(BIN)/handbook build --out site

## make site-internal: the internal edition (with internal numbers, and the audit page
## revisjon/ when ../shared/sources has the source texts) into site-internal/
site-internal: $(STAMP)
	$(BIN)/handbook build --edition internal --out site-internal $(if $(wildcard ../shared/sources),--sources ../shared/sources)

## make test: set up and run every check and test
test: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/python -m compileall -q generator
	$(BIN)/handbook validate
	$(BIN)/handbook fmt --check
	$(BIN)/handbook schema --check
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/handbook validate

## make serve: live preview of one region (make serve REGION=oslo PORT=8001; default agder, 8000)
serve: $(STAMP)
	HANDBOOK_REGION=$(or $(REGION),agder) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(or $(PORT),8000)

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks

bench: $(STAMP) bytecode
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/cards.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/preview.py
	$(BIN)/python benchmarks/lighthouse.py

clean:
	rm -rf $(VENV) site site-internal .pytest_cache

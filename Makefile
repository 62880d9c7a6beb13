# rectiparse — every target creates the virtual environment first if it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLE ?= samples/002_056a472a98951650.txt

.PHONY: install demo test test-fast lint fmt schema samples bench eval eval-real loo train wheel clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## demo: extract one sample bulletin and print a summary of what was found
demo: $(STAMP)
	mkdir -p out
	$(BIN)/rectiparse extract $(SAMPLE) --pretty -o out/demo.json; test $$? -le 1
	$(BIN)/python scripts/demo_summary.py out/demo.json

## test: lint, then the whole suite (the command CI runs)
test: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -x -m "not slow and not browser and not postgres"

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff check --fix src tests scripts
	$(BIN)/ruff format src tests scripts

## schema: regenerate schemas/document.schema.json from the pydantic models
schema: $(STAMP)
	$(BIN)/rectiparse schema -o schemas/document.schema.json

## samples: render the seed bulletins into PDF, DOCX and HTML files under samples/
samples: $(STAMP)
	@for f in scripts/make_samples_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## bench: speed and memory figures (see README)
bench: $(STAMP)
	@for f in scripts/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## eval: accuracy against samples/gold
eval: $(STAMP)
	$(BIN)/rectiparse eval --gold samples/gold --samples samples --floor scripts/eval_floor.json

## eval-real: extract and score the real-page excerpts of ../shared/real-dev (fails below scripts/eval_real_floor.json)
eval-real: $(STAMP)
	$(BIN)/python scripts/eval_real.py $(if $(V),-v)

## loo: leave-one-document-out, rules only vs rules + model, normal and marker-stripped seeds (README table)
loo: $(STAMP)
	$(BIN)/python scripts/loo_eval.py

## train: retrain the shipped block-role model in place (spaCy loop, fixed seed, versioned config; held-out scores in its meta.json)
train: $(STAMP)
	$(BIN)/rectiparse train --replace-packaged --cv

## wheel: build dist/rectiparse-*.whl offline (hatchling from the dev environment); `pip install` it anywhere
wheel: $(STAMP)
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation -w dist .

clean:
	rm -rf out .bench .pytest_cache .ruff_cache dist

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: annotate test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,spacy,postgres]'
	touch $(STAMP)

# the seed articles are imported here, explicitly, only when the database has no document
# (`annotator annotate` itself never imports demo data: it refuses an empty database)
annotate: $(STAMP)
	@if $(BIN)/annotator status --json | $(BIN)/python -c \
		'import json, sys; sys.exit(json.load(sys.stdin)["documents"] != 0)' 2>/dev/null; \
	then echo "empty database: importing the seed articles (annotator import seeds/)"; \
		$(BIN)/annotator import seeds/; fi
	$(BIN)/annotator annotate $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bidi_layout.py
	$(BIN)/python benchmarks/tui_latency.py
	$(BIN)/python benchmarks/adjudicate_open.py
	$(BIN)/python benchmarks/export_agreement.py
	$(BIN)/python benchmarks/contention.py
	$(BIN)/python benchmarks/import_corpus.py
	$(BIN)/python benchmarks/documents_list.py

clean:
	rm -rf $(VENV)

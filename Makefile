# cyberkg: two commands do all the set-up on a fresh machine (Python >= 3.11 and make):
#   make demo   create .venv if missing, install cyberkg, run the main job on the bundled corpus
#   make test   the same set-up, then ruff (lint and format check), mypy (type check of kg/) and
#               the test suite (pass extra pytest arguments in PYTEST_ARGS)
# Other targets: make ungdc (the UN General Debate corpus in one build, where ../shared/ungdc
# is, or UNGDC=folder), make docs (ontology HTML documentation), make clean.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cyberkg-installed
OUT ?= out

.PHONY: setup demo test ungdc docs clean

setup: $(STAMP)

# Reinstall when the packaging metadata changes; the install is editable, so code
# changes need no reinstall.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cyberkg needs Python 3.11 or newer, found " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,docs]'
	@touch $@

demo: setup
	$(BIN)/cyberkg ontology check
	$(BIN)/cyberkg reference -o $(OUT)/reference.ttl
	$(BIN)/cyberkg build -o $(OUT)/cyberkg.trig
	$(BIN)/cyberkg validate $(OUT)/cyberkg.trig
	@echo "== Who supported the Budapest Convention?"
	$(BIN)/cyberkg query who-supported --param instrument="Budapest Convention" --graph $(OUT)/cyberkg.trig
	@echo "== Who supported a new UN instrument on cybercrime?"
	$(BIN)/cyberkg query who-supported --param instrument="new global legal instrument on cybercrime" --graph $(OUT)/cyberkg.trig
	@echo "== How did States vote on General Assembly resolution 74/247?"
	$(BIN)/cyberkg query votes --param resolution=A/RES/74/247 --graph $(OUT)/cyberkg.trig --format csv > $(OUT)/votes-74-247.csv
	@echo "wrote $(OUT)/votes-74-247.csv"
	@echo "== Exports for linked-data portals, in $(OUT)/"
	$(BIN)/cyberkg export --graph $(OUT)/cyberkg.trig -o $(OUT)/cyberkg.ttl --vocabulary-dir $(OUT)/ontology
	$(BIN)/cyberkg export --graph $(OUT)/cyberkg.trig -o $(OUT)/cyberkg.jsonld
	@echo "== Networks for Gephi and Cytoscape, and their pictures, in $(OUT)/"
	$(BIN)/cyberkg network positions --graph $(OUT)/cyberkg.trig --format gexf --format svg --format png --format html -o $(OUT)/positions
	$(BIN)/cyberkg network alignment --graph $(OUT)/cyberkg.trig --format gexf --format svg --format png --format html -o $(OUT)/alignment
	$(BIN)/cyberkg ontology docs -o $(OUT)/docs/ontology.html
	@echo "Done: graph $(OUT)/cyberkg.trig, exports $(OUT)/cyberkg.ttl and $(OUT)/cyberkg.jsonld, description $(OUT)/cyberkg.void.ttl, vocabulary $(OUT)/ontology/, networks, pictures and interactive pages $(OUT)/positions.* and $(OUT)/alignment.* (open the .html files in a browser)"

test: setup
	$(BIN)/ruff check kg tests benchmarks tools
	$(BIN)/ruff format --check kg tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# every speech of the UN General Debate Corpus (4,590 files) in one graph, with validation
UNGDC ?= ../shared/ungdc/speeches
ungdc: setup
	@test -d "$(UNGDC)" || { echo "$(UNGDC): no General Debate speeches here (make ungdc UNGDC=folder)"; exit 2; }
	$(BIN)/cyberkg build "$(UNGDC)" -o $(OUT)/ungdc.trig
	@echo "== Positions on a new UN convention on cybercrime, year by year"
	$(BIN)/cyberkg query stance-timeline --graph $(OUT)/ungdc.trig --param instrument="new global legal instrument on cybercrime"
	$(BIN)/cyberkg network positions --graph $(OUT)/ungdc.trig --basis statement --format html -o $(OUT)/ungdc-positions

docs: setup
	$(BIN)/cyberkg ontology docs -o $(OUT)/docs/ontology.html

clean:
	rm -rf $(VENV) $(OUT) build dist

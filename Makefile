# The two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv and install what they need; nothing else is required.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE := out/store

.PHONY: demo test lint guard bench quality quality-real mutation clean

$(BIN)/cckg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/cckg
	@mkdir -p out
	$(BIN)/cckg --store $(STORE) ingest data/releases
	$(BIN)/cckg --store $(STORE) validate
	$(BIN)/cckg --store $(STORE) query partners --param agency="Customs and Excise Department"
	$(BIN)/cckg --store $(STORE) query event-timeline
	$(BIN)/cckg --store $(STORE) query post-holders
	$(BIN)/cckg --store $(STORE) query agreements
	$(BIN)/cckg --store $(STORE) export agencies --format gexf -o out/agencies.gexf
	$(BIN)/cckg --store $(STORE) export agencies --format graphml -o out/agencies.graphml
	$(BIN)/cckg --store $(STORE) export agencies -o out/agencies.html
	$(BIN)/cckg --store $(STORE) export people -o out/people.svg
	$(BIN)/cckg --store $(STORE) analyze agencies
	@echo "Agency network written to out/agencies.gexf, out/agencies.graphml and out/agencies.html (open it in a browser)"

test: lint
	$(BIN)/pytest -q

lint: $(BIN)/cckg
	$(BIN)/ruff check src tests scripts

# A coarse guard against blow-ups (CI): a generated 1,000-release store, every named query and
# `show` within 5 s, every export within 30 s; prints a table (scripts/ci_guard.py).
guard: $(BIN)/cckg
	$(BIN)/python scripts/ci_guard.py --releases 1000

bench: $(BIN)/cckg
	$(BIN)/python scripts/bench.py

# Extraction quality: precision / recall / F1 per fact type against the gold annotations,
# for the two seed releases and for the development set (docs/release-json.md).
quality: $(BIN)/cckg
	@mkdir -p out
	$(BIN)/cckg extract --format jsonl data/releases > out/seeds.jsonl
	$(BIN)/python scripts/score.py data/seed-gold out/seeds.jsonl
	$(BIN)/cckg extract --format jsonl data/devset/releases > out/devset.jsonl
	$(BIN)/python scripts/score.py data/devset/gold out/devset.jsonl

# Extraction quality on the real-release development set (data/realset/README.md), the dev and
# test splits scored separately. The texts are not in the repository: CCKG_REALSET names their
# folder (default data/realset/texts). The test split is for measuring only, never for tuning.
REALSET_TEXTS = $${CCKG_REALSET:-data/realset/texts}

quality-real:
	@if [ -z "$$(ls -A "$(REALSET_TEXTS)" 2>/dev/null)" ]; then \
	  echo "quality-real: no release texts in $(REALSET_TEXTS); collect them as data/realset/README.md says, or set CCKG_REALSET" >&2; \
	  exit 2; fi
	@$(MAKE) --no-print-directory $(BIN)/cckg
	@mkdir -p out/realset
	$(BIN)/cckg extract --format jsonl "$(REALSET_TEXTS)" > out/realset/pred.jsonl || test $$? -eq 1
	$(BIN)/python scripts/realset.py data/realset/manifest.tsv data/realset/gold out/realset/pred.jsonl out/realset
	@echo "== dev split"
	$(BIN)/python scripts/score.py out/realset/dev/gold out/realset/dev/pred.jsonl
	@echo "== test split (measure only)"
	$(BIN)/python scripts/score.py out/realset/test/gold out/realset/test/pred.jsonl
# Mutation testing of the extractor and identity.py (pyproject.toml, [tool.mutmut]): prints the
# killed and surviving mutants; `.venv/bin/mutmut results` lists the survivors afterwards.
mutation: $(BIN)/cckg
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json

clean:
	rm -rf out .pytest_cache .ruff_cache mutants

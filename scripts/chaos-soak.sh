#!/usr/bin/env bash
# chaos-soak.sh VERSION RUNS [MANIFEST]: runs `natskube verify --chaos --messages 2000` RUNS times in
# a row on nats-server VERSION from the tools dir and prints one line per run and the pass count.
# A run passes when verify exits 0 (every check, both faults, 0 lost, 0 duplicates).
# Keeps each failing run's JSON report in $SOAK_DIR (default: a temporary folder) to read why.
set -euo pipefail
version=${1:?usage: chaos-soak.sh VERSION RUNS [MANIFEST]}
runs=${2:?usage: chaos-soak.sh VERSION RUNS [MANIFEST]}
manifest=${3:-examples/production.yaml}
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${NATSKUBE_TOOLS_DIR:-$root/.tools}
bin="$tools/nats-server/$version/nats-server"
[[ -x $bin ]] || { echo "no nats-server $version at $bin (scripts/ensure-tools.sh builds it)" >&2; exit 2; }
[[ $runs =~ ^[0-9]+$ && $runs -ge 1 && $runs -le 1000 ]] || { echo "RUNS must be 1-1000" >&2; exit 2; }
out=${SOAK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/natskube-soak-XXXXXX")}
mkdir -p "$out"
pass=0
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  rc=0
  # --timeout bounds every wait; `timeout` bounds the run as a whole should the harness itself hang.
  timeout 1200 "$root/bin/natskube" verify --chaos --messages 2000 --nats-server "$bin" -o json "$manifest" >"$out/run-$i.json" 2>"$out/run-$i.err" || rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  wall=$((ms / 1000)).$(printf %03d $((ms % 1000)))
  summary=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const c = r.chaos ?? {};
    const bad = [...r.checks.filter((x) => !x.ok).map((x) => x.name), ...(c.faults ?? []).filter((f) => !f.ok).map((f) => `${f.name}: ${f.detail}`)];
    console.log(`acked ${c.acknowledged ?? 0} lost ${c.lost ?? "?"} duplicates ${c.duplicates ?? "?"} recover ${(c.faults ?? []).map((f) => f.recoverMs).join("/")} ms${bad.length ? ` FAILED: ${bad.join("; ").slice(0, 400)}` : ""}${c.error ? ` error: ${c.error.slice(0, 300)}` : ""}`);
  ' "$out/run-$i.json" 2>/dev/null || echo "no report (exit $rc): $(tail -c 300 "$out/run-$i.err")")
  if [[ $rc -eq 0 ]]; then
    pass=$((pass + 1))
    rm -f "$out/run-$i.json" "$out/run-$i.err"
    verdict=pass
  else
    verdict="FAIL (exit $rc, report $out/run-$i.json)"
  fi
  printf 'nats-server %s run %d/%d: %s in %.1f s, %s\n' "$version" "$i" "$runs" "$verdict" "$wall" "$summary"
done
echo "nats-server $version: $pass/$runs passed"
[[ $pass -eq $runs ]]

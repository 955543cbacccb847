#!/usr/bin/env bash
# Installs what `npm run bench` compares natskube with (the tests do not need it), where missing:
#   .tools/bin/helm                helm v$HELM_VERSION, built from the Go module proxy
#   .tools/charts/nats-2.14.2/     the official nats chart at tag $NATS_CHART_TAG of nats-io/k8s
# The chart comes from a git checkout of nats-io/k8s: $NATSKUBE_NATS_K8S_GIT if set (any clone that has
# the tag), else a shallow clone from GitHub. Idempotent; progress on stderr.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools.env
source "$ROOT/scripts/tools.env"
TOOLS=${NATSKUBE_TOOLS_DIR:-$ROOT/.tools}
say() { echo "ensure-bench-tools: $*" >&2; }
GO=${GO:-go}
command -v "$GO" >/dev/null 2>&1 || GO=/usr/local/go/bin/go

mkdir -p "$TOOLS/bin" "$TOOLS/charts"
stamp="$TOOLS/bin/.helm.version"
if [[ ! -x $TOOLS/bin/helm || ! -f $stamp || $(cat "$stamp") != "$HELM_VERSION" ]]; then
  say "building helm v$HELM_VERSION (a few minutes on 2 cores) ..."
  tmp=$(mktemp -d)
  # nice: a shared machine keeps working while Go compiles.
  GOBIN="$tmp" GOFLAGS=-mod=mod nice -n 10 "$GO" install "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION"
  mv -f "$tmp/helm" "$TOOLS/bin/helm"
  rm -rf "$tmp"
  echo "$HELM_VERSION" >"$stamp"
fi
say "$("$TOOLS/bin/helm" version --short 2>/dev/null || echo "helm $HELM_VERSION")"

chart="$TOOLS/charts/${NATS_CHART_TAG}"
if [[ ! -f $chart/Chart.yaml ]]; then
  src=${NATSKUBE_NATS_K8S_GIT:-}
  tmp=$(mktemp -d)
  if [[ -z $src ]]; then
    say "cloning nats-io/k8s at $NATS_CHART_TAG ..."
    git clone -q --depth 1 --branch "$NATS_CHART_TAG" https://github.com/nats-io/k8s "$tmp/k8s"
    src="$tmp/k8s"
  fi
  git -C "$src" archive --format=tar "$NATS_CHART_TAG" helm/charts/nats | tar -x -C "$tmp"
  rm -rf "$chart"
  mv "$tmp/helm/charts/nats" "$chart"
  rm -rf "$tmp"
fi
say "chart: $chart ($(sed -n 's/^version: //p' "$chart/Chart.yaml"))"

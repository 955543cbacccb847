#!/bin/sh
# Renders a KubernetesNats manifest into the folder a Flux Kustomization applies (docs/gitops.md).
#   render.sh MANIFEST DIR          CI: fails when DIR in git is not what natskube renders now
#   render.sh MANIFEST DIR --write  locally, or a CI job that commits: only (re)writes DIR
# Flux's kustomize-controller runs no plugins or KRM functions, so the objects are rendered before Flux
# fetches the repository. Needs natskube and git on PATH; run it from the repository's root.
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ] || { [ $# -eq 3 ] && [ "$3" != "--write" ]; }; then
  echo "usage: $0 MANIFEST DIR [--write]" >&2
  exit 2
fi
manifest=$1 out=$2
case "$out" in
  "" | . | ./ | .. | ../ | /) echo "$0: DIR must be a folder of its own (it is deleted and rewritten), got '$out'" >&2; exit 2 ;;
esac
# DIR holds natskube's output only, rewritten from scratch: a file for an object natskube no longer renders
# (natsBox turned off) must not stay behind.
rm -rf "$out"
natskube render "$manifest" --out "$out"
if [ "${3:-}" = "--write" ]; then exit 0; fi
changes=$(git status --porcelain -- "$out")
if [ -n "$changes" ]; then
  echo "$out is not what natskube renders from $manifest:" >&2
  echo "$changes" >&2
  echo "run: $0 $manifest $out --write, then commit $out" >&2
  exit 1
fi

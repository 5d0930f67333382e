#!/usr/bin/env bash
# k6, the load generator of loadtest/ and `make experiments`: built from the Go module proxy
# (no other download source is needed) into a per-user cache, so every clone on the machine
# reuses one build. Prints the binary's path on stdout.
#
# usage: scripts/install-k6.sh        (K6_VERSION overrides the pinned version)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

K6_VERSION="${K6_VERSION:-v1.8.1}"
[[ "${K6_VERSION}" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || die "K6_VERSION must be v1.x.y, got '${K6_VERSION}'"
CACHE_DIR="${XDG_CACHE_HOME:-${HOME}/.cache}/fcfs-campaign/k6-${K6_VERSION}"
K6_BIN="${CACHE_DIR}/k6"

if [[ -x "${K6_BIN}" ]] && "${K6_BIN}" version >/dev/null 2>&1; then
  printf '%s\n' "${K6_BIN}"
  exit 0
fi
command -v go >/dev/null 2>&1 || die "go is needed to build k6 (Debian: apt-get install golang-go, or go.dev/dl)"

# Two clones installing at once must not both write the same binary.
take_lock "${CACHE_DIR}.lock"
if [[ ! -x "${K6_BIN}" ]]; then
  log "building k6 ${K6_VERSION} from the Go module proxy (about a minute)"
  tmp_bin="$(mktemp -d "${CACHE_DIR}.tmp.XXXXXX")"
  trap 'rm -rf "${tmp_bin}"' EXIT
  GOBIN="${tmp_bin}" GOFLAGS=-trimpath go install "go.k6.io/k6@${K6_VERSION}"
  mkdir -p "${CACHE_DIR}"
  mv "${tmp_bin}/k6" "${K6_BIN}"
fi
"${K6_BIN}" version >/dev/null || die "k6 at ${K6_BIN} does not run"
printf '%s\n' "${K6_BIN}"

#!/usr/bin/env bash
# k6, the load generator of loadtest/ and `make experiments`: built from the Go module proxy
# (no other download source is needed) into the shared tool cache (FCFS_TOOLS_CACHE, see
# lib/tools.sh), so every clone on the machine reuses one build. Prints the binary's path on stdout.
#
# usage: scripts/install-k6.sh        (K6_VERSION overrides the pinned version)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/tools.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

K6_VERSION="${K6_VERSION:-v1.8.1}"
[[ "${K6_VERSION}" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || die "K6_VERSION must be v1.x.y, got '${K6_VERSION}'"
# A directory per version: a K6_VERSION override never replaces the pinned build.
K6_DIR="${TOOLS_CACHE}/k6-${K6_VERSION}"

go_install_pinned k6 go.k6.io/k6 "${K6_VERSION}" "${K6_DIR}"
"${K6_DIR}/k6" version >/dev/null || die "k6 at ${K6_DIR}/k6 does not run"
printf '%s\n' "${K6_DIR}/k6"

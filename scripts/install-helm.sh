#!/usr/bin/env bash
# helm, built from the Go module proxy into the shared tool cache; prints its path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

go_install_pinned helm helm.sh/helm/v3/cmd/helm "${HELM_VERSION}"
printf '%s\n' "${TOOLS_BIN}/helm"

#!/usr/bin/env bash
# kubeconform, built from the Go module proxy into the shared tool cache; prints its path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

go_install_pinned kubeconform github.com/yannh/kubeconform/cmd/kubeconform "${KUBECONFORM_VERSION}"
printf '%s\n' "${TOOLS_BIN}/kubeconform"

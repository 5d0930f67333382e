#!/usr/bin/env bash
# Installs what the chart tests need (helm, kubeconform, offline schemas) and prints where it is,
# as NAME=value lines: HELM, KUBECONFORM, SCHEMA_LOCATION_K8S, SCHEMA_LOCATION_CRDS, PYTHON (with
# PyYAML, used to read rendered manifests).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

helm="$("${SCRIPTS_DIR}/install-helm.sh")"
kubeconform="$("${SCRIPTS_DIR}/install-kubeconform.sh")"
mapfile -t locations < <("${SCRIPTS_DIR}/install-k8s-schemas.sh")
(( ${#locations[@]} == 2 )) || die "install-k8s-schemas.sh printed ${#locations[@]} locations, expected 2"
printf 'HELM=%s\nKUBECONFORM=%s\nSCHEMA_LOCATION_K8S=%s\nSCHEMA_LOCATION_CRDS=%s\nPYTHON=%s\n' \
  "${helm}" "${kubeconform}" "${locations[0]}" "${locations[1]}" "$(schema_python)"

#!/usr/bin/env bash
# Offline JSON schemas for kubeconform: the Kubernetes ${SCHEMA_K8S_VERSION} API from PyPI's
# kubernetes-validate (made standalone once, into the tool cache), and the CRDs in
# ../shared/crds (Strimzi, Prometheus operator, k6), regenerated when they change.
# Prints the two kubeconform -schema-location templates, one a line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

SCHEMA_K8S_VERSION=v1.34.0
CRDS_DIR="${REPO_ROOT}/../shared/crds"
VENV="${SCHEMA_VENV}"
K8S_SCHEMAS="${TOOLS_CACHE}/schemas/kubernetes"
CONVERT="${SCRIPTS_DIR}/lib/standalone_schemas.py"

[[ -d "${CRDS_DIR}" ]] || die "CRD directory ${CRDS_DIR} is missing: the chart's Strimzi and \
Prometheus objects are validated against the CRDs kept in ../shared/crds beside the repository"

if [[ ! -x "${VENV}/bin/python" ]] || ! "${VENV}/bin/python" -c 'import kubernetes_validate, yaml' 2>/dev/null; then
  log "installing kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} from PyPI (its schemas only)"
  python3 -m venv "${VENV}"
  "${VENV}/bin/pip" install -q --disable-pip-version-check \
    "kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}" pyyaml
fi

k8s_out="${K8S_SCHEMAS}/${SCHEMA_K8S_VERSION}-standalone-strict"
if [[ ! -f "${k8s_out}/.complete" ]]; then
  src="$("${VENV}/bin/python" -c 'import kubernetes_validate, os; print(os.path.dirname(kubernetes_validate.__file__))')"
  src="${src}/kubernetes-json-schema/${SCHEMA_K8S_VERSION}-local-strict"
  [[ -d "${src}" ]] || die "kubernetes-validate has no ${SCHEMA_K8S_VERSION} schemas at ${src}"
  rm -rf "${k8s_out}"
  "${VENV}/bin/python" "${CONVERT}" k8s "${src}" "${k8s_out}" >&2
  touch "${k8s_out}/.complete"
fi

crd_out="${STATE_DIR}/crd-schemas"
crd_stamp="${crd_out}/.source"
crd_sum="$(cat "${CRDS_DIR}"/*.yaml "${CONVERT}" | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "${crd_stamp}" 2>/dev/null)" != "${crd_sum}" ]]; then
  rm -rf "${crd_out}"
  "${VENV}/bin/python" "${CONVERT}" crds "${crd_out}" "${CRDS_DIR}"/*.yaml >&2
  printf '%s\n' "${crd_sum}" >"${crd_stamp}"
fi

# kubeconform fills in the version (1.34.0 -> v1.34.0), "-strict", kind and group/version.
printf '%s\n' "${K8S_SCHEMAS}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
printf '%s\n' "${crd_out}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"

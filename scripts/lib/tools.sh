# shellcheck shell=bash
# Where the Kubernetes tooling (helm, kubeconform, schemas, cluster binaries) is built and kept.
# Outside the worktree on purpose: a fresh clone, a second worktree and CI reuse one cache, so
# only the first run on a machine pays the Go builds. Sourced, never executed.

if [[ -n "${_TOOLS_LOADED:-}" ]]; then
  return 0
fi
_TOOLS_LOADED=1

TOOLS_CACHE="${FCFS_TOOLS_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/fcfs-campaign}"
TOOLS_BIN="${TOOLS_CACHE}/bin"
mkdir -p "${TOOLS_BIN}"

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
KUBERNETES_VERSION=v1.34.10
ETCD_VERSION=v3.6.16
COREDNS_VERSION=v1.14.7

KUBERNETES_VALIDATE_VERSION=1.37.0
# A Python of our own with kubernetes-validate (its schemas) and PyYAML.
SCHEMA_VENV="${TOOLS_CACHE}/schema-venv-${KUBERNETES_VALIDATE_VERSION}"
schema_python() { printf '%s\n' "${SCHEMA_VENV}/bin/python"; }

need_go() {
  command -v go >/dev/null 2>&1 || die "Go is needed to build ${1} (https://go.dev/dl/)"
}

# go install into the cache, once per version: a stamp file names the version that is there.
go_install_pinned() {
  local name="$1" pkg="$2" version="$3"
  local stamp="${TOOLS_BIN}/.${name}.version"
  if [[ -x "${TOOLS_BIN}/${name}" && "$(cat "${stamp}" 2>/dev/null)" == "${version}" ]]; then
    return 0
  fi
  need_go "${name}"
  log "building ${name} ${version} with go install (first run only; cached in ${TOOLS_BIN})"
  GOBIN="${TOOLS_BIN}" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "${pkg}@${version}"
  printf '%s\n' "${version}" >"${stamp}"
}

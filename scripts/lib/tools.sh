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

# The Node.js every make target runs on (an LTS line); scripts/install-node.sh fetches it.
NODE_VERSION=24.22.3
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

# go install into the cache, once per version. Without DIR the binary goes to the shared
# TOOLS_BIN and a stamp file names the version that is there; with DIR (a directory holding
# this version only, e.g. ${TOOLS_CACHE}/NAME-VERSION) the binary being there is enough.
# Two clones or parallel jobs installing at once build once: a lock serialises the build, and
# the binary appears by rename, so nobody ever runs a half-written one.
# usage: go_install_pinned NAME PKG VERSION [DIR]
go_install_pinned() {
  local name="$1" pkg="$2" version="$3" dir="${4:-}" stamp=""
  if [[ -z "${dir}" ]]; then
    dir="${TOOLS_BIN}"
    stamp="${dir}/.${name}.version"
  fi
  _go_installed "${dir}/${name}" "${stamp}" "${version}" && return 0
  need_go "${name}"
  mkdir -p "${dir}"
  # Its own fd, not take_lock's 9: a caller may hold a lock of its own there.
  local lock="${dir}/.${name}.lock" lock_fd tmp
  exec {lock_fd}>"${lock}"
  flock -w 900 "${lock_fd}" || die "timed out waiting for ${lock}"
  if ! _go_installed "${dir}/${name}" "${stamp}" "${version}"; then
    # Leftovers of an interrupted build; nobody else builds while we hold the lock.
    rm -rf "${dir}/.${name}.tmp."*
    log "building ${name} ${version} with go install (first run only; cached in ${dir})"
    tmp="$(mktemp -d "${dir}/.${name}.tmp.XXXXXX")"
    GOBIN="${tmp}" GOFLAGS="${GOFLAGS:-} -trimpath -buildvcs=false" go install "${pkg}@${version}" \
      || { rm -rf "${tmp}"; die "go install ${pkg}@${version} failed"; }
    [[ -x "${tmp}/${name}" ]] || { rm -rf "${tmp}"; die "go install ${pkg}@${version} produced no ${name}"; }
    mv -f "${tmp}/${name}" "${dir}/${name}"
    rm -rf "${tmp}"
    [[ -z "${stamp}" ]] || printf '%s\n' "${version}" >"${stamp}"
  fi
  exec {lock_fd}>&-
}

_go_installed() {
  local bin="$1" stamp="$2" version="$3"
  [[ -x "${bin}" ]] || return 1
  [[ -z "${stamp}" || "$(cat "${stamp}" 2>/dev/null)" == "${version}" ]]
}

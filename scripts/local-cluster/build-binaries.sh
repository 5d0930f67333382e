#!/usr/bin/env bash
# Builds the single-node cluster's binaries from the Go module proxy into the shared tool cache:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl, etcd,
# coredns and a pause program. Each is rebuilt only when its version changes.
#
# k8s.io/kubernetes cannot be `go install`ed (its go.mod points the k8s.io/* staging modules at
# local paths), so a wrapper module requires it and points each staging module at its published
# release instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/tools.sh"

need_go "the cluster binaries"
K8S_BIN="${TOOLS_CACHE}/k8s-${KUBERNETES_VERSION}/bin"
K8S_MOD="${TOOLS_CACHE}/k8s-${KUBERNETES_VERSION}/module"
K8S_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
mkdir -p "${K8S_BIN}" "${K8S_MOD}"

write_k8s_module() {
  [[ -s "${K8S_MOD}/go.sum" ]] && return 0
  log "preparing the Kubernetes ${KUBERNETES_VERSION} wrapper module"
  local upstream_mod staging_minor
  upstream_mod="$(cd "${K8S_MOD}" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@${KUBERNETES_VERSION}" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -s "${upstream_mod}" ]] || die "could not download k8s.io/kubernetes ${KUBERNETES_VERSION}"
  # Staging modules are published as v0.<minor>.<patch> for Kubernetes v1.<minor>.<patch>.
  staging_minor="v0.${KUBERNETES_VERSION#v1.}"
  {
    echo "module fcfs-campaign.local/k8s-binaries"
    echo
    echo "go 1.24"
    echo
    grep -E '^godebug ' "${upstream_mod}" || true
    echo
    echo "require k8s.io/kubernetes ${KUBERNETES_VERSION}"
    echo
    # sample-* staging modules are never published and no command needs them.
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "${upstream_mod}" \
      | grep -v '/sample-' \
      | while read -r m; do echo "replace ${m} => ${m} ${staging_minor}"; done
  } >"${K8S_MOD}/go.mod"
  {
    echo "//go:build tools"
    echo
    echo "package tools"
    echo
    echo "import ("
    for c in "${K8S_COMPONENTS[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/${c}\""; done
    echo ")"
  } >"${K8S_MOD}/tools.go"
  (cd "${K8S_MOD}" && go mod tidy)
}

build_k8s() {
  local stamp="${K8S_BIN}/.complete"
  [[ -f "${stamp}" ]] && return 0
  write_k8s_module
  local minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
  local pkg=k8s.io/component-base/version
  local ldflags="-s -w -X ${pkg}.gitVersion=${KUBERNETES_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
  ldflags+=" -X ${pkg}.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=${KUBERNETES_VERSION}"
  local c
  for c in "${K8S_COMPONENTS[@]}"; do
    log "building ${c} ${KUBERNETES_VERSION}"
    (cd "${K8S_MOD}" && CGO_ENABLED=0 go build -trimpath -ldflags "${ldflags}" -o "${K8S_BIN}/${c}" "k8s.io/kubernetes/cmd/${c}")
  done
  touch "${stamp}"
}

# A wrapper module requiring one module and building one of its packages.
build_wrapped() {
  local name="$1" module="$2" version="$3" pkg="$4"
  local dir="${TOOLS_CACHE}/${name}-${version}"
  [[ -x "${dir}/bin/${name}" ]] && return 0
  log "building ${name} ${version}"
  mkdir -p "${dir}/module" "${dir}/bin"
  cat >"${dir}/module/go.mod" <<MOD
module fcfs-campaign.local/${name}

go 1.24

require ${module} ${version}
MOD
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "${pkg}" >"${dir}/module/tools.go"
  (cd "${dir}/module" && go mod tidy && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${dir}/bin/${name}.tmp" "${pkg}")
  mv "${dir}/bin/${name}.tmp" "${dir}/bin/${name}"
}

build_pause() {
  local out="${TOOLS_CACHE}/pause/pause" src="${SCRIPTS_DIR}/local-cluster/pause/main.go"
  if [[ -x "${out}" && "${out}" -nt "${src}" ]]; then return 0; fi
  mkdir -p "$(dirname "${out}")"
  (cd "$(dirname "${src}")" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${out}" ./main.go)
}

build_pause
build_wrapped etcd go.etcd.io/etcd/server/v3 "${ETCD_VERSION}" go.etcd.io/etcd/server/v3
build_wrapped coredns github.com/coredns/coredns "${COREDNS_VERSION}" github.com/coredns/coredns
build_k8s
log "binaries ready in ${K8S_BIN}"

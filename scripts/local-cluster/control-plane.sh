#!/usr/bin/env bash
# A Kubernetes control plane without a node: etcd and kube-apiserver on loopback ports of their
# own, for tests of what only talks to the API (custom resources, leases, watches). No root, no
# network namespace, nothing on the host changed; binaries from the shared tool cache.
#
#   control-plane.sh up DIR                 start (ports picked free), wait until ready
#   control-plane.sh restart-apiserver DIR  stop and start kube-apiserver only (watches break)
#   control-plane.sh down DIR               stop both, remove DIR
#   control-plane.sh env DIR                KUBECONFIG=..., CLUSTER_BIN=...
#
# Clients authenticate with a static token of a system:masters user; the serving certificate is
# self-signed by the API server, so the kubeconfig skips its verification (loopback only).
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/tools.sh"
LOG_TAG=control-plane

K8S_BIN="${TOOLS_CACHE}/k8s-${KUBERNETES_VERSION}/bin"
ETCD_BIN="${TOOLS_CACHE}/etcd-${ETCD_VERSION}/bin/etcd"
DIR="${2:-}"
[[ -n "${DIR}" ]] || { echo "usage: $0 up|down|restart-apiserver|env DIR" >&2; exit 2; }
[[ "${DIR}" == /* ]] || DIR="${PWD}/${DIR}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

start_daemon() {
  local name="$1"; shift
  setsid "$@" >>"${DIR}/${name}.log" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"${DIR}/${name}.pid"
}

stop_daemon() {
  local name="$1" pid
  pid="$(read_pid_file "${DIR}/${name}.pid")" || return 0
  if pid_matches "${pid}" "${DIR}"; then
    kill -TERM "${pid}" 2>/dev/null || true
    if ! wait_pid_gone "${pid}" 20; then kill -KILL "${pid}" 2>/dev/null || true; wait_pid_gone "${pid}" 10 || true; fi
  fi
  rm -f "${DIR}/${name}.pid"
}

start_apiserver() {
  # shellcheck source=/dev/null
  source "${DIR}/ports"
  start_daemon kube-apiserver "${K8S_BIN}/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:${ETCD_PORT}" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "${API_PORT}" \
    --service-cluster-ip-range 10.97.0.0/24 \
    --authorization-mode RBAC --token-auth-file "${DIR}/tokens.csv" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "${DIR}/sa.pub" --service-account-signing-key-file "${DIR}/sa.key" \
    --cert-dir "${DIR}/certs" --enable-priority-and-fairness=false
  local deadline=$((SECONDS + 90))
  until "${K8S_BIN}/kubectl" --kubeconfig "${DIR}/kubeconfig" get --raw /readyz >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then print_log_tail "${DIR}/kube-apiserver.log"; die "kube-apiserver did not become ready"; fi
    sleep 0.2
  done
}

up() {
  [[ -x "${K8S_BIN}/kube-apiserver" && -x "${ETCD_BIN}" ]] || "$(dirname "${BASH_SOURCE[0]}")/build-binaries.sh"
  mkdir -p "${DIR}"
  trap 'trap - ERR; down' ERR
  printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPI_PORT=%s\n' "$(free_port)" "$(free_port)" "$(free_port)" >"${DIR}/ports"
  # shellcheck source=/dev/null
  source "${DIR}/ports"
  local token
  token="$(openssl rand -hex 24)"
  printf '%s,fcfs-test-admin,fcfs-test-admin,"system:masters"\n' "${token}" >"${DIR}/tokens.csv"
  openssl genrsa -out "${DIR}/sa.key" 2048 2>/dev/null
  openssl rsa -in "${DIR}/sa.key" -pubout -out "${DIR}/sa.pub" 2>/dev/null
  cat >"${DIR}/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: control-plane
    cluster: {server: "https://127.0.0.1:${API_PORT}", insecure-skip-tls-verify: true}
users:
  - name: admin
    user: {token: "${token}"}
contexts:
  - name: control-plane
    context: {cluster: control-plane, user: admin, namespace: default}
current-context: control-plane
KUBECONFIG
  start_daemon etcd "${ETCD_BIN}" --name cp --data-dir "${DIR}/etcd" \
    --listen-client-urls "http://127.0.0.1:${ETCD_PORT}" --advertise-client-urls "http://127.0.0.1:${ETCD_PORT}" \
    --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
    --initial-cluster "cp=http://127.0.0.1:${ETCD_PEER_PORT}" --unsafe-no-fsync --log-level warn
  start_apiserver
  trap - ERR
  log "up: KUBECONFIG=${DIR}/kubeconfig"
}

down() {
  [[ -d "${DIR}" ]] || return 0
  stop_daemon kube-apiserver
  stop_daemon etcd
  rm -rf "${DIR}"
}

case "$1" in
  up) up ;;
  down) down ;;
  restart-apiserver) stop_daemon kube-apiserver; start_apiserver ;;
  env) printf 'KUBECONFIG=%q\nCLUSTER_BIN=%q\n' "${DIR}/kubeconfig" "${K8S_BIN}" ;;
  *) echo "usage: $0 up|down|restart-apiserver|env DIR" >&2; exit 2 ;;
esac

# shellcheck shell=bash
# Names, addresses and paths of one local cluster. Sourced, never executed.
#
# A cluster lives in LOCAL_CLUSTER_DIR (default .local/cluster). Everything of the node runs in
# a network namespace of its own, joined to the host by one veth pair: kube-proxy's and the CNI
# plugin's firewall rules exist only inside that namespace, and the cluster's ports never clash
# with the host's. The host reaches the node at NODE_IP; pods reach the host side at HOST_IP
# (where the cluster's own MariaDB and Kafka listen).

source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../lib/tools.sh"

CLUSTER_DIR="${LOCAL_CLUSTER_DIR:-${STATE_DIR}/cluster}"
[[ "${CLUSTER_DIR}" == /* ]] || CLUSTER_DIR="${PWD}/${CLUSTER_DIR}"
CLUSTER_ID="$(printf '%s' "${CLUSTER_DIR}" | sha256sum | cut -c1-6)"
NETNS="fcfs-${CLUSTER_ID}"
VETH_HOST="fc${CLUSTER_ID}h"
VETH_NODE="fc${CLUSTER_ID}n"
# 10.250.<index>.0/24 between host and node; derived from the directory so that two clusters
# (a developer's and the test's) get different ones.
NET_INDEX="${LOCAL_CLUSTER_NET_INDEX:-$(( 16#${CLUSTER_ID:0:4} % 200 + 20 ))}"
HOST_IP="10.250.${NET_INDEX}.1"
NODE_IP="10.250.${NET_INDEX}.2"
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/24
KUBERNETES_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
NODE_NAME=fcfs-node
CGROUP_ROOT="fcfs-${CLUSTER_ID}"
API_NODE_PORT=30080

K8S_BIN="${TOOLS_CACHE}/k8s-${KUBERNETES_VERSION}/bin"
ETCD_BIN="${TOOLS_CACHE}/etcd-${ETCD_VERSION}/bin/etcd"
COREDNS_BIN="${TOOLS_CACHE}/coredns-${COREDNS_VERSION}/bin/coredns"
PAUSE_BIN="${TOOLS_CACHE}/pause/pause"
PAUSE_IMAGE="localhost/fcfs-pause:v1"
COREDNS_IMAGE="localhost/fcfs-coredns:${COREDNS_VERSION}"

PKI="${CLUSTER_DIR}/pki"
RUN="${CLUSTER_DIR}/run"
LOGS="${CLUSTER_DIR}/logs"
CONTAINERD_SOCK="${CLUSTER_DIR}/containerd/containerd.sock"
KUBECONFIG_ADMIN="${CLUSTER_DIR}/admin.kubeconfig"

kubectl_admin() { "${K8S_BIN}/kubectl" --kubeconfig "${KUBECONFIG_ADMIN}" "$@"; }
ctr_node() { ctr --address "${CONTAINERD_SOCK}" -n k8s.io "$@"; }
in_node() { nsenter --net="/run/netns/${NETNS}" -- "$@"; }

# Waits for a command to succeed; usage: wait_for SECONDS WHAT COMMAND...
wait_for() {
  local timeout_s="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout_s))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      log "timed out after ${timeout_s}s waiting for ${what}"
      return 1
    fi
    sleep 0.2
  done
}

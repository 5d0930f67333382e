#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, without Docker or kind:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd + runc + CNI,
# kubelet, kube-proxy and CoreDNS, all inside a network namespace of the cluster's own.
#
#   cluster.sh up      build what is missing (cached), start everything, wait for a Ready node
#                      and working cluster DNS
#   cluster.sh down    stop everything, remove every mount, cgroup, namespace and host path it
#                      created, and restore the kernel settings kubelet changed
#   cluster.sh status  exit 0 if the cluster is up
#   cluster.sh env     KUBECONFIG, PATH, NODE_IP, HOST_IP, ... as shell assignments
#   cluster.sh import ARCHIVE   load a docker-archive image into the node's containerd
#
# Root is required (namespaces, mounts, cgroups). LOCAL_CLUSTER_DIR picks the state directory.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "${SCRIPTS_DIR}/image/oci.sh"

# kubelet sets these on start (and not again); they are put back once the node is Ready, and on down.
HOST_SYSCTLS=(vm.overcommit_memory kernel.panic kernel.panic_on_oops)
# Host paths kubelet, containerd and CNI use whatever they are told; removed on down if they
# did not exist before up.
HOST_PATHS=(/run/containerd /var/lib/cni /var/lib/kubelet /var/log/pods /var/log/containers /run/netns /var/run/kubernetes)
DAEMONS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy)

require_root() { [[ "$(id -u)" -eq 0 ]] || die "the local cluster needs root (network namespace, mounts, cgroups)"; }

# ---------------------------------------------------------------------------------------------
# certificates and kubeconfigs

cert() {
  # usage: cert NAME SUBJECT [SAN]  -> NAME.key NAME.crt signed by the cluster CA
  local name="$1" subject="$2" san="${3:-}"
  openssl ecparam -name prime256v1 -genkey -noout -out "${PKI}/${name}.key" 2>/dev/null
  openssl req -new -key "${PKI}/${name}.key" -subj "${subject}" -out "${PKI}/${name}.csr" 2>/dev/null
  local ext="${PKI}/${name}.ext"
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [[ -n "${san}" ]]; then
      echo "extendedKeyUsage=serverAuth,clientAuth"
      echo "subjectAltName=${san}"
    else
      echo "extendedKeyUsage=clientAuth"
    fi
  } >"${ext}"
  openssl x509 -req -in "${PKI}/${name}.csr" -CA "${PKI}/ca.crt" -CAkey "${PKI}/ca.key" -CAcreateserial \
    -days 30 -extfile "${ext}" -out "${PKI}/${name}.crt" 2>/dev/null
  rm -f "${PKI}/${name}.csr" "${ext}"
}

kubeconfig() {
  # usage: kubeconfig FILE CERT_NAME SERVER
  local file="$1" name="$2" server="$3"
  cat >"${file}" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: fcfs-local
    cluster:
      server: ${server}
      certificate-authority: ${PKI}/ca.crt
users:
  - name: ${name}
    user:
      client-certificate: ${PKI}/${name}.crt
      client-key: ${PKI}/${name}.key
contexts:
  - name: fcfs-local
    context: {cluster: fcfs-local, user: ${name}}
current-context: fcfs-local
KUBECONFIG
}

make_pki() {
  mkdir -p "${PKI}"
  openssl ecparam -name prime256v1 -genkey -noout -out "${PKI}/ca.key" 2>/dev/null
  openssl req -x509 -new -key "${PKI}/ca.key" -subj "/CN=fcfs-local-ca" -days 30 -out "${PKI}/ca.crt" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,IP:${NODE_IP},IP:${KUBERNETES_SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin "/O=system:masters/CN=fcfs-admin"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  cert kubelet "/O=system:nodes/CN=system:node:${NODE_NAME}"
  openssl genrsa -out "${PKI}/sa.key" 2048 2>/dev/null
  openssl rsa -in "${PKI}/sa.key" -pubout -out "${PKI}/sa.pub" 2>/dev/null
  kubeconfig "${KUBECONFIG_ADMIN}" admin "https://${NODE_IP}:6443"
  kubeconfig "${CLUSTER_DIR}/kubelet.kubeconfig" kubelet "https://${NODE_IP}:6443"
}

# ---------------------------------------------------------------------------------------------
# daemons

start_daemon() {
  # usage: start_daemon NAME COMMAND...  (inside the node's network namespace, own session)
  local name="$1"; shift
  mkdir -p "${RUN}" "${LOGS}"
  setsid nsenter --net="/run/netns/${NETNS}" -- "$@" >"${LOGS}/${name}.log" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"${RUN}/${name}.pid"
}

daemon_running() {
  local pid
  pid="$(read_pid_file "${RUN}/$1.pid")" && pid_matches "${pid}" "${CLUSTER_DIR}"
}

stop_daemons() {
  # SIGTERM to all first, then wait for each: they shut down in parallel.
  local name pid pids=()
  for name in "$@"; do
    pid="$(read_pid_file "${RUN}/${name}.pid")" || continue
    if pid_matches "${pid}" "${CLUSTER_DIR}"; then
      kill -TERM "${pid}" 2>/dev/null || true
      pids+=("${name}:${pid}")
    fi
  done
  local entry
  for entry in "${pids[@]}"; do
    name="${entry%%:*}"; pid="${entry#*:}"
    if ! wait_pid_gone "${pid}" 20; then
      kill -KILL "${pid}" 2>/dev/null || true
      wait_pid_gone "${pid}" 10 || log "pid ${pid} (${name}) survived SIGKILL"
    fi
  done
  for name in "$@"; do rm -f "${RUN}/${name}.pid"; done
}

fail_with_log() {
  print_log_tail "${LOGS}/$1.log"
  die "$2"
}

# ---------------------------------------------------------------------------------------------
# host state: recorded before anything changes, restored on down

record_host_state() {
  : >"${CLUSTER_DIR}/host-paths.created"
  local p
  for p in "${HOST_PATHS[@]}"; do
    [[ -e "${p}" ]] || printf '%s\n' "${p}" >>"${CLUSTER_DIR}/host-paths.created"
  done
  if [[ ! -s "${CLUSTER_DIR}/sysctls.saved" ]]; then
    local key
    for key in "${HOST_SYSCTLS[@]}"; do
      printf '%s=%s\n' "${key}" "$(sysctl -n "${key}")" >>"${CLUSTER_DIR}/sysctls.saved"
    done
  fi
  ls /run/netns 2>/dev/null | grep '^cni-' >"${CLUSTER_DIR}/cni-netns.before" || true
}

restore_sysctls() {
  [[ -s "${CLUSTER_DIR}/sysctls.saved" ]] || return 0
  local line
  while IFS= read -r line; do
    [[ "$(sysctl -n "${line%%=*}")" == "${line#*=}" ]] || sysctl -q -w "${line}" >/dev/null
  done <"${CLUSTER_DIR}/sysctls.saved"
}

cgroup_controllers() {
  local d
  for d in /sys/fs/cgroup/*/; do
    d="${d%/}"
    [[ -L "${d}" || "${d}" == */unified ]] && continue
    printf '%s\n' "${d}"
  done
}

make_cgroup_root() {
  local c
  for c in $(cgroup_controllers); do
    mkdir -p "${c}/${CGROUP_ROOT}"
    if [[ "${c}" == */cpuset ]]; then
      # a v1 cpuset cgroup starts with no CPUs or memory nodes: inherit the parent's
      cat "${c}/cpuset.cpus" >"${c}/${CGROUP_ROOT}/cpuset.cpus"
      cat "${c}/cpuset.mems" >"${c}/${CGROUP_ROOT}/cpuset.mems"
    fi
  done
}

remove_cgroup_root() {
  local c
  for c in $(cgroup_controllers); do
    [[ -d "${c}/${CGROUP_ROOT}" ]] || continue
    find "${c}/${CGROUP_ROOT}" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [[ ! -d "${c}/${CGROUP_ROOT}" ]] || log "cgroup ${c}/${CGROUP_ROOT} is still in use"
  done
}

make_netns() {
  if ip -o -4 addr show | grep -q " 10\.250\.${NET_INDEX}\."; then
    die "10.250.${NET_INDEX}.0/24 is already in use on this host: set LOCAL_CLUSTER_NET_INDEX to another number (1-254)"
  fi
  ip netns add "${NETNS}"
  ip link add "${VETH_HOST}" type veth peer name "${VETH_NODE}"
  ip link set "${VETH_NODE}" netns "${NETNS}"
  ip addr add "${HOST_IP}/24" dev "${VETH_HOST}"
  ip link set "${VETH_HOST}" up
  in_node ip link set lo up
  in_node ip addr add "${NODE_IP}/24" dev "${VETH_NODE}"
  in_node ip link set "${VETH_NODE}" up
  # These are the namespace's own copies of the settings; the host's stay as they are. No
  # default route: nothing in the cluster can reach beyond the host side of the veth.
  # The node's own connections to Service IPs need a route for kube-proxy's DNAT to act on; lo
  # keeps anything it does not translate from leaving the namespace.
  in_node ip route add "${SERVICE_CIDR}" dev lo
  in_node sysctl -q -w net.ipv4.ip_forward=1
  in_node sysctl -q -w net.ipv4.conf.all.route_localnet=0
  if [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]]; then
    in_node sysctl -q -w net.bridge.bridge-nf-call-iptables=1 || true
  fi
}

# ---------------------------------------------------------------------------------------------
# configuration files

write_configs() {
  local d="${CLUSTER_DIR}"
  mkdir -p "${d}/containerd" "${d}/cni/net.d" "${d}/cni/ipam" "${d}/kubelet/root" "${d}/kubelet/pki" "${d}/kubelet/pod-logs"
  cat >"${d}/containerd/config.toml" <<TOML
version = 2
root = "${d}/containerd/root"
state = "${d}/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "${CONTAINERD_SOCK}"
[plugins."io.containerd.internal.v1.opt"]
  path = "${d}/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  # Without CAP_SYS_RESOURCE runc cannot lower a container's oom_score_adj below its own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${d}/cni/net.d"
TOML
  cat >"${d}/cni/net.d/10-fcfs.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "fcfs",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "${POD_CIDR}"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "${d}/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
  cat >"${d}/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${PKI}/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: /${CGROUP_ROOT}
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://${CONTAINERD_SOCK}
clusterDNS: [${DNS_SERVICE_IP}]
clusterDomain: cluster.local
# Pods get the cluster DNS only: no upstream resolver of the host is handed to them.
resolvConf: ""
podLogsDir: ${d}/kubelet/pod-logs
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
serializeImagePulls: false
maxPods: 60
evictionHard:
  memory.available: 100Mi
  nodefs.available: 2%
  imagefs.available: 2%
YAML
  cat >"${d}/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: ${KUBECONFIG_ADMIN}}
hostnameOverride: ${NODE_NAME}
mode: iptables
clusterCIDR: ${POD_CIDR}
iptables:
  # Service traffic between pods on the one bridge returns through the node, where the
  # translation is undone; localhost NodePorts would need route_localnet.
  masqueradeAll: true
  localhostNodePorts: false
# 0: leave the kernel's conntrack settings (global ones among them) alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
YAML
}

# ---------------------------------------------------------------------------------------------
# images

import_archive() {
  ctr_node images import "$1" >/dev/null
}

system_images() {
  local work="${CLUSTER_DIR}/images"
  mkdir -p "${work}"
  static_binary_rootfs "${PAUSE_BIN}" "${work}/pause-rootfs"
  oci_archive "${work}/pause-rootfs" "${PAUSE_IMAGE}" "${work}/pause.tar" \
    --config.entrypoint /bin/pause --config.user 65534:65534
  static_binary_rootfs "${COREDNS_BIN}" "${work}/coredns-rootfs"
  oci_archive "${work}/coredns-rootfs" "${COREDNS_IMAGE}" "${work}/coredns.tar" \
    --config.entrypoint /bin/coredns --config.user 65534:65534
  import_archive "${work}/pause.tar"
  import_archive "${work}/coredns.tar"
}

# ---------------------------------------------------------------------------------------------

start_control_plane() {
  start_daemon etcd "${ETCD_BIN}" --name node --data-dir "${CLUSTER_DIR}/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster node=http://127.0.0.1:2380 --unsafe-no-fsync --log-level warn
  start_daemon kube-apiserver "${K8S_BIN}/kube-apiserver" \
    --etcd-servers http://127.0.0.1:2379 \
    --advertise-address "${NODE_IP}" --bind-address 0.0.0.0 --secure-port 6443 \
    --service-cluster-ip-range "${SERVICE_CIDR}" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --client-ca-file "${PKI}/ca.crt" \
    --tls-cert-file "${PKI}/apiserver.crt" --tls-private-key-file "${PKI}/apiserver.key" \
    --kubelet-client-certificate "${PKI}/apiserver-kubelet-client.crt" \
    --kubelet-client-key "${PKI}/apiserver-kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "${PKI}/sa.pub" --service-account-signing-key-file "${PKI}/sa.key" \
    --kubelet-preferred-address-types InternalIP \
    --cert-dir "${CLUSTER_DIR}/apiserver-certs"
  wait_for 90 "the API server" kubectl_admin get --raw /readyz || fail_with_log kube-apiserver "kube-apiserver did not become ready"
  start_daemon kube-controller-manager "${K8S_BIN}/kube-controller-manager" \
    --kubeconfig "${KUBECONFIG_ADMIN}" --leader-elect=false --bind-address 127.0.0.1 \
    --service-account-private-key-file "${PKI}/sa.key" --root-ca-file "${PKI}/ca.crt" \
    --cluster-signing-cert-file "${PKI}/ca.crt" --cluster-signing-key-file "${PKI}/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range "${SERVICE_CIDR}" \
    --cert-dir "${CLUSTER_DIR}/controller-manager-certs"
  start_daemon kube-scheduler "${K8S_BIN}/kube-scheduler" \
    --kubeconfig "${KUBECONFIG_ADMIN}" --leader-elect=false --bind-address 127.0.0.1
}

start_node() {
  start_daemon containerd containerd --config "${CLUSTER_DIR}/containerd/config.toml"
  wait_for 30 containerd ctr_node version || fail_with_log containerd "containerd did not start"
  system_images
  start_daemon kubelet "${K8S_BIN}/kubelet" \
    --config "${CLUSTER_DIR}/kubelet/config.yaml" --kubeconfig "${CLUSTER_DIR}/kubelet.kubeconfig" \
    --root-dir "${CLUSTER_DIR}/kubelet/root" --cert-dir "${CLUSTER_DIR}/kubelet/pki" \
    --hostname-override "${NODE_NAME}" --node-ip "${NODE_IP}"
  start_daemon kube-proxy "${K8S_BIN}/kube-proxy" --config "${CLUSTER_DIR}/kube-proxy.yaml"
  wait_for 60 "node ${NODE_NAME} Ready" \
    kubectl_admin wait --for=condition=Ready "node/${NODE_NAME}" --timeout=1s \
    || fail_with_log kubelet "the node did not become Ready"
  restore_sysctls
}

start_dns() {
  sed -e "s/@DNS_SERVICE_IP@/${DNS_SERVICE_IP}/" -e "s#@COREDNS_IMAGE@#${COREDNS_IMAGE}#" \
    "${SCRIPTS_DIR}/local-cluster/coredns.yaml" | kubectl_admin apply -f - >/dev/null
  wait_for 120 "CoreDNS" kubectl_admin -n kube-system wait --for=condition=Available deployment/coredns --timeout=1s \
    || { kubectl_admin -n kube-system describe pods -l k8s-app=kube-dns >&2 || true; die "CoreDNS did not become available"; }
  # Services and DNS both work once a name resolves through the kube-dns Service IP.
  wait_for 60 "cluster DNS through the Service" dns_resolves_kubernetes
}

dns_resolves_kubernetes() {
  # from inside the node: Service IPs exist only where kube-proxy programs them
  local answer
  answer="$(in_node python3 "${SCRIPTS_DIR}/local-cluster/dns-query.py" "${DNS_SERVICE_IP}" kubernetes.default.svc.cluster.local)"
  [[ "${answer}" == "${KUBERNETES_SERVICE_IP}" ]]
}

up() {
  require_root
  if status >/dev/null 2>&1; then
    log "already up (KUBECONFIG=${KUBECONFIG_ADMIN})"
    return 0
  fi
  if [[ -e "${CLUSTER_DIR}" ]]; then
    log "leftovers of an earlier cluster in ${CLUSTER_DIR}: tearing them down first"
    down
  fi
  "${SCRIPTS_DIR}/local-cluster/install-packages.sh"
  "${SCRIPTS_DIR}/local-cluster/build-binaries.sh"
  local t0=${SECONDS}
  mkdir -p "${CLUSTER_DIR}"
  record_host_state
  trap 'trap - ERR; log "bring-up failed; tearing down"; down' ERR
  make_netns
  make_cgroup_root
  make_pki
  write_configs
  start_control_plane
  start_node
  start_dns
  trap - ERR
  touch "${CLUSTER_DIR}/up"
  log "cluster up in $((SECONDS - t0))s: node ${NODE_IP}, KUBECONFIG=${KUBECONFIG_ADMIN}"
}

remove_pods() {
  daemon_running containerd || return 0
  local ids
  ids="$(ctr_node tasks ls -q 2>/dev/null || true)"
  local id
  for id in ${ids}; do ctr_node tasks kill -s SIGKILL "${id}" >/dev/null 2>&1 || true; done
  for id in ${ids}; do
    for _ in $(seq 1 50); do
      ctr_node tasks ls -q 2>/dev/null | grep -qx "${id}" || break
      ctr_node tasks delete -f "${id}" >/dev/null 2>&1 || sleep 0.1
    done
  done
}

kill_shims() {
  # The runc shims outlive containerd by design; ours name our socket.
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address ${CONTAINERD_SOCK}" || true); do
    pid_matches "${pid}" "${CONTAINERD_SOCK}" && kill -KILL "${pid}" 2>/dev/null || true
  done
}

unmount_all() {
  # deepest first; the cluster's mounts are all under its directory, plus pod network namespaces
  local m
  for _ in 1 2 3; do
    mapfile -t mounts < <(awk -v d="${CLUSTER_DIR}/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r)
    (( ${#mounts[@]} == 0 )) && break
    for m in "${mounts[@]}"; do umount "${m}" 2>/dev/null || umount -l "${m}" 2>/dev/null || true; done
  done
  local ns
  for ns in $(ls /run/netns 2>/dev/null | grep '^cni-' || true); do
    grep -qx "${ns}" "${CLUSTER_DIR}/cni-netns.before" 2>/dev/null && continue
    umount "/run/netns/${ns}" 2>/dev/null || true
    rm -f "/run/netns/${ns}"
  done
}

down() {
  require_root
  [[ -d "${CLUSTER_DIR}" ]] || { log "not running"; return 0; }
  stop_daemons kube-proxy kubelet
  remove_pods
  stop_daemons containerd kube-scheduler kube-controller-manager
  stop_daemons kube-apiserver
  stop_daemons etcd
  kill_shims
  unmount_all
  remove_cgroup_root
  if ip netns list 2>/dev/null | grep -qw "${NETNS}"; then ip netns delete "${NETNS}"; fi
  ip link delete "${VETH_HOST}" 2>/dev/null || true
  restore_sysctls
  if [[ -f "${CLUSTER_DIR}/host-paths.created" ]]; then
    local p
    while IFS= read -r p; do
      [[ -n "${p}" && -e "${p}" ]] || continue
      if [[ "${p}" == /run/netns ]]; then rmdir "${p}" 2>/dev/null || true; else rm -rf "${p}"; fi
    done <"${CLUSTER_DIR}/host-paths.created"
  fi
  rm -rf "${CLUSTER_DIR}"
  log "down; host settings restored"
}

status() {
  [[ -f "${CLUSTER_DIR}/up" ]] || { echo "not running"; return 1; }
  local name
  for name in "${DAEMONS[@]}"; do
    daemon_running "${name}" || { echo "${name} is not running"; return 1; }
  done
  kubectl_admin get --raw /readyz >/dev/null 2>&1 || { echo "API server not ready"; return 1; }
  echo "running: node ${NODE_IP}, KUBECONFIG=${KUBECONFIG_ADMIN}"
}

env_out() {
  printf 'KUBECONFIG=%q\n' "${KUBECONFIG_ADMIN}"
  printf 'CLUSTER_BIN=%q\n' "${K8S_BIN}"
  printf 'CLUSTER_NODE_IP=%q\n' "${NODE_IP}"
  printf 'CLUSTER_HOST_IP=%q\n' "${HOST_IP}"
  printf 'CLUSTER_API_NODE_PORT=%q\n' "${API_NODE_PORT}"
  printf 'CLUSTER_CONTAINERD_SOCK=%q\n' "${CONTAINERD_SOCK}"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) env_out ;;
  import) require_root; import_archive "${2:?usage: cluster.sh import ARCHIVE}" ;;
  *) echo "usage: $0 up|down|status|env|import ARCHIVE" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The local cluster's MariaDB and Kafka: the project's own local stack (scripts/stack.sh) in a
# state directory of the cluster's, listening on the host side of the node's veth (HOST_IP) so
# that pods reach them as an external database and a managed Kafka would be reached.
#
#   deps.sh up|down|status|env
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LOCAL_STACK_DIR="${CLUSTER_DIR}-stack"
export LOCAL_BIND_ADDRESS="${HOST_IP}"
# Offset from the developer's ports, so both stacks can run side by side.
export LOCAL_DB_PORT="${LOCAL_CLUSTER_DB_PORT:-$(( ${LOCAL_DB_PORT:-13306} + 10 ))}"
export LOCAL_KAFKA_PORT="${LOCAL_CLUSTER_KAFKA_PORT:-$(( ${LOCAL_KAFKA_PORT:-19092} + 10 ))}"
export LOCAL_KAFKA_CONTROLLER_PORT="${LOCAL_CLUSTER_KAFKA_CONTROLLER_PORT:-$(( ${LOCAL_KAFKA_CONTROLLER_PORT:-19093} + 10 ))}"

case "${1:-}" in
  up)
    ip -o -4 addr show | grep -q " ${HOST_IP}/" || die "the cluster is not up (no ${HOST_IP} on this host): scripts/local-cluster/cluster.sh up"
    "${SCRIPTS_DIR}/stack.sh" up
    ;;
  down) "${SCRIPTS_DIR}/stack.sh" down ;;
  status) "${SCRIPTS_DIR}/stack.sh" status ;;
  env) "${SCRIPTS_DIR}/stack.sh" env ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac

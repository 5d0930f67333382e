#!/usr/bin/env bash
# make k8s-local-up: the local cluster, its MariaDB and Kafka, and the chart installed; prints
# how to use it. Re-running upgrades the release with a freshly built image.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"${SCRIPTS_DIR}/local-cluster/cluster.sh" up
"${SCRIPTS_DIR}/local-cluster/deps.sh" up
"${SCRIPTS_DIR}/local-cluster/release.sh" install
cat <<INFO

  export KUBECONFIG=${KUBECONFIG_ADMIN}
  export PATH=${K8S_BIN}:\$PATH      # kubectl ${KUBERNETES_VERSION}
  kubectl get pods -n ${NAMESPACE:-campaign}

  API      http://${NODE_IP}:${API_NODE_PORT}/api   (readiness: http://${NODE_IP}:${API_NODE_PORT}/readyz)
  token    kubectl -n ${NAMESPACE:-campaign} get secret ${RELEASE:-fcfs}-fcfs-campaign-admin-token -o jsonpath='{.data.admin-token}' | base64 -d
  remove   make k8s-local-down
INFO

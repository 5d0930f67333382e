#!/usr/bin/env bash
# make k8s-local-down: stops the local cluster's MariaDB and Kafka (their data stays in the
# cluster's stack directory until make clean-data), then removes the cluster, restoring every host
# setting it changed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"${SCRIPTS_DIR}/local-cluster/deps.sh" down
"${SCRIPTS_DIR}/local-cluster/cluster.sh" down

#!/usr/bin/env bash
# Deletes the kind cluster or minikube profile that k8s/up.sh created (with everything in it).
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER="${1:-${CLUSTER:-kind}}"
case "${CLUSTER}" in
  kind) kind delete cluster --name fcfs-campaign ;;
  minikube)
    # shellcheck source=minikube/profile.env
    source k8s/minikube/profile.env
    minikube delete -p "${MINIKUBE_PROFILE}"
    ;;
  *) echo "usage: k8s/down.sh kind|minikube" >&2; exit 2 ;;
esac

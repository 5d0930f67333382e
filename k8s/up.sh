#!/usr/bin/env bash
# The whole product on a kind or minikube cluster of your own, with one command:
#   k8s/up.sh kind|minikube        (make k8s-up CLUSTER=kind|minikube)
# Creates the cluster if missing, builds the image with Docker and loads it into the cluster,
# installs the Strimzi operator (Helm) with a one-broker KRaft Kafka, MySQL 8, optionally
# kube-prometheus-stack (MONITORING=1), then the chart; prints how to reach the API.
# Needs internet (images, charts), docker, kubectl, helm and kind or minikube. Re-runnable.
# Written for bash 3.2 too (macOS's /bin/bash): under `set -u` it refuses "${a[@]}" of an empty
# array, so optional arguments are expanded as ${a[@]+"${a[@]}"}.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER="${1:-${CLUSTER:-kind}}"
NAMESPACE="${NAMESPACE:-fcfs-campaign}"
RELEASE="${RELEASE:-fcfs}"
MONITORING="${MONITORING:-0}"
STRIMZI_VERSION="${STRIMZI_VERSION:-0.50.0}"
# Pinned, so a re-run months later installs what was tested; override to move on.
KUBE_PROMETHEUS_STACK_VERSION="${KUBE_PROMETHEUS_STACK_VERSION:-77.11.1}"
# kind has no metrics-server, without which the API's HPA never scales. Chart 3.13.0 is
# metrics-server v0.8.0.
METRICS_SERVER_CHART_VERSION="${METRICS_SERVER_CHART_VERSION:-3.13.0}"
IMAGE_REPOSITORY=fcfs-campaign

say() { printf '\n==> %s\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "k8s/up.sh needs $1 on PATH" >&2; exit 1; }; }

case "${CLUSTER}" in
  kind)
    need kind
    KIND_NAME=fcfs-campaign
    if ! kind get clusters 2>/dev/null | grep -qx "${KIND_NAME}"; then
      say "creating kind cluster ${KIND_NAME}"
      kind create cluster --config k8s/kind/cluster.yaml
    fi
    kubectl config use-context "kind-${KIND_NAME}" >/dev/null
    ;;
  minikube)
    need minikube
    # shellcheck source=minikube/profile.env
    source k8s/minikube/profile.env
    if ! minikube status -p "${MINIKUBE_PROFILE}" >/dev/null 2>&1; then
      say "starting minikube profile ${MINIKUBE_PROFILE}"
      minikube start -p "${MINIKUBE_PROFILE}" --kubernetes-version "${MINIKUBE_KUBERNETES_VERSION}" \
        --cpus "${MINIKUBE_CPUS}" --memory "${MINIKUBE_MEMORY}" --addons "${MINIKUBE_ADDONS}"
    fi
    kubectl config use-context "${MINIKUBE_PROFILE}" >/dev/null
    ;;
  *)
    echo "usage: k8s/up.sh kind|minikube" >&2
    exit 2
    ;;
esac
need docker; need kubectl; need helm

say "building the image and loading it into the cluster"
docker build -t "${IMAGE_REPOSITORY}:dev" .
# With pullPolicy Never a fixed tag would leave the running pods on the old build: the tag is
# the image's content digest, so a changed build rolls the pods and an unchanged one does not.
IMAGE_TAG="dev-$(docker image inspect --format '{{.Id}}' "${IMAGE_REPOSITORY}:dev" | sed 's/^sha256://' | cut -c1-12)"
docker tag "${IMAGE_REPOSITORY}:dev" "${IMAGE_REPOSITORY}:${IMAGE_TAG}"
if [[ "${CLUSTER}" == kind ]]; then
  kind load docker-image "${IMAGE_REPOSITORY}:${IMAGE_TAG}" --name "${KIND_NAME}"
else
  minikube -p "${MINIKUBE_PROFILE}" image load "${IMAGE_REPOSITORY}:${IMAGE_TAG}"
fi

if [[ "${CLUSTER}" == kind ]]; then
  say "metrics-server (chart ${METRICS_SERVER_CHART_VERSION}) for the HPA"
  helm repo add metrics-server https://kubernetes-sigs.github.io/metrics-server/ >/dev/null
  helm repo update metrics-server >/dev/null
  # kind's kubelets serve self-signed certificates that metrics-server cannot verify
  helm upgrade --install metrics-server metrics-server/metrics-server --version "${METRICS_SERVER_CHART_VERSION}" \
    --namespace kube-system --set 'args={--kubelet-insecure-tls}' --wait
fi

kubectl create namespace "${NAMESPACE}" --dry-run=client -o yaml | kubectl apply -f -

say "Strimzi operator ${STRIMZI_VERSION} and a one-broker KRaft Kafka"
# helm installs a chart's crds/ only on first install and never upgrades them: apply this
# version's CRDs first, server-side (they are too large for the last-applied annotation), so a
# Strimzi upgrade does not run the new operator against the old CRDs.
helm show crds oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "${STRIMZI_VERSION}" \
  | kubectl apply --server-side --force-conflicts -f -
helm upgrade --install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator \
  --version "${STRIMZI_VERSION}" --namespace "${NAMESPACE}" -f k8s/strimzi/operator-values.yaml --wait
kubectl -n "${NAMESPACE}" apply -f k8s/strimzi/kafka.yaml
kubectl -n "${NAMESPACE}" wait kafka/fcfs-kafka --for=condition=Ready --timeout=600s

say "MySQL 8"
if ! kubectl -n "${NAMESPACE}" get secret mysql-credentials >/dev/null 2>&1; then
  kubectl -n "${NAMESPACE}" create secret generic mysql-credentials \
    --from-literal=password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" \
    --from-literal=root-password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
fi
kubectl -n "${NAMESPACE}" apply -f k8s/mysql/mysql.yaml
kubectl -n "${NAMESPACE}" rollout status statefulset/mysql --timeout=600s

chart_flags=()
if [[ "${MONITORING}" == 1 ]]; then
  say "kube-prometheus-stack"
  helm repo add prometheus-community https://prometheus-community.github.io/helm-charts >/dev/null
  helm repo update prometheus-community >/dev/null
  helm upgrade --install monitoring prometheus-community/kube-prometheus-stack \
    --version "${KUBE_PROMETHEUS_STACK_VERSION}" \
    --namespace monitoring --create-namespace -f k8s/monitoring/kube-prometheus-stack-values.yaml --wait
  chart_flags+=(--set monitoring.serviceMonitor.enabled=true --set monitoring.prometheusRule.enabled=true
    --set monitoring.dashboards.enabled=true)
fi

say "the fcfs-campaign chart"
helm upgrade --install "${RELEASE}" charts/fcfs-campaign --namespace "${NAMESPACE}" \
  -f k8s/values-dev.yaml --set-string image.tag="${IMAGE_TAG}" ${chart_flags[@]+"${chart_flags[@]}"} --wait --timeout 10m

if [[ "${CLUSTER}" == kind ]]; then
  url=http://127.0.0.1:8080
else
  url="http://$(minikube -p "${MINIKUBE_PROFILE}" ip):30080"
fi
say "ready"
echo "  API      ${url}/api   (readiness: ${url}/readyz)"
echo "  token    kubectl -n ${NAMESPACE} get secret ${RELEASE}-fcfs-campaign-admin-token -o jsonpath='{.data.admin-token}' | base64 -d"
echo "  check    helm test ${RELEASE} -n ${NAMESPACE}"
echo "  remove   make k8s-down CLUSTER=${CLUSTER}"

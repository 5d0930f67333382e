#!/usr/bin/env bash
# Builds the project's image without Docker, imports it into the local cluster's containerd and
# installs (or upgrades) the chart against the cluster's own MariaDB and Kafka.
#
#   release.sh install [helm flags...]   image + helm upgrade --install --wait
#   release.sh image                     image only; prints its tag
#   release.sh k6-image                  the load test's k6 image only; prints its tag
#   release.sh uninstall
#
# RELEASE (fcfs) and NAMESPACE (campaign) name the release.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RELEASE="${RELEASE:-fcfs}"
NAMESPACE="${NAMESPACE:-campaign}"
HELM="$("${SCRIPTS_DIR}/install-helm.sh")"

image() {
  local archive="${CLUSTER_DIR}/images/app.tar" tag
  mkdir -p "${CLUSTER_DIR}/images"
  # A tag per build, so that an upgrade after a code change rolls the pods.
  tag="$(date -u +%Y%m%d%H%M%S)"
  "${SCRIPTS_DIR}/image/build.sh" "localhost/fcfs-campaign:${tag}" "${archive}" >&2
  "${SCRIPTS_DIR}/local-cluster/cluster.sh" import "${archive}"
  rm -f "${archive}"
  printf '%s\n' "${tag}"
}

# The chart's load test Job pulls grafana/k6, which this cluster cannot reach: the same k6 built
# here stands in for it (values-local.yaml names it). Its tag is the k6 version, so an image the
# node already has under that tag is the one a build would make: it is neither rebuilt nor
# imported again.
k6_image() {
  local archive="${CLUSTER_DIR}/images/k6.tar" tag
  tag="$("${SCRIPTS_DIR}/image/build-k6.sh" --tag)"
  if ctr_node images ls -q "name==localhost/k6:${tag}" 2>/dev/null | grep -qxF "localhost/k6:${tag}"; then
    log "localhost/k6:${tag} already in the node's containerd"
    printf '%s\n' "${tag}"
    return 0
  fi
  mkdir -p "${CLUSTER_DIR}/images"
  tag="$("${SCRIPTS_DIR}/image/build-k6.sh" localhost/k6 "${archive}")"
  "${SCRIPTS_DIR}/local-cluster/cluster.sh" import "${archive}"
  rm -f "${archive}"
  printf '%s\n' "${tag}"
}

deps_env() {
  local line
  while IFS= read -r line; do
    case "${line}" in DB_HOST=*|DB_PORT=*|KAFKA_BROKERS=*) printf '%s\n' "${line}" ;; esac
  done < <("${SCRIPTS_DIR}/local-cluster/deps.sh" env)
}

install() {
  local tag k6_tag DB_HOST DB_PORT KAFKA_BROKERS
  eval "$(deps_env)"
  tag="$(image)"
  k6_tag="$(k6_image)"
  KUBECONFIG="${KUBECONFIG_ADMIN}" "${HELM}" upgrade --install "${RELEASE}" "${REPO_ROOT}/charts/fcfs-campaign" \
    --namespace "${NAMESPACE}" --create-namespace \
    -f "${SCRIPTS_DIR}/local-cluster/values-local.yaml" \
    --set-string image.tag="${tag}" --set-string loadtest.image.tag="${k6_tag}" --set database.host="${DB_HOST}" --set database.port="${DB_PORT}" \
    --set kafka.bootstrapServers="${KAFKA_BROKERS}" \
    --wait --timeout 5m "$@"
}

case "${1:-}" in
  install) shift; install "$@" ;;
  image) image ;;
  k6-image) k6_image ;;
  uninstall) KUBECONFIG="${KUBECONFIG_ADMIN}" "${HELM}" uninstall "${RELEASE}" --namespace "${NAMESPACE}" --wait ;;
  *) echo "usage: $0 install [helm flags...]|image|k6-image|uninstall" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# A Prometheus of the project's own (Debian's package, own config, data and port) scraping the
# local api and consumer with the same alert and recording rules the chart ships.
#
# usage: scripts/monitoring.sh start|stop|status|url
# Targets and port come from the environment (defaults: what `make up` runs):
#   LOCAL_PROMETHEUS_PORT (19090)  MONITOR_API (127.0.0.1:${PORT:-8080})
#   MONITOR_CONSUMER (127.0.0.1:${METRICS_PORT:-9464})  MONITOR_SCRAPE_INTERVAL (5s)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

P_DIR="${STATE_DIR}/prometheus"
PROM_PORT="${LOCAL_PROMETHEUS_PORT:-19090}"
CONF="${P_DIR}/prometheus.yml"
RULES="${P_DIR}/alerts.yml"
PID_FILE="${P_DIR}/prometheus.pid"
OUT_FILE="${P_DIR}/prometheus.out"
LOCK_FILE="${P_DIR}/.lock" # take_lock creates P_DIR
STOP_TIMEOUT_S=20
API_TARGET="${MONITOR_API:-127.0.0.1:${PORT:-8080}}"
CONSUMER_TARGET="${MONITOR_CONSUMER:-127.0.0.1:${METRICS_PORT:-9464}}"
INTERVAL="${MONITOR_SCRAPE_INTERVAL:-5s}"

running_pid() {
  local pid
  pid="$(read_pid_file "${PID_FILE}")" || return 1
  pid_matches "${pid}" prometheus "${CONF}" || return 1
  printf '%s\n' "${pid}"
}

write_config() {
  mkdir -p "${P_DIR}/data"
  # The runbook links point at the repository's copy when there is no published one.
  sed "s|__RUNBOOK_BASE_URL__|file://${REPO_ROOT}/docs/runbook.md|g" "${REPO_ROOT}/observability/alerts.yml" >"${RULES}"
  cat >"${CONF}" <<YAML
global:
  scrape_interval: ${INTERVAL}
  evaluation_interval: ${INTERVAL}
rule_files:
  - ${RULES}
scrape_configs:
  - job_name: fcfs-api
    static_configs:
      - targets: ['${API_TARGET}']
        labels: { component: api }
  - job_name: fcfs-consumer
    static_configs:
      - targets: ['${CONSUMER_TARGET}']
        labels: { component: consumer }
YAML
  promtool check config "${CONF}" >/dev/null || die "generated ${CONF} is not valid"
}

cmd_start() {
  take_lock "${LOCK_FILE}"
  "${SCRIPTS_DIR}/install-prometheus.sh"
  if running_pid >/dev/null; then
    log "already running (pid $(running_pid), http://127.0.0.1:${PROM_PORT})"
    return 0
  fi
  port_open 127.0.0.1 "${PROM_PORT}" && die "port ${PROM_PORT} is already in use (set LOCAL_PROMETHEUS_PORT)"
  write_config
  setsid nohup prometheus --config.file="${CONF}" --storage.tsdb.path="${P_DIR}/data" --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:${PROM_PORT}" --web.enable-lifecycle \
    </dev/null >>"${OUT_FILE}" 2>&1 9>&- &
  local launched=$!
  printf '%s\n' "${launched}" >"${PID_FILE}"
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:${PROM_PORT}/-/ready" >/dev/null 2>&1; do
    if ! kill -0 "${launched}" 2>/dev/null; then
      print_log_tail "${OUT_FILE}"
      rm -f "${PID_FILE}"
      die "prometheus exited during startup"
    fi
    ((SECONDS < deadline)) || die "prometheus not ready after 60 s (pid ${launched})"
    sleep 0.2
  done
  log "up: pid ${launched}, http://127.0.0.1:${PROM_PORT} (scraping api ${API_TARGET}, consumer ${CONSUMER_TARGET})"
}

cmd_stop() {
  take_lock "${LOCK_FILE}"
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "${PID_FILE}"
    return 0
  fi
  kill -TERM "${pid}" 2>/dev/null || true
  finish_stop "${pid}" "${PID_FILE}" "WAL replay on next start"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status)
    if pid="$(running_pid)"; then log "running (pid ${pid}, http://127.0.0.1:${PROM_PORT})"; else log "not running"; exit 3; fi
    ;;
  url) printf 'http://127.0.0.1:%s\n' "${PROM_PORT}" ;;
  *)
    echo "usage: $0 start|stop|status|url" >&2
    exit 2
    ;;
esac

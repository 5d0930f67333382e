#!/usr/bin/env bash
# Runs the project's own deployables (api, consumer) in the background for `make up`.
#
# usage: scripts/services.sh start|stop|status [service...]   (default: api consumer)
# Expects the DB_* / KAFKA_* environment of the local stack (`scripts/stack.sh env`).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

RUN_DIR="${STATE_DIR}/run"
mkdir -p "${RUN_DIR}"
API_PORT="${PORT:-8080}"
STOP_TIMEOUT_S=15

entry_of() {
  case "$1" in
    api) echo "services/api/main.ts" ;;
    consumer) echo "services/consumer/main.ts" ;;
    *) die "unknown service '$1' (known: api consumer)" ;;
  esac
}

# Alive, not a zombie awaiting its reaper, and still our entrypoint (pids get reused).
is_running() {
  local pid
  pid=$(read_pid_file "${RUN_DIR}/$1.pid") || return 1
  pid_matches "${pid}" "$(entry_of "$1")"
}

start_one() {
  local name=$1 entry
  entry=$(entry_of "${name}")
  if is_running "${name}"; then
    log "${name} already running (pid $(cat "${RUN_DIR}/${name}.pid"))"
    return 0
  fi
  # Readiness is judged on what this start writes, never on an older run's lines.
  stat -c %s "${RUN_DIR}/${name}.log" 2>/dev/null >"${RUN_DIR}/${name}.log-offset" || echo 0 >"${RUN_DIR}/${name}.log-offset"
  (cd "${REPO_ROOT}" && exec setsid nohup node --disable-warning=TimeoutNegativeWarning --import tsx "${entry}" >>"${RUN_DIR}/${name}.log" 2>&1 </dev/null) &
  echo $! >"${RUN_DIR}/${name}.pid"
  log "${name} started (pid $!, log ${RUN_DIR}/${name}.log)"
}

logged_since_start() {
  local name=$1 offset
  offset=$(cat "${RUN_DIR}/${name}.log-offset" 2>/dev/null || echo 0)
  tail -c +"$((offset + 1))" "${RUN_DIR}/${name}.log" 2>/dev/null | grep -q "$2"
}

wait_ready() {
  local name=$1 deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    if ! is_running "${name}"; then
      tail -n 30 "${RUN_DIR}/${name}.log" >&2 || true
      die "${name} exited during start (log above)"
    fi
    case "${name}" in
      api) curl -fsS "http://127.0.0.1:${API_PORT}/readyz" >/dev/null 2>&1 && return 0 ;;
      *) logged_since_start "${name}" '"msg":"consumer ready"' && return 0 ;;
    esac
    sleep 0.3
  done
  tail -n 30 "${RUN_DIR}/${name}.log" >&2 || true
  die "${name} not ready after 60 s (log above)"
}

stop_one() {
  local name=$1 pid_file="${RUN_DIR}/$1.pid"
  if ! is_running "${name}"; then
    rm -f "${pid_file}"
    return 0
  fi
  local pid
  pid=$(read_pid_file "${pid_file}")
  kill -TERM "${pid}" 2>/dev/null || true
  rm -f "${RUN_DIR}/${name}.log-offset"
  finish_stop "${pid}" "${pid_file}" "no graceful shutdown" "${name}"
}

cmd=${1:-}
shift || true
services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=(api consumer)

case "${cmd}" in
  start)
    for s in "${services[@]}"; do start_one "${s}"; done
    for s in "${services[@]}"; do wait_ready "${s}"; done
    ;;
  stop)
    for s in "${services[@]}"; do stop_one "${s}"; done
    ;;
  status)
    rc=0
    for s in "${services[@]}"; do
      if is_running "${s}"; then log "${s} running (pid $(cat "${RUN_DIR}/${s}.pid"))"; else log "${s} stopped"; rc=3; fi
    done
    exit "${rc}"
    ;;
  *)
    echo "usage: $0 start|stop|status [api|consumer ...]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# The whole local stack (MariaDB + Kafka) in one command.
#
# usage: scripts/stack.sh up|down|status|env
#   up      install what is missing, then start both (no-op if running)
#   down    stop both (data is kept; rm -rf the state dir for a reset)
#   status  exit 0 only if both are running, 3 otherwise
#   env     KEY=VALUE lines for the app, e.g. `set -a; eval "$(scripts/stack.sh env)"; set +a`
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

cmd_up() {
  local start_ts=${SECONDS}
  "${SCRIPTS_DIR}/install-mariadb.sh"
  "${SCRIPTS_DIR}/install-kafka.sh"
  "${SCRIPTS_DIR}/mariadb.sh" start
  "${SCRIPTS_DIR}/kafka.sh" start
  log "stack up in $((SECONDS - start_ts))s (state: ${STATE_DIR})"
}

cmd_down() {
  # Keep going if one stop fails so the other service is not left running.
  local rc=0
  "${SCRIPTS_DIR}/kafka.sh" stop || rc=$?
  "${SCRIPTS_DIR}/mariadb.sh" stop || rc=$?
  return "${rc}"
}

cmd_status() {
  local rc=0
  "${SCRIPTS_DIR}/mariadb.sh" status || rc=3
  "${SCRIPTS_DIR}/kafka.sh" status || rc=3
  return "${rc}"
}

cmd_env() {
  "${SCRIPTS_DIR}/mariadb.sh" env
  "${SCRIPTS_DIR}/kafka.sh" env
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: $0 up|down|status|env" >&2
    exit 2
    ;;
esac

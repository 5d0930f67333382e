#!/usr/bin/env bash
# Project-owned MariaDB instance: own datadir, port, socket and pid file
# under the state dir, so it never collides with (or touches) a system
# MariaDB on :3306.
#
# usage: scripts/mariadb.sh start|stop|status|env|pid   (pid: the running server's, for fault tests)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

DB_PORT="${LOCAL_DB_PORT:-13306}"
# The one address it listens on. Another (e.g. the host side of the local cluster's veth)
# makes it reachable from pods; the default keeps it on loopback.
BIND_ADDRESS="${LOCAL_BIND_ADDRESS:-127.0.0.1}"
DB_USER=campaign
DB_PASSWORD=campaign
DB_NAME=campaign
# Benchmark box sizing (24 GiB RAM, 2 cores); overridable for small laptops.
BUFFER_POOL="${LOCAL_DB_BUFFER_POOL_SIZE:-1G}"
REDO_LOG_SIZE="${LOCAL_DB_LOG_FILE_SIZE:-512M}"

MDB_DIR="${STATE_DIR}/mariadb"
DATA_DIR="${MDB_DIR}/data"
TMP_DIR="${MDB_DIR}/tmp"
PID_FILE="${MDB_DIR}/mariadb.pid"
LOG_FILE="${MDB_DIR}/mariadb.log"
OUT_FILE="${MDB_DIR}/mariadbd.out"
LOCK_FILE="${MDB_DIR}/.lock"
SOCKET="${MDB_DIR}/mysqld.sock"
# Unix socket paths are capped at 107 bytes; a deeply nested clone (CI
# workspaces) would make mariadbd fail with an obscure bind error.
if (( ${#SOCKET} > 100 )); then
  SOCKET="/tmp/campaign-mariadb-$(printf '%s' "${STATE_DIR}" | sha256sum | cut -c1-12).sock"
fi

START_TIMEOUT_S=60
STOP_TIMEOUT_S=60

MARIADBD="$(command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd)"

admin() {
  # root@localhost has no password (auth method "normal" + empty password),
  # reachable only through our private socket.
  mariadb-admin --no-defaults --socket="${SOCKET}" -uroot --connect-timeout=2 "$@"
}

running_pid() {
  local pid
  pid="$(read_pid_file "${PID_FILE}")" || return 1
  # --datadir proves it is *our* instance, not a system one or a reused pid.
  pid_matches "${pid}" mariadbd "--datadir=${DATA_DIR}" || return 1
  printf '%s\n' "${pid}"
}

is_up() {
  running_pid >/dev/null && admin ping >/dev/null 2>&1
}

init_datadir() {
  [[ -d "${DATA_DIR}/mysql" ]] && return 0
  log "initialising datadir ${DATA_DIR}"
  # Build in a scratch dir and rename, so an interrupted init is retried
  # from scratch instead of leaving a half-made datadir behind.
  local scratch="${DATA_DIR}.init"
  rm -rf "${scratch}"
  mkdir -p "${scratch}"
  local user_args=()
  if [[ "$(id -u)" -eq 0 ]]; then user_args=(--user=root); fi
  if ! mariadb-install-db --no-defaults --datadir="${scratch}" \
      --auth-root-authentication-method=normal --skip-test-db \
      "${user_args[@]}" >"${MDB_DIR}/install-db.log" 2>&1; then
    print_log_tail "${MDB_DIR}/install-db.log"
    die "mariadb-install-db failed"
  fi
  rm -rf "${DATA_DIR}"
  mv "${scratch}" "${DATA_DIR}"
}

provision() {
  # Idempotent, so it is simply run on every fresh start: it also repairs a
  # test that dropped the app database. Tests create/drop their own
  # databases, hence ALL PRIVILEGES ... WITH GRANT OPTION.
  local host sql=""
  for host in 127.0.0.1 localhost '%'; do
    sql+="CREATE USER IF NOT EXISTS '${DB_USER}'@'${host}' IDENTIFIED BY '${DB_PASSWORD}';"
    sql+="GRANT ALL PRIVILEGES ON *.* TO '${DB_USER}'@'${host}' WITH GRANT OPTION;"
  done
  # install-db also creates root@<hostname>, which under skip-name-resolve
  # can never match and only logs a warning on every start.
  local own_host
  own_host="$(hostname 2>/dev/null || true)"
  if [[ -n "${own_host}" && "${own_host}" != localhost && "${own_host}" =~ ^[A-Za-z0-9._-]+$ ]]; then
    sql+="DROP USER IF EXISTS 'root'@'${own_host}';"
  fi
  sql+="CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  sql+="FLUSH PRIVILEGES;"
  mariadb --no-defaults --socket="${SOCKET}" -uroot -e "${sql}"
}

cmd_start() {
  take_lock "${LOCK_FILE}"
  if is_up; then
    log "already running (pid $(running_pid), port ${DB_PORT})"
    return 0
  fi
  if running_pid >/dev/null; then
    # Alive but not answering: could still be in crash recovery from a
    # previous start; give it the normal start window before giving up.
    log "process exists but not answering yet; waiting"
  else
    if [[ ! -x "${MARIADBD}" ]] || ! command -v mariadb-install-db >/dev/null 2>&1; then
      "${SCRIPTS_DIR}/install-mariadb.sh"
      MARIADBD="$(command -v mariadbd 2>/dev/null || echo /usr/sbin/mariadbd)"
    fi
    if port_open "${BIND_ADDRESS}" "${DB_PORT}"; then
      die "port ${DB_PORT} is already in use by another process (set LOCAL_DB_PORT)"
    fi
    mkdir -p "${MDB_DIR}" "${TMP_DIR}"
    init_datadir
    rm -f "${PID_FILE}" "${SOCKET}"

    # mariadbd refuses to run as root unless told to; CI and dev boxes are root.
    local user_args=()
    if [[ "$(id -u)" -eq 0 ]]; then user_args=(--user=root); fi
    log "starting on ${BIND_ADDRESS}:${DB_PORT} (log: ${LOG_FILE})"
    # --no-defaults: ignore /etc/mysql/*.cnf so the distro config can never
    # leak in (port 3306, /run/mysqld socket, ...). setsid detaches from the
    # caller's process group so CI step teardown / Ctrl-C does not kill it.
    # innodb_flush_log_at_trx_commit=1 on purpose: FCFS results must survive
    # a crash, and benchmarks should measure the durable configuration.
    setsid nohup "${MARIADBD}" --no-defaults "${user_args[@]}" \
      --basedir=/usr \
      --datadir="${DATA_DIR}" \
      --tmpdir="${TMP_DIR}" \
      --socket="${SOCKET}" \
      --pid-file="${PID_FILE}" \
      --log-error="${LOG_FILE}" \
      --port="${DB_PORT}" \
      --bind-address=${BIND_ADDRESS} \
      --skip-name-resolve \
      --character-set-server=utf8mb4 \
      --collation-server=utf8mb4_unicode_ci \
      --max-connections=500 \
      --max-allowed-packet=64M \
      --innodb-buffer-pool-size="${BUFFER_POOL}" \
      --innodb-log-file-size="${REDO_LOG_SIZE}" \
      --innodb-flush-log-at-trx-commit=1 \
      </dev/null >>"${OUT_FILE}" 2>&1 9>&- &
    local launched=$!
  fi

  local deadline=$((SECONDS + START_TIMEOUT_S))
  until admin ping >/dev/null 2>&1; do
    if [[ -n "${launched:-}" ]] && ! kill -0 "${launched}" 2>/dev/null; then
      print_log_tail "${LOG_FILE}" "${OUT_FILE}"
      die "mariadbd exited during startup"
    fi
    if (( SECONDS >= deadline )); then
      print_log_tail "${LOG_FILE}" "${OUT_FILE}"
      die "not answering ping after ${START_TIMEOUT_S}s"
    fi
    sleep 0.2
  done
  # mariadbd writes its pid file itself; make sure it is the one we expect
  # before anyone relies on it for stop.
  running_pid >/dev/null || { print_log_tail "${LOG_FILE}"; die "pid file ${PID_FILE} missing or stale after start"; }
  provision
  log "up: pid $(running_pid), ${BIND_ADDRESS}:${DB_PORT}, socket ${SOCKET}"
}

cmd_stop() {
  take_lock "${LOCK_FILE}"
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "${PID_FILE}"
    return 0
  fi
  log "stopping (pid ${pid})"
  # mariadb-admin shutdown is the clean path; SIGTERM is also a clean
  # shutdown for mariadbd and covers a broken root login.
  admin shutdown >/dev/null 2>&1 || kill -TERM "${pid}" 2>/dev/null || true
  finish_stop "${pid}" "${PID_FILE}" "InnoDB will crash-recover on next start"
}

cmd_status() {
  local pid
  if pid="$(running_pid)" && admin ping >/dev/null 2>&1; then
    log "running (pid ${pid}, ${BIND_ADDRESS}:${DB_PORT}, socket ${SOCKET})"
    return 0
  fi
  if [[ -n "${pid:-}" ]]; then
    log "process ${pid} alive but not answering ping"
  else
    log "not running"
  fi
  return 3
}

cmd_env() {
  cat <<EOF
DB_HOST=${BIND_ADDRESS}
DB_PORT=${DB_PORT}
DB_USER=${DB_USER}
DB_PASSWORD=${DB_PASSWORD}
DB_NAME=${DB_NAME}
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  # for fault tests that freeze or kill the server they run against
  pid) running_pid ;;
  *)
    echo "usage: $0 start|stop|status|env|pid" >&2
    exit 2
    ;;
esac

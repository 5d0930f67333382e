# shellcheck shell=bash
# Shared helpers for the local-stack scripts. Sourced, never executed.
#
# Everything these scripts create lives under one git-ignored state dir so a
# fresh clone, a CI run and a developer box behave the same, and `rm -rf
# .local` is a full reset.

if [[ -n "${_LOCAL_STACK_COMMON_LOADED:-}" ]]; then
  return 0
fi
_LOCAL_STACK_COMMON_LOADED=1

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
REPO_ROOT="$(cd "${SCRIPTS_DIR}/.." && pwd -P)"

# Absolutise: daemons outlive the caller's cwd, and pid/cmdline matching
# below compares paths literally.
STATE_DIR="${LOCAL_STACK_DIR:-${REPO_ROOT}/.local}"
if [[ "${STATE_DIR}" != /* ]]; then
  STATE_DIR="${PWD}/${STATE_DIR}"
fi
export LOCAL_STACK_DIR="${STATE_DIR}"

LOG_TAG="$(basename "$0" .sh)"
log() { printf '[%s] %s\n' "${LOG_TAG}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Root is the normal case (CI, dev VMs); sudo only so a non-root developer
# is not locked out of the install step.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root (or passwordless sudo) to run: $*"
  fi
}

# apt install that never starts daemons: packages such as mariadb-server
# would otherwise launch the *system* instance on :3306, which we neither
# want nor may later kill. A pre-existing policy-rc.d (e.g. Docker images
# ship one) is left untouched; one we create is always removed again.
_POLICY_RC=/usr/sbin/policy-rc.d
_policy_rc_created=0
_remove_policy_rc() {
  if [[ "${_policy_rc_created}" -eq 1 ]]; then
    as_root rm -f "${_POLICY_RC}" || true
    _policy_rc_created=0
  fi
}
apt_install_no_start() {
  if [[ ! -e "${_POLICY_RC}" ]]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > '${_POLICY_RC}' && chmod 755 '${_POLICY_RC}'"
    _policy_rc_created=1
    trap _remove_policy_rc EXIT
  fi
  local apt_opts=(-y -q -o DPkg::Lock::Timeout=300
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" \
    --no-install-recommends "$@"
  _remove_policy_rc
}

# Makes sure command CMD is on the PATH, installing Debian package(s) PKG... (through
# apt_install_no_start) when it is not.
# usage: apt_ensure_command CMD PKG...
apt_ensure_command() {
  local cmd="$1"; shift
  command -v "${cmd}" >/dev/null 2>&1 && return 0
  log "installing ${cmd} (Debian package $*)"
  apt_install_no_start "$@"
  command -v "${cmd}" >/dev/null 2>&1 || die "${cmd} still missing after installing $*"
}

# True if pid exists and is not a zombie. A killed process stays a zombie
# until its parent (often init) reaps it: that is not alive.
pid_alive() {
  local pid="$1" stat state
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  stat="$(<"/proc/${pid}/stat")" 2>/dev/null || return 1
  # Field 3, after the parenthesised comm (which may itself contain ") ").
  state="${stat##*) }"
  [[ "${state:0:1}" != Z ]]
}

# True if pid is alive AND its command line contains every given needle.
# Guards against pid reuse: we only ever signal a process whose cmdline
# proves it is the daemon we started for this state dir.
pid_matches() {
  local pid="$1"; shift
  pid_alive "${pid}" || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" || return 1
  local needle
  for needle in "$@"; do
    [[ "${cmdline}" == *"${needle}"* ]] || return 1
  done
}

read_pid_file() {
  local f="$1"
  [[ -s "${f}" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"${f}")"
  [[ -n "${pid}" ]] || return 1
  printf '%s\n' "${pid}"
}

# Wait for a pid to disappear (or become a zombie); returns 1 on timeout.
wait_pid_gone() {
  local pid="$1" timeout_s="$2" waited=0
  while pid_alive "${pid}"; do
    if (( waited >= timeout_s * 10 )); then
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# After a polite stop request: wait STOP_TIMEOUT_S, then SIGKILL; the pid file
# goes either way. NAME, if given, prefixes the messages (for scripts that
# manage more than one process).
# usage: finish_stop PID PID_FILE "what the next start will have to do after a SIGKILL" [NAME]
finish_stop() {
  local pid="$1" pid_file="$2" consequence="$3" who="${4:+$4 }"
  if ! wait_pid_gone "${pid}" "${STOP_TIMEOUT_S}"; then
    log "${who}still alive after ${STOP_TIMEOUT_S}s; sending SIGKILL (${consequence})"
    kill -KILL "${pid}" 2>/dev/null || true
    wait_pid_gone "${pid}" 10 || die "${who}pid ${pid} survived SIGKILL"
  fi
  rm -f "${pid_file}"
  log "${who}stopped"
}

port_open() {
  # bash's /dev/tcp avoids needing nc/ss on a fresh machine.
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Serialise start/stop per service so two concurrent callers (e.g. parallel
# test jobs) cannot both decide "not running" and launch twice. fd 9 must be
# closed for the daemons themselves (9>&-), or they would hold the lock for
# their whole lifetime.
take_lock() {
  local lock_file="$1"
  mkdir -p "$(dirname "${lock_file}")"
  exec 9>"${lock_file}"
  if ! flock -w 180 9; then
    die "timed out waiting for lock ${lock_file}"
  fi
}

print_log_tail() {
  local f
  for f in "$@"; do
    if [[ -s "${f}" ]]; then
      log "---- last 40 lines of ${f} ----"
      tail -n 40 "${f}" >&2
    fi
  done
}

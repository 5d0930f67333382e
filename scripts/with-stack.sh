#!/usr/bin/env bash
# Runs a command with the local stack up and its environment exported. A stack this script had
# to start is stopped again afterwards; one that was already running (e.g. `make up`) is left be.
#
# usage: scripts/with-stack.sh COMMAND [ARGS...]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

started=0
if ! "${SCRIPTS_DIR}/stack.sh" status >/dev/null 2>&1; then
  "${SCRIPTS_DIR}/stack.sh" up
  started=1
fi
cleanup() {
  if ((started)); then "${SCRIPTS_DIR}/stack.sh" down || true; fi
}
trap cleanup EXIT

set -a
eval "$("${SCRIPTS_DIR}/stack.sh" env)"
set +a
"$@"

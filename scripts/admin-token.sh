#!/usr/bin/env bash
# Prints the local admin token, creating it on first use. `make up` passes it to the api as
# ADMIN_TOKEN; it is kept (mode 600) under the state dir so it survives restarts.
#
# usage: scripts/admin-token.sh
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

token_file="${STATE_DIR}/admin-token"
if [[ ! -s "${token_file}" ]]; then
  mkdir -p "${STATE_DIR}"
  (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"${token_file}.tmp")
  mv "${token_file}.tmp" "${token_file}"
  log "generated a new admin token in ${token_file}"
fi
cat "${token_file}"

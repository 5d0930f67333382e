#!/usr/bin/env bash
# Debian's chromium, the browser the console tests drive headless through playwright-core.
# The distribution's build is used instead of a downloaded one: it installs from the same
# package mirror as the rest of the stack and gets the distribution's security updates.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
log "installing chromium (Debian package)"
apt_install_no_start chromium
command -v chromium >/dev/null 2>&1 || die "chromium still missing after install"

#!/usr/bin/env bash
# Installs the MariaDB server/client binaries from Debian packages.
# Only the binaries are wanted: scripts/mariadb.sh runs its own instance
# (own datadir, port, socket), so the distro service must never run.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

have_binaries() {
  local b
  # mariadbd lives in /usr/sbin, which a non-root PATH may lack.
  { command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]]; } || return 1
  for b in mariadb mariadb-admin mariadb-install-db; do
    command -v "${b}" >/dev/null 2>&1 || [[ -x "/usr/bin/${b}" ]] || return 1
  done
}

if have_binaries; then
  log "MariaDB already installed ($( (command -v mariadbd || echo /usr/sbin/mariadbd) | head -n1))"
  exit 0
fi

start_ts=${SECONDS}
log "installing mariadb-server + mariadb-client via apt"
apt_install_no_start mariadb-server mariadb-client

# policy-rc.d stops the start, but the packages still register the unit for
# boot; we just installed it, so undoing that is ours to do. Best effort:
# harmless where systemd/sysv tooling is absent.
if command -v systemctl >/dev/null 2>&1; then
  as_root systemctl disable mariadb.service >/dev/null 2>&1 || true
fi
if command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/mariadb ]]; then
  as_root update-rc.d mariadb disable >/dev/null 2>&1 || true
fi

have_binaries || die "apt finished but mariadbd/mariadb-install-db are still missing"
log "MariaDB installed in $((SECONDS - start_ts))s"

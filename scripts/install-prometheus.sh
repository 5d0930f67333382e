#!/usr/bin/env bash
# Installs Prometheus and promtool from Debian's package. scripts/monitoring.sh runs its own
# instance (own config, data directory and port); the distro service must never run.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  log "Prometheus already installed ($(prometheus --version 2>&1 | head -n1))"
  exit 0
fi

start_ts=${SECONDS}
log "installing prometheus (with promtool) via apt"
apt_install_no_start prometheus
# policy-rc.d stopped the start; the boot registration is ours to undo (best effort).
if command -v systemctl >/dev/null 2>&1; then
  as_root systemctl disable prometheus.service >/dev/null 2>&1 || true
fi
if command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/prometheus ]]; then
  as_root update-rc.d prometheus disable >/dev/null 2>&1 || true
fi
command -v promtool >/dev/null 2>&1 || die "apt finished but promtool is still missing"
log "Prometheus installed in $((SECONDS - start_ts))s"

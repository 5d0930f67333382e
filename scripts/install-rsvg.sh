#!/usr/bin/env bash
# rsvg-convert (Debian's librsvg2-bin): turns the experiment charts from SVG into PNG without a browser.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if command -v rsvg-convert >/dev/null 2>&1; then
  exit 0
fi
log "installing rsvg-convert (Debian package librsvg2-bin)"
apt_install_no_start librsvg2-bin
command -v rsvg-convert >/dev/null 2>&1 || die "rsvg-convert still missing after install"

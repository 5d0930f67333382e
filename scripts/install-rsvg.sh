#!/usr/bin/env bash
# rsvg-convert (Debian's librsvg2-bin): turns the experiment charts from SVG into PNG without a browser.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

apt_ensure_command rsvg-convert librsvg2-bin

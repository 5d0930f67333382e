#!/usr/bin/env bash
# Debian's chromium, the browser the console tests drive headless through playwright-core.
# The distribution's build is used instead of a downloaded one: it installs from the same
# package mirror as the rest of the stack and gets the distribution's security updates.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

apt_ensure_command chromium chromium

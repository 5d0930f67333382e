#!/usr/bin/env bash
# wrk, the load generator of `make bench`: written in C, so it leaves the cores to the system
# under test instead of competing with it like a Node-based generator would.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

apt_ensure_command wrk wrk

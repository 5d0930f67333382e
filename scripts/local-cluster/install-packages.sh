#!/usr/bin/env bash
# The node's runtime pieces from Debian: containerd, runc, the CNI plugins, iptables (used inside
# the node's own network namespace only), and the image tools (umoci, skopeo, busybox-static)
# that build the project's image without Docker. Nothing is started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

packages=(containerd runc containernetworking-plugins iptables umoci skopeo busybox-static)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "${p}" 2>/dev/null | grep -q 'install ok installed' || missing+=("${p}")
done
if (( ${#missing[@]} > 0 )); then
  log "installing ${missing[*]} (Debian packages; no service is started)"
  apt_install_no_start "${missing[@]}"
fi

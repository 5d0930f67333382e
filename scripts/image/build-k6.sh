#!/usr/bin/env bash
# The k6 image for the chart's load test Job where no registry is reachable (the local cluster):
# the k6 of scripts/install-k6.sh with the libraries it links, as grafana/k6 lays it out (k6 on
# the PATH, a non-root user, a writable /tmp). Prints the image's tag (the k6 version, no "v").
#
# usage: scripts/image/build-k6.sh NAME ARCHIVE   (writes NAME:<version> as a docker-archive)
#        scripts/image/build-k6.sh --tag           (only prints the tag such a build would have)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/oci.sh"

k6="$("${SCRIPTS_DIR}/install-k6.sh")"
version="$("${k6}" version | grep -oE 'v1\.[0-9]+\.[0-9]+' | head -n 1)"
[[ -n "${version}" ]] || die "cannot tell the version of ${k6}"
tag="${version#v}"
if [[ "${1:-}" == --tag ]]; then
  printf '%s\n' "${tag}"
  exit 0
fi
name="${1:?usage: build-k6.sh NAME ARCHIVE | --tag}"
archive="${2:?usage: build-k6.sh NAME ARCHIVE | --tag}"

rootfs="${STATE_DIR}/image-build/k6-rootfs"
rm -rf "${rootfs}"
mkdir -p "${rootfs}"/{etc,tmp}
chmod 1777 "${rootfs}/tmp"
copy_linked_binary "${k6}" "${rootfs}" /usr/bin/k6
printf 'root:x:0:0:root:/root:/bin/false\nk6:x:12345:12345:k6:/home/k6:/bin/false\n' >"${rootfs}/etc/passwd"
printf 'root:x:0:\nk6:x:12345:\n' >"${rootfs}/etc/group"
oci_archive "${rootfs}" "${name}:${tag}" "${archive}" \
  --config.user 12345:12345 --config.workingdir /tmp --config.env PATH=/usr/bin \
  --config.entrypoint /usr/bin/k6
rm -rf "${rootfs}"
log "image ${name}:${tag} in ${archive} ($(du -h "${archive}" | cut -f1))"
printf '%s\n' "${tag}"

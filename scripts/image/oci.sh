# shellcheck shell=bash
# Images without Docker or a registry: a root file system directory becomes a one-layer OCI image
# (umoci), then a docker-archive (skopeo) that containerd imports. Sourced, never executed.

# usage: oci_archive ROOTFS NAME:TAG ARCHIVE [umoci config flags...]
oci_archive() {
  local rootfs="$1" ref="$2" archive="$3"; shift 3
  local work layout
  work="$(mktemp -d "${TMPDIR:-/tmp}/fcfs-oci.XXXXXX")"
  layout="${work}/layout"
  umoci init --layout "${layout}" >/dev/null
  umoci new --image "${layout}:img" >/dev/null
  umoci insert --image "${layout}:img" "${rootfs}" / >/dev/null
  umoci config --image "${layout}:img" --no-history "$@" >/dev/null
  rm -f "${archive}"
  skopeo copy --quiet "oci:${layout}:img" "docker-archive:${archive}:${ref}"
  rm -rf "${work}"
}

# A directory with a static binary as the only file: the pause and CoreDNS images.
# usage: static_binary_rootfs BINARY ROOTFS
static_binary_rootfs() {
  local binary="$1" rootfs="$2"
  rm -rf "${rootfs}"
  mkdir -p "${rootfs}/bin" "${rootfs}/etc" "${rootfs}/tmp"
  chmod 1777 "${rootfs}/tmp"
  cp "${binary}" "${rootfs}/bin/"
  printf 'nobody:x:65534:65534:nobody:/:/bin/false\n' >"${rootfs}/etc/passwd"
  printf 'nobody:x:65534:\n' >"${rootfs}/etc/group"
}

# A dynamically linked binary and the libraries it links, at the paths the dynamic loader looks
# for them. usage: copy_linked_binary BINARY ROOTFS DEST (DEST: its path inside ROOTFS)
copy_linked_binary() {
  local binary="$1" rootfs="$2" dest="$3" lib
  mkdir -p "${rootfs}$(dirname "${dest}")"
  cp "${binary}" "${rootfs}${dest}"
  while read -r lib; do
    mkdir -p "${rootfs}$(dirname "${lib}")"
    cp -L "${lib}" "${rootfs}${lib}"
  done < <(ldd "${binary}" | grep -oE '/[^ ]+' | sort -u)
}

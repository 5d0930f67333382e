#!/usr/bin/env bash
# Builds the project's image without Docker, with the layout of the Dockerfile's runtime stage:
# compiled JavaScript in /app/dist, production dependencies without tsx, the entrypoint that picks
# the deployable, numeric user 10001, nothing written to the root file system. The Node.js
# runtime is the pinned LTS binary of scripts/install-node.sh with the libraries it links, and
# busybox for /bin/sh.
#
# usage: scripts/image/build.sh NAME:TAG ARCHIVE   (writes a docker-archive for `ctr images import`)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/oci.sh"

# the same runtime for the build steps below and in the image, whoever calls this
PATH="$("${SCRIPTS_DIR}/install-node.sh"):${PATH}"

ref="${1:?usage: build.sh NAME:TAG ARCHIVE}"
archive="${2:?usage: build.sh NAME:TAG ARCHIVE}"
work="${STATE_DIR}/image-build"
mkdir -p "${work}"

# Production dependencies, reinstalled only when the lock file changes.
deps="${work}/deps"
lock_sum="$(cat "${REPO_ROOT}/package.json" "${REPO_ROOT}/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "${deps}/.lock-sum" 2>/dev/null)" != "${lock_sum}" ]]; then
  log "installing production dependencies (without tsx)"
  rm -rf "${deps}"
  mkdir -p "${deps}"
  cp "${REPO_ROOT}/package.json" "${REPO_ROOT}/package-lock.json" "${deps}/"
  (cd "${deps}" && npm ci --omit=dev --no-audit --no-fund --loglevel=error --prefer-offline \
    && npm uninstall --omit=dev --no-audit --no-fund --loglevel=error --prefer-offline tsx)
  # scoped folders emptied by the removal (e.g. @esbuild) stay behind
  find "${deps}/node_modules" -mindepth 1 -maxdepth 1 -type d -empty -delete
  [[ ! -e "${deps}/node_modules/tsx" ]] || die "tsx is still in the production dependencies"
  printf '%s\n' "${lock_sum}" >"${deps}/.lock-sum"
fi

log "compiling TypeScript"
rm -rf "${work}/dist"
(cd "${REPO_ROOT}" && npx tsc -p tsconfig.build.json --outDir "${work}/dist")
log "building the operator console"
(cd "${REPO_ROOT}" && node --import tsx scripts/build-console.ts)
cp -a "${REPO_ROOT}/dist/console" "${work}/dist/console"

rootfs="${work}/rootfs"
rm -rf "${rootfs}"
mkdir -p "${rootfs}"/{bin,etc,tmp,app,usr/local/bin}
chmod 1777 "${rootfs}/tmp"
busybox="$(command -v busybox)"
# Static, so that it needs no libraries of its own (ldd refuses a static binary).
[[ -n "${busybox}" ]] && ! ldd "${busybox}" >/dev/null 2>&1 || die "busybox-static is needed (scripts/local-cluster/install-packages.sh)"
cp "${busybox}" "${rootfs}/bin/busybox"
for applet in sh sleep cat ls env; do ln -s busybox "${rootfs}/bin/${applet}"; done
copy_linked_binary "$(readlink -f "$(command -v node)")" "${rootfs}" /usr/local/bin/node
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001:app:/app:/bin/sh\n' >"${rootfs}/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' >"${rootfs}/etc/group"
cp -a "${deps}/node_modules" "${rootfs}/app/node_modules"
cp -a "${work}/dist" "${rootfs}/app/dist"
cp "${REPO_ROOT}/package.json" "${rootfs}/app/package.json"
cp "${REPO_ROOT}/image/entrypoint.sh" "${rootfs}/usr/local/bin/fcfs-campaign"

log "packing ${ref}"
oci_archive "${rootfs}" "${ref}" "${archive}" \
  --config.user 10001:10001 --config.workingdir /app \
  --config.env PATH=/usr/local/bin:/bin --config.env NODE_ENV=production \
  --config.entrypoint /usr/local/bin/fcfs-campaign --config.cmd api \
  --config.exposedports 8080/tcp --config.exposedports 9464/tcp
log "image ${ref} in ${archive} ($(du -h "${archive}" | cut -f1))"

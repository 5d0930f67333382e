#!/usr/bin/env bash
# Materialises a Kafka broker + CLI tools classpath from Maven Central into
# <state>/kafka/libs. The Apache tarball is not reachable here (package
# registries only), but the same jars are published to Maven Central.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
POM="${SCRIPTS_DIR}/kafka/pom.xml"
LIBS_DIR="${STATE_DIR}/kafka/libs"
MARKER="${LIBS_DIR}/.installed"

java_major() {
  # `java -version` prints e.g.: openjdk version "17.0.15" 2025-04-15
  java -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

ensure_toolchain() {
  local pkgs=()
  # Kafka 4.x brokers require Java 17+.
  if ! command -v java >/dev/null 2>&1 || (( $(java_major) < 17 )); then
    pkgs+=(openjdk-17-jre-headless)
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    pkgs+=(maven)
  fi
  if (( ${#pkgs[@]} > 0 )); then
    log "installing ${pkgs[*]} via apt"
    apt_install_no_start "${pkgs[@]}"
  fi
}

# The marker records the pom's hash too, so editing the dependency list
# (e.g. bumping log4j) re-resolves instead of silently keeping old jars.
want_marker="kafka.version=${KAFKA_VERSION}
pom.sha256=$(sha256sum "${POM}" | cut -d' ' -f1)"

installed() { [[ -f "${MARKER}" ]] && [[ "$(cat "${MARKER}")" == "${want_marker}" ]]; }

if installed; then
  log "Kafka ${KAFKA_VERSION} jars already present in ${LIBS_DIR}"
  exit 0
fi
# Two concurrent `stack.sh up` runs must not both swap libs dirs around.
take_lock "${STATE_DIR}/kafka/.install.lock"
if installed; then
  log "Kafka ${KAFKA_VERSION} jars installed by a concurrent run"
  exit 0
fi

ensure_toolchain

start_ts=${SECONDS}
log "resolving Kafka ${KAFKA_VERSION} jars from Maven Central (cached in ~/.m2)"
mkdir -p "${STATE_DIR}/kafka"
# Resolve into a scratch dir and swap it in, so an interrupted download never
# leaves a half-populated libs dir that a later start would happily use.
tmp_dir="$(mktemp -d "${STATE_DIR}/kafka/libs.tmp.XXXXXX")"
trap 'rm -rf "${tmp_dir}"' EXIT
# Output goes to a log (shown on failure): even -q -B makes Maven 3.8 emit
# stray ANSI reset codes on the terminal.
mvn_log="${STATE_DIR}/kafka/mvn.log"
if ! mvn -B -ntp -Dstyle.color=never -f "${POM}" \
    -Dkafka.version="${KAFKA_VERSION}" \
    -DincludeScope=runtime \
    -DoutputDirectory="${tmp_dir}" \
    dependency:copy-dependencies >"${mvn_log}" 2>&1; then
  print_log_tail "${mvn_log}"
  die "Maven could not resolve Kafka ${KAFKA_VERSION} (see ${mvn_log})"
fi

main_jar="${tmp_dir}/kafka_2.13-${KAFKA_VERSION}.jar"
[[ -f "${main_jar}" ]] || die "resolution did not produce ${main_jar##*/}"
# Copying into a dir that had old versions would mix two Kafkas on one
# classpath; always replace wholesale.
rm -rf "${LIBS_DIR}.old"
if [[ -d "${LIBS_DIR}" ]]; then
  mv "${LIBS_DIR}" "${LIBS_DIR}.old"
fi
mv "${tmp_dir}" "${LIBS_DIR}"
rm -rf "${LIBS_DIR}.old"
printf '%s\n' "${want_marker}" >"${MARKER}"

jar_count=$(find "${LIBS_DIR}" -maxdepth 1 -name '*.jar' | wc -l)
log "Kafka ${KAFKA_VERSION}: ${jar_count} jars, $(du -sh "${LIBS_DIR}" | cut -f1) in ${LIBS_DIR} ($((SECONDS - start_ts))s)"

#!/usr/bin/env bash
# The HAProxy 3.0 leg of CI: builds HAProxy 3.0.11 from the upstream tarball in ../shared/haproxy
# (checksum checked) once, into a cache outside the checkout, then runs the runtime-API tests
# against it: the haproxy-socket component over UNIX and TCP, and update_by_runtime end to end over
# both. (The whole suite on 3.0 is the HAProxy-matrix issue's work: see README, "HAProxy notes".)
# Usage: bash scripts/test-haproxy-3.0.sh   (EP2_HAPROXY_SRC, EP2_HAPROXY_CACHE override the places)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${EP2_HAPROXY_SRC:-../shared/haproxy}
cache=${EP2_HAPROXY_CACHE:-/var/cache/ep2-camel}
bin=$cache/haproxy-3.0.11/haproxy
if [ ! -x "$bin" ]; then
  (cd "$src" && sha256sum -c haproxy-3.0.11.tar.gz.sha256)
  mkdir -p "$cache"
  tar xzf "$src/haproxy-3.0.11.tar.gz" -C "$cache"
  if ! make -C "$cache/haproxy-3.0.11" -j"$(nproc)" TARGET=linux-glibc USE_OPENSSL=1 USE_PROMEX=1 >"$cache/build.log" 2>&1; then
    tail -n 40 "$cache/build.log" >&2
    exit 1
  fi
fi
version=$("$bin" -v)
echo "${version%%$'\n'*}"      # its first line (a pipe into head would end haproxy with SIGPIPE under pipefail)
mvn -B test -Dep2.test.haproxy="$bin" \
  -Dtest='HaproxySocketProducerTest,HaproxySocketProducerOverTcpTest,RuntimeUpdateE2ETest,RuntimeUpdateOverTcpE2ETest'

#!/usr/bin/env bash
# The HAProxy 3.0 leg of CI: builds HAProxy 3.0.11 from the upstream tarball in ../shared/haproxy
# (checksum checked) once, into a cache outside the checkout, then runs the tests that start or
# talk to a real HAProxy against it: the *E2ETests and the test classes that use the HAProxy
# fixtures (Ep2Fixture, Ep2Samples, HaproxyProcess), but those listed below, whose HAProxy part
# another of them covers. Pure unit tests (no HAProxy in them) and the jar ITs (the packaged jar:
# shading, start-up, the same code the E2E tests drive) ran in the 2.6 leg already: they are left
# out here to keep CI's two legs within its time budget. The browser tests stay in their own leg
# (mvn -Phawtio test).
# Usage: bash scripts/test-haproxy-3.0.sh [extra mvn args, e.g. -o]
#        (EP2_HAPROXY_SRC, EP2_HAPROXY_CACHE override the places)
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
# Left to the 2.6 leg (CI time), each because what it asks of HAProxy runs on 3.0 in another test:
# - LifecycleHooksE2ETest: show servers state's columns, the state-file lines that start new
#   servers DOWN, previous workers after a reload (HookProgressTest, NewServerStatesTest);
# - the orchestrator tests (Consul*, Aws*, YamlOrchestrators, MultiPool) and Debounce: what differs
#   there is the fetching; HAProxy gets the same config renders, reloads and runtime commands as
#   in ControllerE2ETest, RuntimeUpdateE2ETest, ServerStateE2ETest, Ep2CompatE2ETest;
# - RuntimeUpdateOverTcpE2ETest: RuntimeUpdateE2ETest over a TCP stats socket; the TCP transport
#   itself runs on 3.0 in HaproxySocketProducerOverTcpTest;
# - Jolokia, Observe, Hawtio: management and metrics, HAProxy only as a backdrop.
excluded='/(LifecycleHooks|ConsulOrchestrator|ConsulProduction|AwsOrchestrator|YamlOrchestrators|MultiPool|Debounce|RuntimeUpdateOverTcp|JolokiaAccess|Observe|Hawtio[A-Za-z]*)E2ETest\.java$'
tests=$( { grep -rlE 'Ep2Fixture|Ep2Samples|HaproxyProcess' src/test/java --include='*Test.java'; \
           find src/test/java -name '*E2ETest.java'; } | grep -v -e /bench/ -e /testsupport/ | grep -vE "$excluded" \
         | xargs -n1 basename | sed 's/\.java$//' | sort -u | paste -sd, -)
mvn -B "$@" test -Dep2.haproxy="$bin" -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false

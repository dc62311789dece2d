#!/usr/bin/env bash
# Benchmarks against a real HAProxy. Usage: bash scripts/benchmark.sh runtime [N ...] | consul [--runs N] [--poll-seconds S] [--only watch|poll]
#   runtime   apply cost of N server changes over the stats socket: batched vs one connection per command
#   consul    convergence latency (p50/p95/max) from a Consul catalog change to HAProxy serving the new
#             server: watch vs poll, update_by_config vs update_by_runtime (Consul API double, ~6 min)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v haproxy >/dev/null || { echo "haproxy is not installed (apt-get install -y haproxy)" >&2; exit 1; }
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
cp_file=target/bench.classpath
if ! { mvn -q -B test-compile && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"; } >"$build_log" 2>&1; then
  cat "$build_log" >&2; exit 1
fi
cp="target/test-classes:target/classes:$(cat "$cp_file")"
what=${1:-runtime}; shift || true
case "$what" in
  runtime) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.RuntimeApplyBenchmark "$@" ;;
  consul) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.ConvergenceBenchmark "$@" ;;
  *) echo "unknown benchmark '$what' (known: runtime, consul)" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Benchmarks against a real HAProxy. Usage: bash scripts/benchmark.sh all [--runs N] [--events N] | runtime [N ...] | consul [--runs N] [--poll-seconds S] [--only watch|poll] | consul-tls [--runs N] [--idle-seconds S] [--wait W] | jar | scenarios [...] | reload [--reloads N] [--haproxy PATH ...] | churn [--runs N] [--update-type config|runtime] [--set k=v] | lifecycle [--launches N] [--scale-ins N] [--only out|in]
#   all       the whole suite (~6 min on 2 cores): convergence p50/p95/max for file and consul watch x
#             update_by_config and update_by_runtime, failed requests during 100 scale events under load
#             (both update types), runtime apply cost for 10/100/1000/5000 servers, the jar's start-up,
#             RSS and CPU idle and under churn; writes target/bench/results.md (with the targets) and
#             target/bench/results.png
#   jar       the built jar's start-up, RSS and CPU idle and under churn: plain java -jar (no flag)
#             and etc/ep2.service's flags + class-data archive, 3 start-ups each (~4 min)
#   runtime   apply cost of N server changes over the stats socket: batched vs one connection per command
#   scenarios the churn scenarios with checks inter 1s rise 1 (issue #17): consul watch and aws polled every
#             1 s x both update types under 4 client threads, recovery after a 3 s outage, calls during a
#             long outage, the idle jar watching Consul (~12 min); [--steps N] [--outage-seconds S]
#             [--only churn|recovery|outage|storm|idle] [--leg consul_config|consul_runtime|aws_config|aws_runtime]
#             [--ep2 DIR [--ep2-python PY]]: the churn scenarios with EP2 itself (an ElasticPyProxy checkout;
#             PY a Python with boto3, jinja2 and requests) instead of ep2-camel, same harness
#   consul    convergence latency (p50/p95/max) from a Consul catalog change to HAProxy serving the new
#             server: watch vs poll, update_by_config vs update_by_runtime (Consul API double, ~6 min)
#   reload    100 reloads under 4 client threads through the controller's own reload: new master
#             (EP2's way, -x -sf) vs the master CLI's reload, for Debian's HAProxy 2.6 and the 3.0.11
#             that scripts/test-haproxy-3.0.sh builds (or each --haproxy given): reload call and time
#             to a new worker's first answer p50/p95/max, failed requests (~3 min)
#   lifecycle  aws with Auto Scaling lifecycle hooks (SQS: ElasticMQ embedded) vs polling only, both
#             update types: new instance to its first request served p50/p95/max (poll 5 s), and
#             failed requests during 50 scale-ins under 4 client threads (retries 0; poll 1 s) (~12 min)
#   churn     failed requests while the file orchestrator's list goes through 100 scale events (one every
#             250 ms, checks every 100 ms) under 4 client threads, repeated: [--runs N] [--update-type
#             config|runtime] [--set key=value ...] (an ep2.conf key, e.g. down_check_interval=100) (~40 s a run)
#   consul-tls watch convergence (update_by_runtime) over plain HTTP vs HTTPS with a client certificate,
#             and the Consul requests per minute of one idle controller (~4 min with the defaults)
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
if [ "$what" = all ] || [ "$what" = jar ] || [ "$what" = scenarios ]; then
  mvn -q -B package -DskipTests >"$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
fi
case "$what" in
  all) java -cp "$cp" -Dep2.log_level=WARN -Djava.awt.headless=true io.ep2camel.bench.BenchmarkSuite "$@" ;;
  runtime) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.RuntimeApplyBenchmark "$@" ;;
  consul) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.ConvergenceBenchmark "$@" ;;
  consul-tls) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.ConsulTlsBenchmark "$@" ;;
  jar) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.JarProbe "$@" ;;
  scenarios) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.ScenarioBenchmark "$@" ;;
  reload) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.ReloadBenchmark "$@" ;;
  churn) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.ChurnBenchmark "$@" ;;
  lifecycle) java -cp "$cp" -Dep2.log_level=WARN io.ep2camel.bench.LifecycleBenchmark "$@" ;;
  *) echo "unknown benchmark \'$what\' (known: all, runtime, consul, consul-tls, jar, scenarios, reload, lifecycle, churn)" >&2; exit 2 ;;
esac

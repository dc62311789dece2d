#!/usr/bin/env bash
# ep2-camel demo: HAProxy follows a backend list that changes while it serves traffic.
#
#   bash scripts/demo.sh          run the demo, clean everything up, exit 0 on success
#   KEEP=1 bash scripts/demo.sh   leave controller, HAProxy and backends running afterwards
#   WAIT_TIMEOUT=60 ...           seconds to wait for each step (default 30)
#
# Needs Java 17+ and Maven; installs haproxy and curl with apt-get when missing (as root, or
# through sudo). Uses 127.0.0.1 ports 18080 (HAProxy), 18081-18083 (demo backends), 18404
# (HAProxy stats page) and 18778 (controller health/metrics). Everything else lives in a temp
# dir /tmp/ep2demo.XXXX.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAR=target/ep2-camel.jar
FRONT=http://127.0.0.1:18080/
BACKEND_PORTS=(18081 18082 18083)
PORTS=(18080 "${BACKEND_PORTS[@]}" 18404 18778)
WAIT_TIMEOUT="${WAIT_TIMEOUT:-30}"
KEEP="${KEEP:-0}"

DIR=""
CTL_PID=""
BACKENDS_PID=""
LOAD_PID=""
CLEANED=0
declare -a MASTERS=()

# ---------------------------------------------------------------------------------------------
# output helpers

if [[ -t 1 ]]; then B=$'\e[1m'; G=$'\e[32m'; R=$'\e[31m'; N=$'\e[0m'; else B=""; G=""; R=""; N=""; fi
step() { printf '\n%s==== %s ====%s\n' "$B" "$*" "$N"; }
info() { printf '  %s\n' "$*"; }
ok()   { printf '  %s✔ %s%s\n' "$G" "$*" "$N"; }

die() {
    printf '\n%sFAILED: %s%s\n' "$R" "$*" "$N" >&2
    if [[ -n "$DIR" && -f "$DIR/ep2.out" ]]; then
        printf '\n--- last 30 lines of the controller output (%s) ---\n' "$DIR/ep2.out" >&2
        tail -n 30 "$DIR/ep2.out" >&2 || true
        printf -- '---\n' >&2
    fi
    exit 1
}

# ---------------------------------------------------------------------------------------------
# cleanup: controller first (so it does not restart HAProxy), then HAProxy, then the backends

# a live process (a zombie waiting to be reaped counts as gone)
alive() {
    [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null || true)"
    [[ "${stat##*) }" != Z* ]]
}

# waits up to $2 tenths of a second for pid $1 to go, then SIGKILLs it
wait_gone() {
    local pid=$1 tenths=$2 i
    for ((i = 0; i < tenths; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    echo "  pid $pid did not stop in time, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

stop_child() { # a child of this shell: SIGTERM, then reap it
    local pid=$1
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 150
    wait "$pid" 2>/dev/null || true
}

haproxy_master() { [[ -n "$DIR" && -s "$DIR/haproxy.pid" ]] && tr -s ' \n' ' ' <"$DIR/haproxy.pid" | awk '{print $1}'; }

# an HAProxy of this demo (guards against a recorded pid reused by another process)
ours() { [[ ! -r /proc/$1/cmdline ]] || tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$DIR/haproxy.cfg"; }

stop_haproxy() {
    local pids=() pid
    pid="$(haproxy_master || true)"
    [[ -n "$pid" ]] && pids+=("$pid")
    pids+=("${MASTERS[@]}")
    for pid in "${pids[@]}"; do
        if alive "$pid" && ours "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            wait_gone "$pid" 100
        fi
    done
}

cleanup() {
    [[ $CLEANED == 1 ]] && return 0
    CLEANED=1
    stop_child "$LOAD_PID"
    if [[ $KEEP == 1 && -n "$DIR" ]]; then
        keep_message
        return 0
    fi
    [[ -n "$DIR" ]] && printf '\n%s==== cleaning up ====%s\n' "$B" "$N"
    if alive "$CTL_PID"; then
        info "stopping the controller (pid $CTL_PID, SIGTERM)"
        stop_child "$CTL_PID"
    fi
    if [[ -n "$DIR" ]]; then
        info "stopping HAProxy (master pid $(haproxy_master || echo none))"
        stop_haproxy
    fi
    if alive "$BACKENDS_PID"; then
        info "stopping the demo backends (pid $BACKENDS_PID)"
        stop_child "$BACKENDS_PID"
    fi
    if [[ -n "$DIR" && "$DIR" == /tmp/ep2demo.* ]]; then
        info "removing $DIR"
        rm -rf -- "$DIR"
    fi
}

keep_message() {
    step "KEEP=1: everything is left running"
    info "HAProxy frontend : $FRONT   (stats page: http://127.0.0.1:18404/stats)"
    info "controller health: http://127.0.0.1:18778/observe/health   metrics: /observe/metrics"
    info "backend list     : $DIR/backends.txt (edit it; the controller picks it up within a second)"
    info "controller log   : $DIR/ep2.log"
    info "generated config : $DIR/haproxy.cfg"
    info ""
    info "to stop it all:"
    printf '    %-44s # %s\n' \
        "kill $CTL_PID; sleep 2" "the controller first (it would start HAProxy again)" \
        "kill \$(cat $DIR/haproxy.pid)" "the HAProxy master, which stops its workers" \
        "kill $BACKENDS_PID" "the demo backends" \
        "rm -rf $DIR" "the demo dir"
}

trap 'rc=$?; cleanup; exit $rc' EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# ---------------------------------------------------------------------------------------------
# prerequisites

step "1. Prerequisites"

SUDO=""
if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || SUDO="none"
    [[ $SUDO == none ]] || SUDO="sudo"
fi

HAPROXY="$(command -v haproxy || true)"
[[ -z "$HAPROXY" && -x /usr/sbin/haproxy ]] && HAPROXY=/usr/sbin/haproxy
missing=()
[[ -n "$HAPROXY" ]] || missing+=(haproxy)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    [[ $SUDO != none ]] || die "missing ${missing[*]}: run as root or install sudo (apt-get install ${missing[*]})"
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them; install them and rerun"
    info "installing ${missing[*]} with apt-get"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null ||
        die "apt-get update failed"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
    HAPROXY="$(command -v haproxy || echo /usr/sbin/haproxy)"
    [[ -x "$HAPROXY" ]] || die "haproxy still not found after apt-get install"
fi
command -v java >/dev/null || die "java not found: install a JDK 17+ (apt-get install openjdk-17-jdk-headless)"
info "haproxy : $HAPROXY ($("$HAPROXY" -v 2>/dev/null | head -n 1))"
info "java    : $(java -version 2>&1 | head -n 1)"
info "curl    : $(command -v curl)"

# builds unless the jar is newer than every source, route and the pom
if [[ ! -f $JAR || -n "$(find src routes pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
    command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven) to build $JAR"
    info "building $JAR (mvn -q -B package -DskipTests) ..."
    if ! build_out="$(mvn -q -B package -DskipTests 2>&1)"; then
        printf '%s\n' "$build_out" | tail -n 40 >&2
        die "the build failed (mvn -q -B package -DskipTests; Maven output above)"
    fi
    [[ -f $JAR ]] || die "the build did not produce $JAR"
else
    info "$JAR is up to date, not rebuilding"
fi

for p in "${PORTS[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        die "port $p on 127.0.0.1 is already in use; the demo needs ports ${PORTS[*]} free (is another demo running? KEEP=1 leaves one behind)"
    fi
done
ok "ports ${PORTS[*]} are free"

# ---------------------------------------------------------------------------------------------
# setup: a private copy of etc/ in a short temp dir (UNIX socket paths must stay < 100 bytes)

step "2. Setup"

DIR="$(mktemp -d /tmp/ep2demo.XXXX)"
for f in ep2.conf haproxy.cfg.template backends.txt; do
    sed "s#/tmp/ep2-demo#$DIR#g" "etc/$f" >"$DIR/$f"
done
sed -i "s#^haproxy_binary = .*#haproxy_binary = $HAPROXY#" "$DIR/ep2.conf"
info "demo dir   : $DIR (ep2.conf, haproxy.cfg.template, backends.txt copied from etc/)"

java scripts/DemoBackends.java "${BACKEND_PORTS[@]}" >"$DIR/backends.out" 2>&1 &
BACKENDS_PID=$!
deadline=$((SECONDS + WAIT_TIMEOUT))
for p in "${BACKEND_PORTS[@]}"; do
    until [[ "$(curl -s -m 2 "http://127.0.0.1:$p/" 2>/dev/null)" == "backend $p" ]]; do
        alive "$BACKENDS_PID" || { cat "$DIR/backends.out" >&2; die "DemoBackends exited"; }
        ((SECONDS < deadline)) || { cat "$DIR/backends.out" >&2; die "demo backend $p did not answer within ${WAIT_TIMEOUT}s"; }
        sleep 0.2
    done
done
info "backends   : DemoBackends pid $BACKENDS_PID answering on ${BACKEND_PORTS[*]} (\"backend <port>\")"

java -jar "$JAR" -f "$DIR/ep2.conf" >"$DIR/ep2.out" 2>&1 &
CTL_PID=$!
info "controller : java -jar $JAR -f $DIR/ep2.conf  (pid $CTL_PID, output in $DIR/ep2.out)"

# ---------------------------------------------------------------------------------------------
# steps

# the backends list, written atomically as the orchestrator would
set_backends() {
    local label=$1 p
    shift
    {
        echo "# demo step: $label"
        for p in "$@"; do echo "127.0.0.1:$p"; done
    } >"$DIR/backends.txt.tmp"
    mv -f "$DIR/backends.txt.tmp" "$DIR/backends.txt"
    info "backends.txt now lists: $(printf '127.0.0.1:%s ' "$@")"
}

# one round of N requests through HAProxy; sets ROUND (one answer per line, ERR for a failure)
round() {
    local n=$1 i out
    ROUND=""
    for ((i = 0; i < n; i++)); do
        out="$(curl -s -f -m 2 "$FRONT" 2>/dev/null || echo ERR)"
        ROUND+="${out:-ERR}"$'\n'
    done
}

# polls until a round of 6 requests is answered by exactly the expected backends
wait_for_backends() {
    local expected want got deadline=$((SECONDS + WAIT_TIMEOUT))
    expected="$(printf 'backend %s\n' "$@" | sort -u)"
    info "waiting (up to ${WAIT_TIMEOUT}s) until HAProxy serves only: $(printf '%s ' "$@")"
    while :; do
        alive "$CTL_PID" || { wait "$CTL_PID" && rc=0 || rc=$?; die "the controller exited (exit code $rc)"; }
        round 6
        got="$(printf '%s' "$ROUND" | sort -u)"
        [[ "$got" == "$expected" ]] && break
        if ((SECONDS >= deadline)); then
            want="$(printf '%s' "$expected" | tr '\n' ' ')"
            die "timed out after ${WAIT_TIMEOUT}s: expected answers from [$want], last round got: $(printf '%s' "$ROUND" | tr '\n' ' ')"
        fi
        sleep 0.5
    done
    ok "HAProxy serves the expected backends"
}

show_requests() {
    local n=$1 line
    round "$n"
    info "$n requests through $FRONT:"
    while IFS= read -r line; do info "    -> $line"; done <<<"${ROUND%$'\n'}"
    info "per backend: $(printf '%s' "$ROUND" | sort | uniq -c | awk '{printf "%s=%s  ", $3, $1}')"
}

LAST_MASTER=""
show_haproxy() {
    local master
    info "server lines of the generated $DIR/haproxy.cfg:"
    grep -E '^[[:space:]]*server[[:space:]]' "$DIR/haproxy.cfg" | sed 's/^[[:space:]]*/      /' || info "      (none)"
    master="$(haproxy_master || true)"
    [[ -n "$master" ]] || die "no HAProxy pid file at $DIR/haproxy.pid"
    MASTERS+=("$master")
    if [[ -z "$LAST_MASTER" ]]; then
        info "HAProxy master pid: $master (started by the controller)"
    elif [[ "$master" != "$LAST_MASTER" ]]; then
        info "HAProxy master pid: $master (was $LAST_MASTER: a new master took the listening socket over"
        info "  through the stats socket (-x) and soft-stopped the old one (-sf) - a hitless reload)"
    else
        info "HAProxy master pid: $master (unchanged)"
    fi
    LAST_MASTER="$master"
    local last
    last="$(grep -E 'HAProxy (started|reloaded)' "$DIR/ep2.log" 2>/dev/null | tail -n 1 | sed 's/^.* - //' || true)"
    [[ -n "$last" ]] && info "controller log: $last"
    return 0
}

# background traffic during a change: shows that the reload refuses no request
start_load() {
    (while :; do curl -s -o /dev/null -w '%{http_code}\n' -m 2 "$FRONT" 2>/dev/null || true; done) >"$DIR/load.txt" &
    LOAD_PID=$!
}
stop_load() {
    stop_child "$LOAD_PID"
    LOAD_PID=""
    local total failed
    total="$(grep -c . "$DIR/load.txt" || true)"
    failed="$(grep -vc '^200$' "$DIR/load.txt" || true)"
    if [[ "$failed" == 0 ]]; then
        info "meanwhile, $total requests sent in a loop during the change: all answered 200 (no downtime)"
    else
        info "meanwhile, $total requests sent in a loop during the change: $failed not answered 200"
        info "  ($(grep -v '^200$' "$DIR/load.txt" | sort | uniq -c | awk '{printf "%s x %s  ", $1, $2}'))"
    fi
}

step "3. (a) Bootstrap: one backend"
info "the controller reads backends.txt, renders haproxy.cfg from the template and starts HAProxy"
wait_for_backends 18081
show_haproxy
show_requests 3

step "4. (b) Scale out: three backends"
start_load
set_backends "scale out" 18081 18082 18083
wait_for_backends 18081 18082 18083
stop_load
show_haproxy
show_requests 6

step "5. (c) Scale in: only 18083 is left"
start_load
set_backends "scale in" 18083
wait_for_backends 18083
stop_load
show_haproxy
show_requests 6

step "Done"
ok "HAProxy followed backends.txt: 1 -> 3 -> 1 backends, each change applied by a hitless reload"
info "controller log: $DIR/ep2.log"

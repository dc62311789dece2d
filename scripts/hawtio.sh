#!/usr/bin/env bash
# Hawtio 4 on ep2-camel's Jolokia, with one command:
#
#   bash scripts/hawtio.sh [JOLOKIA_URL] [--port PORT]
#
#   JOLOKIA_URL  the controller's Jolokia (default http://127.0.0.1:8778/observe/jolokia,
#                i.e. observe_host:observe_port of ep2.conf)
#   --port PORT  where Hawtio listens, on 127.0.0.1 only (default 8779, or $HAWTIO_PORT)
#
# Then open http://127.0.0.1:PORT/ : it adds the connection "ep2-camel" to Hawtio's Connect page
# and opens it (Camel: routes, diagram, statistics, endpoints; JMX: io.ep2camel > Pool).
#
# Hawtio (io.hawt:hawtio-war 4.2.0) runs in an embedded Jetty 12 in a JVM of its own: the war
# and Jetty come from scripts/hawtio/pom.xml, a Maven project apart from the controller's, copied
# once to $HAWTIO_LIB (default target/hawtio/lib), so the controller's jar, classpath and memory
# stay without them. Needs Java 17+ and Maven (the first run downloads about 13 MB).
#
# Security: Hawtio has no login of its own (hawtio.authenticationEnabled=false): it listens on
# 127.0.0.1 only, its proxy reaches loopback (and the given Jolokia's host) only, and its own
# Jolokia (this JVM) answers nothing. What can be done is what the controller's Jolokia allows:
# read-only by default; with observe_credentials_file Hawtio asks for that login on connecting.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/scripts/hawtio"
JOLOKIA_URL="http://127.0.0.1:8778/observe/jolokia"
PORT="${HAWTIO_PORT:-8779}"
LIB="${HAWTIO_LIB:-$ROOT/target/hawtio/lib}"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --port=*) PORT="${1#--port=}"; shift ;;
        -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        http://*|https://*) JOLOKIA_URL="$1"; shift ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

# The jars are copied again whenever scripts/hawtio/pom.xml changes (a new Hawtio or Jetty
# version), told by the pom's checksum kept next to them.
STAMP="$LIB/.pom.sha256"
want="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$want" ]]; then
    echo "Fetching Hawtio and Jetty into $LIB (once) ..." >&2
    rm -rf "$LIB"
    mkdir -p "$LIB"
    mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" >&2
    echo "$want" > "$STAMP"
fi
WAR="$(ls "$LIB"/hawtio-war-*.war)"

# Source-file mode: the launcher is one class, compiled in memory at start (about a second),
# so there is no build step of its own. 256 MB is plenty for Jetty and Hawtio's proxy.
exec java -Xmx256m -cp "$LIB/*" "$HERE/HawtioLauncher.java" \
    "$WAR" "$JOLOKIA_URL" "$PORT" "$HERE/own-jolokia-access.xml"

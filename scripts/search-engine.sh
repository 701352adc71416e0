#!/usr/bin/env bash
# Starts Elasticsearch (the search-engine adapter's backend, ADR 0044) for tests and benchmarks,
# without Docker: the integ-test distribution zip from Maven Central (security switched off, which
# also stops its auto-configuration of TLS and passwords), cached outside the clone, run with Java 17 as an unprivileged user when we are root.
# Prints the engine's URL on stdout once the cluster is yellow or green.
#
#   scripts/search-engine.sh install              # download and unpack only (cached)
#   scripts/search-engine.sh start [port]         # default port 9200
#   scripts/search-engine.sh stop | status
#
# GROUNDWORK_SEARCH_DATA and GROUNDWORK_SEARCH_PORT give an instance its own data directory and port
# (a fault test stops its own, never a shared one); GROUNDWORK_SEARCH_HEAP sets the heap (default 1g,
# 512m to start); GROUNDWORK_MAVEN_REPOSITORY points at a mirror of Maven Central.
set -euo pipefail

VERSION=8.17.0
if [ "$(id -u)" = 0 ]; then DEFAULT_CACHE=/var/cache/groundwork; else DEFAULT_CACHE="$HOME/.cache/groundwork"; fi
CACHE="${GROUNDWORK_CACHE:-$DEFAULT_CACHE}/search-engines"
HOME_DIR="$CACHE/elasticsearch-$VERSION"
PORT="${2:-${GROUNDWORK_SEARCH_PORT:-9200}}"
DATA_DIR="${GROUNDWORK_SEARCH_DATA:-$CACHE/es-data-$PORT}"
HEAP="${GROUNDWORK_SEARCH_HEAP:-1g}"
MAVEN="${GROUNDWORK_MAVEN_REPOSITORY:-https://repo1.maven.org/maven2}"
URL="http://127.0.0.1:$PORT"

install() {
  if [ -x "$HOME_DIR/bin/elasticsearch" ]; then return; fi
  mkdir -p "$CACHE"
  local zip="$CACHE/elasticsearch-$VERSION.zip"
  if [ ! -s "$zip" ]; then
    curl -fsSL --retry 3 -o "$zip.part" \
      "$MAVEN/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$VERSION/elasticsearch-$VERSION.zip" >&2
    mv "$zip.part" "$zip"
  fi
  rm -rf "$HOME_DIR.part" && mkdir -p "$HOME_DIR.part"
  unzip -q "$zip" -d "$HOME_DIR.part" >&2
  mv "$HOME_DIR.part/elasticsearch-$VERSION" "$HOME_DIR" && rmdir "$HOME_DIR.part"
}

java_home() {
  # Elasticsearch 8.17 refuses Java 25; prefer a 17 or 21 JDK when several are installed.
  local candidate
  for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/java-21-openjdk-*; do
    if [ -x "$candidate/bin/java" ]; then echo "$candidate"; return; fi
  done
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

healthy() { curl -fsS "$URL/_cluster/health?wait_for_status=yellow&timeout=${1:-1}s" >/dev/null 2>&1; }

case "${1:-start}" in
  install) install ;;
  start)
    install
    if healthy; then echo "$URL"; exit 0; fi
    RUNAS=()
    mkdir -p "$DATA_DIR/data" "$DATA_DIR/logs"
    # The configuration is copied per instance: Elasticsearch writes beside it (keystore, jvm options).
    # Its GC log goes to the instance's logs (the shipped path is relative to the install directory).
    if [ ! -d "$DATA_DIR/config" ]; then
      cp -r "$HOME_DIR/config" "$DATA_DIR/config.part"
      sed -i "s|file=logs/gc.log|file=$DATA_DIR/logs/gc.log|" "$DATA_DIR/config.part/jvm.options"
      mv "$DATA_DIR/config.part" "$DATA_DIR/config"
    fi
    if [ "$(id -u)" = 0 ]; then
      id groundwork-es >/dev/null 2>&1 || useradd --system --no-create-home groundwork-es
      RUNAS=(runuser -u groundwork-es --)
      chown -R groundwork-es "$DATA_DIR"
      chmod 755 "$CACHE" "$(dirname "$CACHE")"
      chmod -R a+rX "$HOME_DIR"
    fi
    # Single node on loopback (development mode: no bootstrap checks), small heap, no disk watermarks
    # (a nearly full disk must not turn test indices read-only), daemonised with a pid file.
    cd "$DATA_DIR"
    env -u JAVA_HOME ES_JAVA_HOME="$(java_home)" ES_PATH_CONF="$DATA_DIR/config" \
      ES_JAVA_OPTS="-Xms512m -Xmx$HEAP" \
      "${RUNAS[@]}" "$HOME_DIR/bin/elasticsearch" -d -p "$DATA_DIR/es.pid" \
      -E "http.port=$PORT" -E "transport.port=$((PORT + 100))" -E network.host=127.0.0.1 \
      -E discovery.type=single-node -E xpack.security.enabled=false -E "path.data=$DATA_DIR/data" -E "path.logs=$DATA_DIR/logs" \
      -E cluster.routing.allocation.disk.threshold_enabled=false -E "cluster.name=groundwork-$PORT" >&2
    for _ in $(seq 1 90); do
      if healthy 2; then echo "$URL"; exit 0; fi
      sleep 1
    done
    echo "Elasticsearch did not become healthy on $URL; see $DATA_DIR/logs" >&2
    exit 1
    ;;
  stop)
    if [ -f "$DATA_DIR/es.pid" ]; then
      PID=$(cat "$DATA_DIR/es.pid")
      kill "$PID" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
      rm -f "$DATA_DIR/es.pid"
    fi
    ;;
  status)
    if healthy; then echo "$URL"; else echo "not running on $URL" >&2; exit 1; fi
    ;;
  *) echo "usage: $0 install | start [port] | stop | status" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Starts a real Postgres server with pgvector for tests and benchmarks, without Docker or root:
# the PyPI package `pgserver` ships PostgreSQL 16 binaries with pgvector 0.6, and we use only its
# binaries (initdb, pg_ctl), never its Python API. Prints the connection URL on stdout.
#
#   scripts/postgres-server.sh start [port]   # default port 54329
#   scripts/postgres-server.sh stop
#   scripts/postgres-server.sh restart [fast|immediate]   # pg_ctl restart -m <mode> (fault tests)
#
# GROUNDWORK_PGDATA and GROUNDWORK_PG_PORT give a server its own data directory and port, so a test
# that stops or restarts Postgres starts its own instead of touching a shared one.
set -euo pipefail

# As root the server runs as an unprivileged user, who must be able to reach the binaries: no $HOME.
if [ "$(id -u)" = 0 ]; then DEFAULT_CACHE=/var/cache/groundwork; else DEFAULT_CACHE="$HOME/.cache/groundwork"; fi
CACHE="${GROUNDWORK_CACHE:-$DEFAULT_CACHE}"
VENV="$CACHE/pgserver-venv"
PGDATA_DIR="${GROUNDWORK_PGDATA:-$CACHE/pgdata}"
PORT="${2:-${GROUNDWORK_PG_PORT:-54329}}"

pgbin() {
  local bin
  for bin in "$VENV"/lib/python3*/site-packages/pgserver/pginstall/bin; do echo "$bin"; return; done
}

install() {
  if [ ! -x "$(pgbin)/postgres" ]; then
    mkdir -p "$CACHE"
    python3 -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check 'pgserver==0.1.4' >&2
  fi
}

case "${1:-start}" in
  start)
    install
    BIN=$(pgbin)
    # initdb and postgres refuse to run as root; run them as an unprivileged user when we are root.
    RUNAS=()
    if [ "$(id -u)" = 0 ]; then
      id groundwork-pg >/dev/null 2>&1 || useradd --system --no-create-home groundwork-pg
      RUNAS=(runuser -u groundwork-pg --)
      mkdir -p "$PGDATA_DIR"
      chown -R groundwork-pg "$PGDATA_DIR"
      chmod 755 "$CACHE"
      chmod -R a+rX "$VENV"
    fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
      "${RUNAS[@]}" "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 >&2
    fi
    if ! "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
      "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=off" start >&2
    fi
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc 'CREATE EXTENSION IF NOT EXISTS vector' >&2
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    BIN=$(pgbin)
    if [ "$(id -u)" = 0 ]; then runuser -u groundwork-pg -- "$BIN/pg_ctl" -D "$PGDATA_DIR" stop -m fast >&2 || true
    else "$BIN/pg_ctl" -D "$PGDATA_DIR" stop -m fast >&2 || true; fi
    ;;
  restart)
    # fast: clients are disconnected and the server shuts down cleanly; immediate: it stops at once
    # (as in a crash) and recovers from its WAL on start. The start options are kept in postmaster.opts.
    MODE="${2:-fast}"
    case "$MODE" in fast|immediate) ;; *) echo "restart mode must be fast or immediate" >&2; exit 2 ;; esac
    BIN=$(pgbin)
    RUNAS=()
    if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u groundwork-pg --); fi
    "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -m "$MODE" restart >&2
    ;;
  *) echo "usage: $0 start|stop [port] | restart [fast|immediate]" >&2; exit 2 ;;
esac

# Start and stop a throwaway PostgreSQL server for the tests (sourced by test.sh).
# PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres user.
pg_start() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    if [ -z "$bin" ]; then
        echo "pg: no PostgreSQL server installed; PostgreSQL tests will skip" >&2
        return 0
    fi
    PG_DIR=$(mktemp -d /tmp/aiclear-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    local port=${AICLEAR_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    local run=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_DIR"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U aiclear --auth=trust >/dev/null
    "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
        -o "-k $PG_DIR -p $port -c listen_addresses=127.0.0.1" start >/dev/null
    "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U aiclear aiclear_test
    export AICLEAR_TEST_PG_URL="postgresql+psycopg://aiclear@127.0.0.1:$port/aiclear_test"
    PG_BIN=$bin
    PG_RUN=("${run[@]}")
    echo "pg: server on 127.0.0.1:$port" >&2
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ]; then
        "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}

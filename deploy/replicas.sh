#!/usr/bin/env bash
# Two (or more) dashboard replicas on one PostgreSQL store, behind nginx with sticky sessions.
#
#   deploy/replicas.sh start    create the database if missing, start the replicas and the proxy
#   deploy/replicas.sh stop     stop the proxy and the replicas started from the same RUN_DIR
#   deploy/replicas.sh status   what runs, and whether each answers
#
# Everything listens on 127.0.0.1 and runs as the current user; nothing is installed or written
# outside RUN_DIR. Settings (environment variables, with their defaults):
#   DATABASE_URL     postgresql+psycopg://postgres@127.0.0.1:5432/dashboard  (PostgreSQL only)
#   PROXY_PORT       8080              the address users open: http://127.0.0.1:PROXY_PORT
#   REPLICA_PORTS    "8501 8502"       one Streamlit server a port
#   RUN_DIR          ${TMPDIR:-/tmp}/tehran-dashboard-replicas-$UID  (pid files, logs, nginx.conf)
#   PYTHON           .venv/bin/python of this checkout
#   NGINX_BIN        nginx (found in PATH or /usr/sbin); not NGINX, which nginx itself reads
#   START_TIMEOUT    90                seconds to wait for each replica's /_stcore/health
#   MAX_BODY         70m               the largest upload the proxy lets through
# DASHBOARD_* variables (DASHBOARD_LIVE_SECONDS, DASHBOARD_SAMPLE, ...) pass through to the replicas;
# DASHBOARD_TRUSTED_PROXIES defaults to 127.0.0.1 (the proxy), whose X-Forwarded-For names the client.
set -euo pipefail
unset NGINX  # nginx takes this variable for sockets handed over by a running nginx

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/deploy/nginx-dashboard.conf"
DATABASE_URL="${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/dashboard}"
PROXY_PORT="${PROXY_PORT:-8080}"
REPLICA_PORTS="${REPLICA_PORTS:-8501 8502}"
RUN_DIR="${RUN_DIR:-${TMPDIR:-/tmp}/tehran-dashboard-replicas-$(id -u)}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
START_TIMEOUT="${START_TIMEOUT:-90}"
MAX_BODY="${MAX_BODY:-70m}"
STARTED=()  # pid files of what this start launched: a start that fails stops these, and only these

say() { printf '%s\n' "$*"; }
fail() {
    # $1 Persian, $2 English
    printf '%s / %s\n' "$1" "$2" >&2
    exit 1
}

find_nginx() {
    if [ -n "${NGINX_BIN:-}" ]; then
        printf '%s' "$NGINX_BIN"
    elif command -v nginx >/dev/null 2>&1; then
        command -v nginx
    elif [ -x /usr/sbin/nginx ]; then
        printf '%s' /usr/sbin/nginx
    else
        fail "nginx نصب نیست؛ با «apt-get install -y nginx» نصبش کنید" \
            "nginx is not installed; install Debian's package with 'apt-get install -y nginx'"
    fi
}

healthy() {
    # $1 base URL: true when /_stcore/health answers «ok»
    "$PYTHON" - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=2) as r:
    sys.exit(0 if r.status == 200 and r.read().strip() == b"ok" else 1)
EOF
}

alive() {
    # $1 pid file: true when the process it names runs
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

port_taken() {
    "$PYTHON" - "$1" <<'EOF' >/dev/null 2>&1
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: a closing socket is no obstacle
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}

create_database() {
    # the database named in DATABASE_URL, created on the same server when missing
    "$PYTHON" - "$DATABASE_URL" <<'EOF'
import sys
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1])
if not url.drivername.startswith("postgresql") or not url.database:
    print(f"DATABASE_URL باید یک پایگاه PostgreSQL را نام ببرد / DATABASE_URL must name a PostgreSQL database: {url!r}",
          file=sys.stderr)
    sys.exit(2)
admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
try:
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}).first()
        if found is None:
            name = url.database.replace('"', '""')
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            print(f"پایگاه داده «{url.database}» ساخته شد / created the database '{url.database}'")
except Exception as exc:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    print(f"به PostgreSQL در {url.host}:{url.port or 5432} وصل نشدم؛ روشن بودن کارگزار و DATABASE_URL را بررسی کنید "
          f"/ could not reach PostgreSQL at {url.host}:{url.port or 5432} ({reason}); check the server and DATABASE_URL",
          file=sys.stderr)
    sys.exit(2)
EOF
}

write_nginx_conf() {
    local servers=() port
    for port in $REPLICA_PORTS; do
        servers+=("server 127.0.0.1:$port max_fails=1 fail_timeout=10s;")
    done
    mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"
    "$PYTHON" - "$TEMPLATE" "$RUN_DIR/nginx.conf" "$RUN_DIR" "$(id -un)" "127.0.0.1:$PROXY_PORT" "$MAX_BODY" \
        "${servers[@]}" <<'EOF'
import sys
template, out, run_dir, user, listen, max_body, *servers = sys.argv[1:]
text = open(template, encoding="utf-8").read()
values = {
    "@@RUN_DIR@@": run_dir,
    "@@USER@@": user,
    "@@LISTEN@@": listen,
    "@@UPSTREAM_SERVERS@@": "\n        ".join(servers),
    "@@MAX_BODY@@": max_body,
}
for key, value in values.items():
    text = text.replace(key, value)
open(out, "w", encoding="utf-8").write(text)
EOF
}

start_replica() {
    local port="$1" pidfile="$RUN_DIR/replica-$1.pid" log="$RUN_DIR/logs/replica-$1.log"
    if alive "$pidfile"; then
        say "نسخهٔ $port از پیش روشن است / the replica on port $port already runs"
        return
    fi
    if port_taken "$port"; then
        fail "درگاه $port را برنامهٔ دیگری گرفته است؛ REPLICA_PORTS را عوض کنید" \
            "port $port is taken by another program; choose other REPLICA_PORTS"
    fi
    # its own session (setsid), so stop can end it with all its children
    (
        cd "$ROOT"
        # the proxy on 127.0.0.1 names the client in X-Forwarded-For; the replicas believe it from there only
        DASHBOARD_TRUSTED_PROXIES="${DASHBOARD_TRUSTED_PROXIES:-127.0.0.1}"
        export DATABASE_URL STREAMLIT_SERVER_COOKIE_SECRET DASHBOARD_TRUSTED_PROXIES
        exec setsid "$PYTHON" -m streamlit run dashboard.py \
            --server.headless true --server.address 127.0.0.1 --server.port "$port" \
            --server.fileWatcherType none --server.runOnSave false --browser.gatherUsageStats false \
            </dev/null >>"$log" 2>&1
    ) &
    echo $! >"$pidfile"
    STARTED+=("$pidfile")
}

wait_healthy() {
    local port="$1" deadline=$((SECONDS + START_TIMEOUT))
    until healthy "http://127.0.0.1:$port"; do
        if ! alive "$RUN_DIR/replica-$port.pid"; then
            tail -n 30 "$RUN_DIR/logs/replica-$port.log" >&2 || true
            fail "نسخهٔ $port پیش از پاسخ دادن بسته شد؛ گزارشش در $RUN_DIR/logs/replica-$port.log است" \
                "the replica on port $port exited before answering; its log is $RUN_DIR/logs/replica-$port.log"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            fail "نسخهٔ $port در $START_TIMEOUT ثانیه پاسخ نداد؛ گزارشش را ببینید: $RUN_DIR/logs/replica-$port.log" \
                "the replica on port $port did not answer within $START_TIMEOUT s; see $RUN_DIR/logs/replica-$port.log"
        fi
        sleep 0.5
    done
}

cmd_start() {
    local nginx port
    nginx="$(find_nginx)"
    [ -x "$PYTHON" ] || fail "پایتون $PYTHON پیدا نشد؛ نخست «make venv» را اجرا کنید" \
        "no Python at $PYTHON; run 'make venv' first (or set PYTHON)"
    [ -n "$REPLICA_PORTS" ] || fail "REPLICA_PORTS خالی است" "REPLICA_PORTS is empty"
    # a start that fails half-way stops what it started
    trap 'status=$?; if [ "$status" -ne 0 ] && [ "${#STARTED[@]}" -gt 0 ]; then stop_all "${STARTED[@]}" || true; fi' EXIT
    mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp"
    chmod 700 "$RUN_DIR"
    if ! alive "$RUN_DIR/nginx.pid" && port_taken "$PROXY_PORT"; then
        fail "درگاه $PROXY_PORT را برنامهٔ دیگری گرفته است؛ PROXY_PORT را عوض کنید" \
            "port $PROXY_PORT is taken by another program; choose another PROXY_PORT"
    fi
    create_database
    # one cookie secret for every replica, so a cookie one signed is good on the others
    if [ ! -s "$RUN_DIR/cookie-secret" ]; then
        (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_hex(32))' >"$RUN_DIR/cookie-secret")
    fi
    STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$RUN_DIR/cookie-secret")"
    # every replica starts at once: the store's advisory locks let one migrate and load the sample data
    for port in $REPLICA_PORTS; do start_replica "$port"; done
    for port in $REPLICA_PORTS; do wait_healthy "$port"; done

    write_nginx_conf
    if alive "$RUN_DIR/nginx.pid"; then
        "$nginx" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -s reload 2>>"$RUN_DIR/logs/error.log"
    else
        if ! "$nginx" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" 2>>"$RUN_DIR/logs/error.log"; then
            tail -n 5 "$RUN_DIR/logs/error.log" >&2 || true
            fail "پیکربندی nginx پذیرفته نشد؛ $RUN_DIR/logs/error.log را ببینید" \
                "nginx refused its configuration; see $RUN_DIR/logs/error.log"
        fi
        "$nginx" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" 2>>"$RUN_DIR/logs/error.log"
        STARTED+=("$RUN_DIR/nginx.pid")
    fi
    local deadline=$((SECONDS + 15))
    until healthy "http://127.0.0.1:$PROXY_PORT"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            fail "پراکسی روی درگاه $PROXY_PORT پاسخ نداد؛ $RUN_DIR/logs/error.log را ببینید" \
                "the proxy on port $PROXY_PORT did not answer; see $RUN_DIR/logs/error.log"
        fi
        sleep 0.5
    done
    say "داشبورد آماده است: http://127.0.0.1:$PROXY_PORT (نسخه‌ها روی درگاه‌های $REPLICA_PORTS) / the dashboard is up at http://127.0.0.1:$PROXY_PORT (replicas on ports $REPLICA_PORTS)"
    say "گزارش‌ها / logs: $RUN_DIR/logs"
    trap - EXIT
}

stop_all() {
    # $@ pid files: ask each process to stop (nginx: QUIT, finishing what is in flight; a replica: TERM
    # to its whole session), wait up to 10 s for all of them together, then KILL what is left
    local pidfile pid pids=() i
    for pidfile in "$@"; do
        alive "$pidfile" || { rm -f "$pidfile"; continue; }
        pid="$(cat "$pidfile")"
        pids+=("$pid")
        if [ "${pidfile##*/}" = nginx.pid ]; then
            kill -QUIT "$pid" 2>/dev/null || true
        else
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for i in $(seq 1 40); do
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && break
            pid=""
        done
        [ -z "${pid:-}" ] && break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    rm -f "$@"
}

cmd_stop() {
    local files=()
    [ -e "$RUN_DIR/nginx.pid" ] && files+=("$RUN_DIR/nginx.pid")
    for pidfile in "$RUN_DIR"/replica-*.pid; do
        [ -e "$pidfile" ] && files+=("$pidfile")
    done
    [ "${#files[@]}" -gt 0 ] && stop_all "${files[@]}"
    say "نسخه‌ها و پراکسی متوقف شدند / the replicas and the proxy are stopped ($RUN_DIR)"
}

cmd_status() {
    local pidfile port state=0
    for pidfile in "$RUN_DIR"/replica-*.pid; do
        [ -e "$pidfile" ] || continue
        port="${pidfile##*/replica-}"
        port="${port%.pid}"
        if alive "$pidfile" && healthy "http://127.0.0.1:$port"; then
            say "نسخهٔ $port: پاسخ می‌دهد / replica $port: answers"
        else
            say "نسخهٔ $port: پاسخ نمی‌دهد / replica $port: not answering"
            state=1
        fi
    done
    if alive "$RUN_DIR/nginx.pid" && healthy "http://127.0.0.1:$PROXY_PORT"; then
        say "پراکسی $PROXY_PORT: پاسخ می‌دهد / proxy $PROXY_PORT: answers"
    else
        say "پراکسی $PROXY_PORT: پاسخ نمی‌دهد / proxy $PROXY_PORT: not answering"
        state=1
    fi
    return "$state"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    say "به‌کارگیری: deploy/replicas.sh start|stop|status / usage: deploy/replicas.sh start|stop|status" >&2
    exit 2
    ;;
esac

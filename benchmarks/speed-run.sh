#!/usr/bin/env bash
# Every figure of the README's speed table in one run, one after the other on a quiet machine:
#
#   benchmarks/speed-run.sh [OUT_DIR]      (default benchmarks/out/speed-run; about 20 minutes)
#
#   1. python -m benchmarks profile           one page view, server CPU and the browser, cold and warm
#   2. python -m benchmarks load --sessions 50 the dashboard (one process, SQLite) beside an empty page
#   3. deploy/replicas.sh on a fresh PostgreSQL database, then the same load test through the proxy
#   4. python -m benchmarks bigstore          the decade and neighbourhood-scale stores, both engines
#
# Each step's output is kept in OUT_DIR (NN-step.txt and its JSON), with the machine's load average
# before each step in OUT_DIR/run.log. A step that fails is logged and the next one still runs.
# Needs what `make test` installs (chromium, nginx) and PostgreSQL at TEST_POSTGRES_URL's server.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/benchmarks/out/speed-run}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PG_SERVER="${PG_SERVER:-postgresql+psycopg://postgres@127.0.0.1:5432}"
DB_NAME="dash_speed_run_$$"
mkdir -p "$OUT"
cd "$ROOT"

log() { printf '%s  %s  (load average %s)\n' "$(date -u +%FT%TZ)" "$*" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/run.log"; }

step() {
    # $1 name, then the command
    local name="$1"
    shift
    log "start $name"
    if "$@" >"$OUT/$name.txt" 2>&1; then log "done $name"; else log "FAILED $name (exit $?), see $OUT/$name.txt"; fi
}

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

: >"$OUT/run.log"
log "speed run at $(git rev-parse --short HEAD), $(nproc) cores"
step 01-profile "$PYTHON" -m benchmarks profile --keep "$OUT/profile-stacks"
step 02-load "$PYTHON" -m benchmarks load --sessions 50 --out "$OUT/load.json"

# two replicas behind nginx on a fresh PostgreSQL database, the sample data loaded on first start
PROXY_PORT="$(free_port)"
REPLICA_PORTS="$(free_port) $(free_port)"
RUN_DIR="$OUT/replicas"
export PROXY_PORT REPLICA_PORTS RUN_DIR
export DATABASE_URL="$PG_SERVER/$DB_NAME" DASHBOARD_SAMPLE=1 DASHBOARD_LIVE_SECONDS=86400
step 03-replicas-start deploy/replicas.sh start
# the first page on each replica prepares it (engine, sample data): open each once before timing
for port in $REPLICA_PORTS; do
    "$PYTHON" -m benchmarks load --sessions 1 --duration 1 --no-baseline --url "http://127.0.0.1:$port" \
        --out "$OUT/replica-warm-$port.json" >/dev/null 2>&1 || true
done
SAMPLED=()  # the replicas' processes: their memory and CPU, not the proxy's
for port in $REPLICA_PORTS; do SAMPLED+=(--server-pid "$(cat "$RUN_DIR/replica-$port.pid")"); done
step 04-load-replicas "$PYTHON" -m benchmarks load --sessions 50 --no-baseline --url "http://127.0.0.1:$PROXY_PORT" \
    "${SAMPLED[@]}" --out "$OUT/load-replicas.json"
for pid in $(pgrep -f "streamlit run dashboard.py.*--server.port" || true); do  # each replica's peak memory
    printf '%s %s %s\n' "$pid" "$(grep VmHWM "/proc/$pid/status" 2>/dev/null)" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
done >"$OUT/replicas-rss.txt"
step 05-replicas-stop deploy/replicas.sh stop
"$PYTHON" - "$PG_SERVER/postgres" "$DB_NAME" <<'EOF' || log "could not drop $DB_NAME"
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], isolation_level="AUTOCOMMIT")
with engine.connect() as conn:
    conn.execute(text(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)'))
EOF
unset DATABASE_URL DASHBOARD_SAMPLE DASHBOARD_LIVE_SECONDS

step 06-bigstore "$PYTHON" -m benchmarks bigstore --out "$OUT/bigstore.json"
log "speed run finished"

#!/usr/bin/env bash
# Load-test the thread page: a fresh database with one topic of 1,000 replies by 50 authors,
# gunicorn with 2 sync workers on loopback, wrk as the load. Results: bench/results/latest.md.
#
#   make bench                                   # embedded SQLite, local-memory cache
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 BENCH_REDIS_URL=redis://127.0.0.1:6379/0 make bench
#
# BENCH_POSTGRES names a server: the script drops and re-creates its database "forum_bench".
# Each page is loaded ROUNDS times (default 3), the pages taking turns, and the median round is
# reported, since one round on a shared 2-core machine can be off by a fifth. WRK_ARGS (default
# "-t1 -c8 -d15s --latency": one wrk thread leaves the cores to gunicorn) and BENCH_PORT (default
# 8101) change the load.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
RESULTS=bench/results
PORT_CACHED=${BENCH_PORT:-8101}
PORT_UNCACHED=$((PORT_CACHED + 1))
export WRK_ARGS=${WRK_ARGS:-"-t1 -c8 -d15s --latency"}
export ROUNDS=${ROUNDS:-3}

command -v wrk >/dev/null || { echo "bench: wrk is needed (Debian: apt-get install -y wrk)" >&2; exit 1; }
mkdir -p "$RESULTS"

export DJANGO_SETTINGS_MODULE=bench.settings
export SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export BENCH_RUN_ID="bench-$(date +%s)"
export LOG_LEVEL=ERROR
if [[ -n "${BENCH_POSTGRES:-}" ]]; then
    psql "$BENCH_POSTGRES/postgres" -qc 'DROP DATABASE IF EXISTS forum_bench' -c 'CREATE DATABASE forum_bench'
    export DATABASE_URL="$BENCH_POSTGRES/forum_bench"
else
    rm -f "$RESULTS"/bench.sqlite3*
    export DATABASE_URL="sqlite:///$PWD/$RESULTS/bench.sqlite3"
fi
if [[ -n "${BENCH_REDIS_URL:-}" ]]; then export REDIS_URL="$BENCH_REDIS_URL"; else unset REDIS_URL; fi
rm -rf "$RESULTS"/page-cache-*  # earlier runs' page caches (bench/settings.py)

echo "bench: migrating and seeding ($DATABASE_URL)"
$PY manage.py migrate --noinput -v 0
$PY -m bench.seed_data
$PY manage.py collectstatic --noinput -v 0
MEMBER_COOKIE=$($PY -m bench.member_session)

pids=()
declare -A master_pid
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

serve() {  # serve PORT PAGE_CACHE_SECONDS
    # --no-control-socket: gunicorn 27 otherwise gives every instance on the machine the same
    # control socket (~/.gunicorn/gunicorn.ctl), so the two servers here would share one.
    FORUM_PAGE_CACHE_SECONDS=$2 $GUNICORN config.wsgi --workers 2 --worker-class sync \
        --no-control-socket --bind "127.0.0.1:$1" --log-level warning &
    pids+=($!)
    master_pid[$1]=$!
}
serve "$PORT_CACHED" 300
serve "$PORT_UNCACHED" 0

for port in "$PORT_CACHED" "$PORT_UNCACHED"; do
    for _ in $(seq 50); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.2
    done
done

load() {  # load NAME PORT PATH ROUND [COOKIE]
    local url="http://127.0.0.1:$2$3" cookie="Cookie: ${5:-}" before after
    curl -fs -o /dev/null -H "$cookie" "$url" || { echo "bench: $url does not answer 200" >&2; exit 1; }
    wrk -t1 -c8 -d3s -H "$cookie" "$url" >/dev/null  # warm-up: imports, templates, caches
    echo "bench: round $4, $1 ($url)"
    # The CPU the server's processes (master and workers) spend on the run: steadier than
    # requests per second on a shared machine, and what the issue's targets are set in.
    before=$($PY -m bench.worker_cpu "${master_pid[$2]}")
    # shellcheck disable=SC2086
    wrk $WRK_ARGS -H "$cookie" "$url" > "$RESULTS/wrk-$1-$4.txt"
    after=$($PY -m bench.worker_cpu "${master_pid[$2]}")
    echo "worker_cpu_seconds: $($PY -c "print(round($after - $before, 2))")" >> "$RESULTS/wrk-$1-$4.txt"
    grep -E 'Requests/sec|Non-2xx|Socket errors' "$RESULTS/wrk-$1-$4.txt" || true
}
rm -f "$RESULTS"/wrk-*.txt
for round in $(seq "$ROUNDS"); do
    load trivial "$PORT_CACHED" /bench/trivial/ "$round"
    load topic-cached "$PORT_CACHED" /forums/topic/benchmark-topic/ "$round"
    load topic "$PORT_UNCACHED" /forums/topic/benchmark-topic/ "$round"
    load topic-member "$PORT_CACHED" /forums/topic/benchmark-topic/ "$round" "$MEMBER_COOKIE"
    load topic-deep "$PORT_UNCACHED" /forums/topic/benchmark-topic/page/40/ "$round"
    load index-cached "$PORT_CACHED" /forums/ "$round"
    load forum-cached "$PORT_CACHED" /forums/forum/benchmark/ "$round"
    load baseline "$PORT_UNCACHED" /bench/baseline/benchmark-topic/ "$round"
done

cleanup
trap - EXIT
$PY -m bench.report "$RESULTS"

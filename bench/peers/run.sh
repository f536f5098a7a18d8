#!/usr/bin/env bash
# Load-test two peer Django forums, Spirit and django-machina, the way bench/run.sh loads this
# project: the same data (one topic of 1,000 replies by 50 authors, the project's own bodies),
# gunicorn with 2 sync workers on loopback, wrk as the load, ROUNDS rounds, the median shown.
# Results: bench/results/peers/latest.md (and latest-<database>.md).
#
#   bench/peers/run.sh                           # SQLite files, local-memory cache
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 BENCH_REDIS_URL=redis://127.0.0.1:6379/1 \
#       bench/peers/run.sh
#
# Each peer gets its own venv under bench/results/peers/ (<peer>-venv), installed from PyPI with
# the exact pins of bench/peers/requirements-<peer>.txt, and re-made only when those change.
# BENCH_POSTGRES names a server: the script drops and re-creates the databases peers_spirit and
# peers_machina there. Per peer and page it reports req/s, latency, and the CPU milliseconds
# per request of the gunicorn processes (master + workers, from /proc), plus, on PostgreSQL,
# those of the database backends serving them. PEERS (default "spirit machina"), ROUNDS
# (default 3), WRK_ARGS (default "-t1 -c8 -d15s --latency") and BENCH_PEERS_PORT (default
# 8201; one port per peer from there) change the run. Takes about 5 minutes with the defaults
# (the first run also installs the venvs).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
OUT=bench/results/peers
PEERS=${PEERS:-"spirit machina"}
PORT=${BENCH_PEERS_PORT:-8201}
export WRK_ARGS=${WRK_ARGS:-"-t1 -c8 -d15s --latency"}
export ROUNDS=${ROUNDS:-3}

command -v wrk >/dev/null || { echo "peers: wrk is needed (Debian: apt-get install -y wrk)" >&2; exit 1; }
mkdir -p "$OUT"
rm -f "$OUT"/loads.jsonl "$OUT"/wrk-*.txt

export PYTHONPATH=$PWD  # bench.peers.* (settings, seeding) and bench.seed_data (the bodies)
export SECRET_KEY="bench-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export BENCH_RUN_ID="peers-$(date +%s)"
if [[ -n "${BENCH_POSTGRES:-}" ]]; then DATABASE=postgresql; else DATABASE=sqlite; fi
if [[ -n "${BENCH_REDIS_URL:-}" ]]; then export BENCH_REDIS_URL; else unset BENCH_REDIS_URL; fi

venv() {  # venv PEER: (re)create OUT/PEER-venv when its pins changed
    local dir="$OUT/$1-venv" pins="bench/peers/requirements-$1.txt"
    if [[ -x "$dir/bin/python" ]] && cmp -s "$pins" "$dir/pins.txt"; then return; fi
    echo "peers: installing $1 into $dir"
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check -r "$pins"
    cp "$pins" "$dir/pins.txt"
}

peer_env() {  # peer_env PEER: the environment of the peer's manage commands and server
    local db
    if [[ $DATABASE == postgresql ]]; then db="$BENCH_POSTGRES/peers_$1"; else
        db="sqlite:///$PWD/$OUT/$1/db.sqlite3"; fi
    echo "DJANGO_SETTINGS_MODULE=bench.peers.$1_settings PEER_RESULTS=$PWD/$OUT/$1 PEER_DATABASE=$db"
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

declare -A MASTER URL COOKIE ANON_COOKIE PEER_PORT
port=$PORT
for peer in $PEERS; do
    venv "$peer"
    py="$OUT/$peer-venv/bin/python"
    rm -rf "${OUT:?}/$peer"
    mkdir -p "$OUT/$peer"
    if [[ $DATABASE == postgresql ]]; then
        psql "$BENCH_POSTGRES/postgres" -qc "DROP DATABASE IF EXISTS peers_$peer" \
            -c "CREATE DATABASE peers_$peer"
    fi
    # shellcheck disable=SC2046
    export $(peer_env "$peer")
    echo "peers: $peer: migrating, seeding ($PEER_DATABASE)"
    "$py" -m django migrate --noinput -v 0
    "$py" -m bench.peers.seed "$peer"
    "$py" -m django collectstatic --noinput -v 0
    "$py" -m bench.peers.facts "$peer" > "$OUT/$peer/facts.json"
    "$py" -c 'import django, sys; print(sys.version.split()[0], django.get_version())' \
        > "$OUT/$peer/python-django.txt"
    URL[$peer]=$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["url"])' < "$OUT/$peer/facts.json")
    COOKIE[$peer]=$("$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["cookie"])' < "$OUT/$peer/facts.json")
    # machina gives every anonymous visitor a session: wrk, sending no cookie, makes a new one
    # each request. The anonymous visitor who keeps that cookie is loaded too.
    ANON_COOKIE[$peer]=$("$PYTHON" -c 'import json,sys; c=json.load(sys.stdin)["anonymous_cookie"]; print(c if "sessionid=" in c else "")' < "$OUT/$peer/facts.json")
    # --no-control-socket: gunicorn 27 otherwise gives every instance on the machine the same
    # control socket (~/.gunicorn/gunicorn.ctl).
    "$OUT/$peer-venv/bin/gunicorn" bench.peers.wsgi --workers 2 --worker-class sync \
        --no-control-socket --bind "127.0.0.1:$port" --log-level warning \
        --error-logfile "$OUT/$peer/gunicorn.log" &
    pids+=($!)
    MASTER[$peer]=$!
    PEER_PORT[$peer]=$port
    for _ in $(seq 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$port${URL[$peer]}" && break
        sleep 0.2
    done
    curl -fs -o /dev/null "http://127.0.0.1:$port${URL[$peer]}" \
        || { echo "peers: $peer does not answer 200 at ${URL[$peer]}" >&2; exit 1; }
    port=$((port + 1))
done
unset DJANGO_SETTINGS_MODULE PEER_RESULTS PEER_DATABASE

for round in $(seq "$ROUNDS"); do
    echo "peers: round $round of $ROUNDS"
    for peer in $PEERS; do
        pg=()
        if [[ $DATABASE == postgresql ]]; then pg=(--pg-db "peers_$peer"); fi
        "$PYTHON" bench/peers/load.py "$peer-anonymous" "$round" "${PEER_PORT[$peer]}" \
            "${URL[$peer]}" "${MASTER[$peer]}" "$OUT" "${pg[@]}"
        if [[ -n ${ANON_COOKIE[$peer]} ]]; then
            "$PYTHON" bench/peers/load.py "$peer-anonymous-returning" "$round" \
                "${PEER_PORT[$peer]}" "${URL[$peer]}" "${MASTER[$peer]}" "$OUT" \
                --cookie "${ANON_COOKIE[$peer]}" "${pg[@]}"
        fi
        "$PYTHON" bench/peers/load.py "$peer-member" "$round" "${PEER_PORT[$peer]}" \
            "${URL[$peer]}" "${MASTER[$peer]}" "$OUT" --cookie "${COOKIE[$peer]}" "${pg[@]}"
    done
done

cleanup
trap - EXIT
"$PYTHON" bench/peers/report.py "$OUT" "$DATABASE" "${BENCH_REDIS_URL:+redis}" $PEERS

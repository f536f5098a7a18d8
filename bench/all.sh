#!/usr/bin/env bash
# Every benchmark behind docs/performance.md, one after another at one commit, each on SQLite
# and on PostgreSQL + Redis; the outputs go to bench/results/all-<commit>/. About 105 minutes on
# the 2-core machine, which should run nothing else meanwhile (the figures are CPU times).
#
#   bash bench/all.sh
#   PG=postgres://postgres@127.0.0.1:5432 REDIS=redis://127.0.0.1:6379/0 WITH_PEERS=0 bash bench/all.sh
#
# Databases it drops and makes again on the PostgreSQL server: forum_bench, forum_writes,
# recount_bench, import_bench, grown_bench, search_bench, peers_spirit, peers_machina.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
REDIS=${REDIS:-redis://127.0.0.1:6379/0}
commit=$(git rev-parse --short HEAD)
out=bench/results/all-$commit
mkdir -p "$out"
git status --porcelain --untracked-files=no | grep -q . && echo "bench: uncommitted changes; the figures will not be those of $commit" >&2

step() {  # step NAME COMMAND...
    local name=$1
    shift
    echo "bench/all: $name"
    { echo "\$ $*"; echo "# commit $commit, $(date -u '+%Y-%m-%d %H:%M UTC')"; "$@"; } > "$out/$name.txt" 2>&1 \
        || { echo "bench/all: $name failed, see $out/$name.txt" >&2; exit 1; }
}

# run.sh's small forum, then its pages uncached through bench/grown_load.py, to compare the
# grown forum's with.
step load-sqlite bash bench/run.sh
cp bench/results/latest.md "$out/load-sqlite.md"
step small-load-sqlite env DATABASE_URL="sqlite:///$PWD/bench/results/bench.sqlite3" \
    "$PY" -m bench.grown_load --small
step load-postgres env BENCH_POSTGRES="$PG" BENCH_REDIS_URL="$REDIS" bash bench/run.sh
cp bench/results/latest.md "$out/load-postgres.md"
step small-load-postgres env DATABASE_URL="$PG/forum_bench" REDIS_URL="$REDIS" \
    "$PY" -m bench.grown_load --small

# The peers run none of our code: WITH_PEERS=0 leaves them out of a rerun.
if [[ "${WITH_PEERS:-1}" != 0 ]]; then
    step peers-sqlite bash bench/peers/run.sh
    step peers-postgres env BENCH_POSTGRES="$PG" BENCH_REDIS_URL="${REDIS%/*}/1" bash bench/peers/run.sh
fi

grown() {  # grown DATABASE_URL LABEL [REDIS_URL]
    export DJANGO_SETTINGS_MODULE=bench.grown_settings DATABASE_URL=$1
    step "grown-build-$2" "$PY" -m bench.grown_forum build
    step "grown-measure-$2" "$PY" -m bench.grown_forum measure -n 15
    step "grown-load-$2" env REDIS_URL="${3:-}" "$PY" -m bench.grown_load
    unset DJANGO_SETTINGS_MODULE DATABASE_URL
}
rm -f /tmp/grown_bench.sqlite3*
grown sqlite:////tmp/grown_bench.sqlite3 sqlite
psql "$PG/postgres" -qc 'DROP DATABASE IF EXISTS grown_bench' -c 'CREATE DATABASE grown_bench'
grown "$PG/grown_bench" postgres "$REDIS"

step recount-sqlite "$PY" bench/recount_bench.py sqlite --topics 100000
step recount-postgres "$PY" bench/recount_bench.py postgres --topics 100000 --server "$PG"

# Importing a bbPress export of a million replies (issue 14).
step import-sqlite "$PY" bench/import_bench.py sqlite
step import-postgres "$PY" bench/import_bench.py postgres --server "$PG"

# Search on a million posts, and the lists across forums' deep pages (issue 11).
for db in sqlite postgres; do
    step "search-build-$db" "$PY" bench/search_bench.py build "$db" --posts 1000000 --server "$PG"
    step "search-measure-$db" "$PY" bench/search_bench.py measure "$db" -n 30 --rebuild --server "$PG"
done

step writes-sqlite "$PY" -m bench.concurrent_replies
step writes-postgres "$PY" -m bench.concurrent_replies --postgres "$PG"

rm -f /tmp/page-sizes.sqlite3
step page-sizes env DATABASE_URL=sqlite:////tmp/page-sizes.sqlite3 \
    DJANGO_SETTINGS_MODULE=config.settings.test "$PY" -m bench.page_sizes
step avatar-memory "$PY" bench/avatar_memory.py
echo "bench/all: done; the outputs are in $out"

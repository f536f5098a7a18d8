#!/usr/bin/env bash
# Lighthouse on the thread, index and login pages, desktop and mobile: the production settings
# (bench/settings.py: plain HTTP on loopback) behind gunicorn, on a fresh SQLite database with
# the seeded guide and a few replies, Debian's Chromium headless. Prints the four scores of
# each run and writes them to bench/results/lighthouse.md (the reports beside it, as JSON).
#
#   bash bench/lighthouse.sh
#
# Lighthouse comes from npm (LIGHTHOUSE_VERSION, into .venv/lighthouse); LH_PORT (default
# 8121) is the server's port. Figures: docs/performance.md, "Lighthouse".
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-13.5.0}
PORT=${LH_PORT:-8121}
RESULTS=bench/results
CHROME=${CHROME_PATH:-$(command -v chromium || command -v chromium-browser)}
mkdir -p "$RESULTS"

LH=.venv/lighthouse/node_modules/.bin/lighthouse
if [[ ! -x "$LH" ]] || ! grep -q "\"version\": \"$LIGHTHOUSE_VERSION\"" \
        .venv/lighthouse/node_modules/lighthouse/package.json 2>/dev/null; then
    npm install --silent --no-audit --no-fund --prefix .venv/lighthouse "lighthouse@$LIGHTHOUSE_VERSION"
fi

export DJANGO_SETTINGS_MODULE=bench.settings
export SECRET_KEY="lighthouse-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export BENCH_RUN_ID="lighthouse-$(date +%s)"
export LOG_LEVEL=ERROR
export FORUM_SITE_URL="http://127.0.0.1:$PORT"
rm -f "$RESULTS"/lighthouse.sqlite3*
export DATABASE_URL="sqlite:///$PWD/$RESULTS/lighthouse.sqlite3"
unset REDIS_URL

$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY - <<'EOF'
import django

django.setup()
from accounts.models import User
from forum import services
from forum.models import Topic

guide = Topic.objects.get(slug="do-hip-thrusts-work-the-lower-back")
member = User.objects.create_user("erin", "erin@example.com", display_name="Erin")
for number in range(5):
    services.reply_create(topic=guide, author=member, body=f"Reply {number}: thank you!")
EOF

$GUNICORN config.wsgi --workers 2 --worker-class sync --no-control-socket \
    --bind "127.0.0.1:$PORT" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

pages=(
    "thread /forums/topic/do-hip-thrusts-work-the-lower-back/"
    "index /forums/"
    "login /accounts/login/"
)
{
    echo "| page | form factor | performance | accessibility | best practices | SEO |"
    echo "|---|---|---:|---:|---:|---:|"
} > "$RESULTS/lighthouse.md"
for entry in "${pages[@]}"; do
    read -r name path <<< "$entry"
    for form in desktop mobile; do
        preset=()
        [[ $form == desktop ]] && preset=(--preset=desktop)
        report="$RESULTS/lighthouse-$name-$form.json"
        CHROME_PATH="$CHROME" "$LH" "http://127.0.0.1:$PORT$path" "${preset[@]}" --quiet \
            --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
            --output=json --output-path="$report" >/dev/null
        $PY - "$report" "$name" "$form" >> "$RESULTS/lighthouse.md" <<'EOF'
import json
import sys

report, name, form = sys.argv[1:]
categories = json.load(open(report))["categories"]
scores = [round(categories[key]["score"] * 100) for key in
          ("performance", "accessibility", "best-practices", "seo")]
print(f"| {name} | {form} | " + " | ".join(map(str, scores)) + " |")
EOF
    done
done
cat "$RESULTS/lighthouse.md"

#!/usr/bin/env bash
# Load test (scripts/bench load): gunicorn serves kp_bench_district with the production
# settings (benchmarks/settings.py) on loopback; wrk, a second process, drives 50
# concurrent connections at the branch page and the member page (session cookie of the
# branch's secretary) and the results API (bearer token), 30 s each, then the same at the
# notifications inbox (the floor: what any signed-in page costs), and the figures go into
# benchmarks/results/district.json and RESULTS.md.
#   KAOPING_LOAD_CONNECTIONS (50), KAOPING_LOAD_DURATION (30s), KAOPING_LOAD_WORKERS (5)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-district}
server=${KAOPING_BENCH_SERVER:-postgres://postgres@127.0.0.1:5432}
export KAOPING_DATABASE_URL="$server/kp_bench_$scale"
export DJANGO_SETTINGS_MODULE=benchmarks.settings
export KAOPING_DATA_DIR=${KAOPING_DATA_DIR:-/tmp/kaoping-bench-data}
connections=${KAOPING_LOAD_CONNECTIONS:-50}
duration=${KAOPING_LOAD_DURATION:-30s}
workers=${KAOPING_LOAD_WORKERS:-5}
port=${KAOPING_LOAD_PORT:-8765}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
load_before=$(cut -d' ' -f1 /proc/loadavg)
mkdir -p "$KAOPING_DATA_DIR"
.venv/bin/python -m benchmarks.run migrate "$scale"
.venv/bin/python manage.py collectstatic --noinput -v 0
# Logins: a session for the first branch's secretary, a bearer token for the API.
read -r session token branch member < <(.venv/bin/python -m benchmarks.load_setup)
.venv/bin/gunicorn config.wsgi:application --workers "$workers" --bind "127.0.0.1:$port" \
  --access-logfile /dev/null --error-logfile "$KAOPING_DATA_DIR/gunicorn.log" --daemon \
  --pid "$KAOPING_DATA_DIR/gunicorn.pid"
trap 'kill "$(cat "$KAOPING_DATA_DIR/gunicorn.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/login/" && break
  sleep 0.2
done
base="http://127.0.0.1:$port"
run() {  # name url header
  # Warm up each worker, then measure.
  wrk -t2 -c"$connections" -d5s -H "$3" "$2" >/dev/null
  wrk -t2 -c"$connections" -d"$duration" -H "$3" -s benchmarks/wrk_report.lua "$2" |
    sed -n "s|^JSON |{\"name\": \"$1\", |p"
}
{
  run "branch page /branches/$branch/" "$base/branches/$branch/" "Cookie: sessionid=$session"
  run "member page /members/$member/" "$base/members/$member/" "Cookie: sessionid=$session"
  run "results API /api/years/2026/results?branch=$branch" \
    "$base/api/years/2026/results?branch=$branch" "Authorization: Bearer $token"
  # Not a target: the machine's floor, a signed-in page that does little (session, user,
  # roles, navigation), to read the three figures above against on a shared machine.
  run "floor: notifications inbox /notifications/" "$base/notifications/" \
    "Cookie: sessionid=$session"
} > "$KAOPING_DATA_DIR/load.jsonl"
cat "$KAOPING_DATA_DIR/load.jsonl"
.venv/bin/python -m benchmarks.load_setup record "$scale" "$connections" "$duration" \
  "$workers" "$load_before" < "$KAOPING_DATA_DIR/load.jsonl"

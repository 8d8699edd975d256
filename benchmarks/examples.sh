#!/usr/bin/env bash
# The example bundles' contract as another system runs it (docs/../bundle.md): on a new,
# empty SQLite file, `kaoping import-bundle`, `compute` and `results --json`, each a fresh
# process; prints each step's wall time and peak memory (GNU time) and the total.
# Usage: benchmarks/examples.sh [EXAMPLES_DIR]   (default ../shared/examples)
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-../shared/examples}
kaoping=.venv/bin/kaoping
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for bundle in "$examples"/*.bundle.json; do
  name=$(basename "$bundle" .bundle.json)
  export KAOPING_DATABASE_URL="sqlite:///$work/$name.sqlite3"
  year=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["year"])' "$bundle")
  start=$(date +%s.%N)
  for step in "import-bundle $bundle" "compute --year $year" "results --year $year --json"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "$name  %e s  %M KB  ${step%% *}" $kaoping $step >"$work/out" 2>"$work/err" \
      || { cat "$work/err"; exit 1; }
    tail -n1 "$work/err"
  done
  echo "$name  total $(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$start") s"
  python3 -c '
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print("  results:", len(got["members"]), "members; expected", len(want["members"]))' "$work/out" "$examples/$name.results.json"
done

#!/usr/bin/env bash
# The annual report and the operations commands at scale (issue 15):
# 100,000 posts (the 10k corpus ten times over, about 17,000 a year), a
# year of page views for every post (about 6 million day rows), on SQLite.
# Prints the time of the annual report as JSON and as a workbook, of
# `portal archive` for one year, of `portal export`, and of `portal check`.
# Usage: bench/annual-report.sh [posts (100000)]
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-100000}
bin=target/release/portal
cargo build --release --locked -p portal
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
export PORTAL_DATA_DIR="$dir/data" PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn PORTAL_BACKUP_KEEP=0 PORTAL_TWO_FACTOR_ROLES=
unset PORTAL_DATABASE_URL
python3 - "$posts" "$dir/corpus.jsonl" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
lines = open("../shared/bench/corpus/articles-10k.jsonl", encoding="utf-8").read().splitlines()
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        rec = json.loads(lines[i % len(lines)])
        rec["external_id"] = f"{rec.get('external_id', 'x')}-{i // len(lines)}"
        if i >= len(lines):
            rec["title"] = f"{rec['title']} ({i // len(lines)})"
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
PY
"$bin" import posts --file "$dir/corpus.jsonl" >/dev/null
year=2025
# A year of views: every post of the year read on 1 to 365 days.
python3 - "$dir/data/portal.db" "$year" <<'PY'
import random, sqlite3, sys, datetime
db, year = sqlite3.connect(sys.argv[1]), int(sys.argv[2])
ids = [r[0] for r in db.execute("SELECT id FROM posts")]
start = datetime.date(year, 1, 1)
rows = []
random.seed(15)
for pid in ids:
    for d in random.sample(range(365), random.randint(1, 120)):
        rows.append(("post", pid, (start + datetime.timedelta(days=d)).isoformat(), random.randint(1, 500)))
db.executemany("INSERT INTO page_views (kind, item_id, day, views) VALUES (?,?,?,?)", rows)
db.commit()
print(f"page-view rows: {len(rows):,}")
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
PORTAL_LISTEN="127.0.0.1:$port" "$bin" serve >/dev/null 2>&1 &
until curl -fs -o /dev/null "$base/readyz"; do sleep 0.1; done
token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PORTAL_ADMIN_PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
for format in json xlsx; do
  for run in 1 2 3; do
    t=$(curl -s -o "$dir/report.$format" -w '%{time_total}' -H "Authorization: Bearer $token" "$base/api/v1/reports/annual?year=$year&format=$format")
    echo "annual report $year ($format), run $run: ${t} s, $(stat -c %s "$dir/report.$format") bytes"
  done
done
timed() {
  local label=$1; shift
  local start; start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  echo "$label: $(echo "$(date +%s.%N) - $start" | bc) s"
}
timed "portal archive --year $year ($(python3 -c "import json; print(json.load(open('$dir/report.json'))['tables'][3]['rows'])" 2>/dev/null || echo '?') posts)" \
  "$bin" archive --year "$year" --to "$dir/archive"
timed "portal export (all records)" "$bin" export --to "$dir/export"
echo "export size: $(du -sh "$dir/export" | cut -f1)"
timed "portal check" "$bin" check

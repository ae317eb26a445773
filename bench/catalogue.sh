#!/usr/bin/env bash
# The Office's catalogue at the size of the national database (issue 12):
# 6,000 procedures made from the demo ones (varied codes, names, fields,
# tiers), imported and published with `portal import procedures` into a
# fresh SQLite portal (release build): time and peak memory. Then the
# section 11 list with a filter under wrk (32 connections), with and
# without the page cache, and one procedure page.
# Usage: bench/catalogue.sh [count] [duration]   (default 6000 20s)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-6000}
duration=${2:-20s}
bin=target/release/portal
cargo build --release --locked -p portal
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
export PORTAL_DATA_DIR="$dir/data" PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn
unset PORTAL_DATABASE_URL
python3 - "$count" content/src/seed/demo/procedures.jsonl > "$dir/procedures.jsonl" <<'PY'
import json, sys
count, path = int(sys.argv[1]), sys.argv[2]
demo = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
fields = ["Thu bảo hiểm xã hội", "Cấp sổ, thẻ", "Thực hiện chính sách bảo hiểm xã hội", "Bảo hiểm y tế", "Bảo hiểm thất nghiệp", "Giám định", "Kiểm tra"]
tiers = ["central", "provincial", "local"]
for i in range(count):
    p = dict(demo[i % len(demo)])
    p["code"] = f"2.{i:06d}"
    p["name"] = f"{p['name']} (trường hợp {i + 1})"
    p["field"] = fields[i % len(fields)]
    p["tier"] = tiers[i % 3]
    p["online_level"] = ["full", "partial", "none"][i % 3]
    print(json.dumps(p, ensure_ascii=False))
PY
"$bin" migrate >/dev/null
/usr/bin/time -v "$bin" import procedures --file "$dir/procedures.jsonl" --publish 2> "$dir/time.txt"
echo "peak memory of the import: $(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); printf "%.0f MB", $2/1024}' "$dir/time.txt")"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
run() {
  local label=$1 path=$2
  local out
  out=$(wrk -t2 -c32 -d"$duration" --latency "$base$path")
  printf '%-36s %10s req/s   p50 %8s   p99 %8s\n' "$label" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
list="/vi/thu-tuc-hanh-chinh-bao-hiem-xa-hoi?field=B%E1%BA%A3o+hi%E1%BB%83m+y+t%E1%BA%BF&tier=local"
for cache in 10000 0; do
  PORTAL_LISTEN="127.0.0.1:$port" PORTAL_PAGE_CACHE_ENTRIES=$cache "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "$base/readyz"; do sleep 0.05; done
  entry=$(curl -s "$base$list" | grep -o 'href="/vi/thu-tuc-hanh-chinh-bao-hiem-xa-hoi/[^"]*"' | head -1 | cut -d'"' -f2)
  mode=$([ "$cache" = 0 ] && echo "no cache" || echo "cache")
  run "list, field + tier filter, $mode" "$list"
  run "procedure page, $mode" "$entry"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

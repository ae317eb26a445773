#!/usr/bin/env bash
# Search benchmarks (issue 5), with the shared corpus repeated to N
# documents (default 100,000) with varied ids and dates:
#   1. in-process: index build throughput, index size, query p50/p99, with
#      the sector synonym dictionary and without
#      (target/release/search);
#   2. `portal reindex` throughput from a SQLite database holding N posts
#      (imported with `portal import posts`);
#   3. HTTP: GET /api/v1/search under wrk (2 threads, 32 connections) from
#      a second process, cached and uncached, with the server's memory
#      before and after.
# Usage: bench/search.sh [documents] [duration]   (default 100000 20s)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
duration=${2:-20s}
corpus=../shared/bench/corpus/articles-10k.jsonl
queries=$(realpath ../shared/bench/corpus/queries.txt)
cargo build --release --locked -p portal -p portal-bench
bin=target/release/portal
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
export PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn PORTAL_DATA_DIR="$dir/data"
unset PORTAL_DATABASE_URL

echo "== in-process ($n documents)"
target/release/search "$n" "$corpus" "$queries" 5

echo "== portal reindex ($n posts in SQLite)"
python3 - "$corpus" "$n" > "$dir/posts.jsonl" <<'PY'
import datetime, json, sys
base = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
for i in range(int(sys.argv[2])):
    d = dict(base[i % len(base)])
    rep = i // len(base)
    d["external_id"] = f"bench-{i}"
    if rep:
        d["title"] = f'{d["title"]} ({rep + 1})'
        t = datetime.datetime.fromisoformat(d["published_at"]) - datetime.timedelta(weeks=9 * rep)
        d["published_at"] = t.isoformat()
    print(json.dumps(d, ensure_ascii=False))
PY
start=$(date +%s.%N)
"$bin" import posts --file "$dir/posts.jsonl" 2>&1 | tail -1
echo "import took $(python3 -c "import sys; print(round($(date +%s.%N) - $start, 1))") s"
"$bin" reindex 2>/dev/null
du -sh "$dir/data/search" | awk '{print "index directory: " $1}'

echo "== HTTP GET /api/v1/search (wrk -t2 -c32 -d$duration)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORTAL_LISTEN="127.0.0.1:$port" "$bin" serve >/dev/null 2>&1 &
pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/search?q=bao+hiem"; do sleep 0.1; done
# A rebuild records as its cursor the change log as it stood 10 s before
# (entries still committing are replayed, see changelog::settled_head), so
# a server started right after the import replays its last seconds, and
# each of those commits empties the result cache: measure once settled.
sleep 30
echo "server memory before load: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status) MB"
echo "-- the 200 queries in turn, after one warm-up round (so answered from the result cache)"
while read -r line; do
  [ -n "$line" ] && curl -fs -o /dev/null -G --data-urlencode "q=$line" -d edition=vi "http://127.0.0.1:$port/api/v1/search"
done < "$queries"
SEARCH_QUERIES="$queries" wrk -t2 -c32 -d"$duration" --latency -s bench/search.lua "http://127.0.0.1:$port" \
  | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in"
echo "-- random page and page size: nearly every request runs the engine"
SEARCH_VARY=1 SEARCH_QUERIES="$queries" wrk -t2 -c32 -d"$duration" --latency -s bench/search.lua "http://127.0.0.1:$port" \
  | grep -E "Requests/sec|Non-2xx|50%|90%|99%|requests in"
echo "server memory after load: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status) MB (peak $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB)"

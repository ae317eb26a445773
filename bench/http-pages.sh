#!/usr/bin/env bash
# Public page throughput (issue 4): imports the 10,000-article corpus into
# a fresh SQLite portal (release build), then measures with wrk (32
# connections, 20 s) an article page, a section page and the home page,
# with and without the page cache, plus /healthz as the hello-world ceiling.
# Usage: bench/http-pages.sh [duration]   (default 20s)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}
bin=target/release/portal
cargo build --release --locked -p portal
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
export PORTAL_DATA_DIR="$dir" PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn
unset PORTAL_DATABASE_URL
start=$(date +%s.%N)
"$bin" import posts --file ../shared/bench/corpus/articles-10k.jsonl
echo "import wall time: $(echo "$(date +%s.%N) - $start" | bc) s"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
run() {
  local label=$1 path=$2
  local out
  out=$(wrk -t2 -c32 -d"$duration" --latency "$base$path")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$label" "$rps" "$p50" "$p99"
}
for cache in 10000 0; do
  PORTAL_LISTEN="127.0.0.1:$port" PORTAL_PAGE_CACHE_ENTRIES=$cache "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "$base/readyz"; do sleep 0.05; done
  article=$(curl -s "$base/vi/tin-tuc" | grep -o 'href="/vi/tin-tuc/[^"]*"' | head -1 | cut -d'"' -f2)
  mode=$([ "$cache" = 0 ] && echo "no cache" || echo "cache")
  run "hello world (/healthz)" /healthz
  run "article, $mode" "$article"
  run "section, $mode" /vi/tin-tuc
  run "home, $mode" /vi/
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

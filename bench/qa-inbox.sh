#!/usr/bin/env bash
# Coordinator inbox with 100,000 questions (issue 6): fills a SQLite
# portal with `target/release/questions` (most closed, the rest open at
# every stage), then measures the coordinator's inbox — open questions,
# overdue first — as JSON (GET /api/v1/qa/questions) and as the editor page
# (GET /editor/qa) with wrk (2 threads, 8 connections). Target: p99 < 50 ms.
# Usage: bench/qa-inbox.sh [questions] [duration]   (default 100000 10s)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
duration=${2:-10s}
cargo build --release --locked -p portal -p portal-bench
bin=target/release/portal
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
export PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn PORTAL_DATA_DIR="$dir/data"
unset PORTAL_DATABASE_URL
mkdir -p "$dir/data"
target/release/questions "sqlite://$dir/data/portal.db?mode=rwc" "$n"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORTAL_LISTEN="127.0.0.1:$port" "$bin" serve >/dev/null 2>&1 &
until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
token=$(curl -fs -H 'content-type: application/json' -d '{"username":"admin","password":"Do-hieu-nang:suong-som-tren-doi-che-2026"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
open=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/qa/questions?limit=1000" \
  | python3 -c 'import json,sys; q=json.load(sys.stdin); print(len(q), "listed,", sum(1 for x in q if x["clocks"]["overall"]=="overdue"), "overdue first")')
echo "$n questions; inbox: $open"
for path in /api/v1/qa/questions /editor/qa; do
  echo "== GET $path"
  wrk -t2 -c8 -d"$duration" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" \
    | grep -E "Requests/sec|Non-2xx|50%|99%"
done

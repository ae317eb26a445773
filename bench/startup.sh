#!/usr/bin/env bash
# Start-up time: from launching `portal serve` on an already migrated
# SQLite database to the first `GET /readyz` answering 200.
# Usage: bench/startup.sh [runs]   (PORTAL_BIN overrides the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
bin=${PORTAL_BIN:-target/release/portal}
[ -x "$bin" ] || cargo build --release --locked -p portal
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export PORTAL_DATA_DIR="$dir" PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn
unset PORTAL_DATABASE_URL
"$bin" migrate >/dev/null 2>&1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export PORTAL_LISTEN="127.0.0.1:$port"
times=()
for _ in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.002; done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  times+=($(( (end - start) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk -v runs="$runs" '
  { t[NR] = $1 }
  END { printf "startup to /readyz=200 over %d runs: min %.1f ms, median %.1f ms, max %.1f ms\n", runs, t[1]/1000, t[int((NR+1)/2)]/1000, t[NR]/1000 }'

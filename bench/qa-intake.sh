#!/usr/bin/env bash
# Question intake under load (issue 6): POST /api/v1/qa/questions from
# target/release/intake (32 connections, each waiting for its answer, none
# abandoned at the deadline) with the rate limit off, on SQLite and on
# PostgreSQL; then counts the questions stored, which must equal the
# acknowledged (201) answers exactly.
# Usage: bench/qa-intake.sh [duration]   (default 20s)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}
bin=target/release/portal
cargo build --release --locked -p portal -p portal-bench
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"; psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS bench_intake" >/dev/null 2>&1 || true' EXIT
export PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn PORTAL_QA_RATE_LIMIT_PER_HOUR=0
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS bench_intake" -c "CREATE DATABASE bench_intake"
for db in sqlite postgres; do
  export PORTAL_DATA_DIR="$dir/$db"
  if [ "$db" = postgres ]; then export PORTAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_intake; else unset PORTAL_DATABASE_URL; fi
  PORTAL_LISTEN="127.0.0.1:$port" "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.05; done
  out=$(target/release/intake "http://127.0.0.1:$port" "${duration%s}" 32)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$db" = postgres ]; then
    stored=$(psql -tA -h 127.0.0.1 -U postgres -d bench_intake -c "SELECT count(*) FROM questions")
  else
    stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from questions').fetchone()[0])" "$dir/$db/portal.db")
  fi
  printf '%-9s %s  stored %s\n' "$db" "$out" "$stored"
done

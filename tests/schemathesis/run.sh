#!/usr/bin/env bash
# The API against its own OpenAPI description: schemathesis with every
# check, against a running portal signed in as an administrator. Any
# finding fails. Operations that would end the run's own session (log out,
# change or reset passwords, enrol a second factor) are left out; their
# behaviour is covered by the end-to-end tests.
# Usage: tests/schemathesis/run.sh [max examples per operation]
set -euo pipefail
cd "$(dirname "$0")/../.."
examples=${1:-10}
bin=${PORTAL_BIN:-target/debug/portal}
[ -x "$bin" ] || cargo build --locked -p portal
command -v schemathesis >/dev/null || { echo "schemathesis is needed (pip install schemathesis)"; exit 1; }
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
password='Kiểm thử giao diện lập trình: trăng rằm tháng tám 2026'
PORTAL_DATA_DIR="$dir" PORTAL_LISTEN="127.0.0.1:$port" PORTAL_ADMIN_PASSWORD="$password" \
  PORTAL_TWO_FACTOR_ROLES="" PORTAL_QA_RATE_LIMIT_PER_HOUR=0 PORTAL_LOG=warn \
  "$bin" serve > "$dir/portal.log" 2>&1 &
for _ in $(seq 1 300); do curl -fs -o /dev/null "$base/readyz" && break; sleep 0.1; done
token=$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"username\": \"admin\", \"password\": \"$password\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
schemathesis --config-file tests/schemathesis/schemathesis.toml run "$base/api/openapi.json" \
  --checks all \
  -H "Authorization: Bearer $token" \
  --exclude-path /auth/logout \
  --exclude-path /me/password \
  --exclude-path '/users/{id}/reset-password' \
  --exclude-path /auth/two-factor/enrol \
  --exclude-path /auth/two-factor/confirm \
  --exclude-path '/users/{id}/two-factor/reset' \
  --max-examples "$examples" --seed "${SEED:-1}" --generation-database none --workers 1 \
  --request-timeout 20

#!/usr/bin/env bash
# Backup and restore at scale (issue 15): 100,000 posts (the 10k corpus
# ten times over) and about 1 GB of media originals on SQLite. Prints the
# time of a first and a second (incremental) backup, of a verified restore
# into an empty directory, and the article page's throughput and p99
# without the page cache before and during the backup.
# Usage: bench/backup.sh [posts (100000)] [media MB (1024)] [wrk duration (20s)]
set -euo pipefail
cd "$(dirname "$0")/.."
posts=${1:-100000}
media_mb=${2:-1024}
duration=${3:-20s}
bin=target/release/portal
cargo build --release --locked -p portal
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
export PORTAL_DATA_DIR="$dir/data" PORTAL_ADMIN_PASSWORD=Do-hieu-nang:suong-som-tren-doi-che-2026 PORTAL_LOG=warn PORTAL_BACKUP_KEEP=0
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
start=$(date +%s.%N)
"$bin" import posts --file "$dir/corpus.jsonl" >/dev/null
echo "import of $posts posts: $(echo "$(date +%s.%N) - $start" | bc) s"
python3 - "$dir/data/media/originals" "$media_mb" <<'PY'
import hashlib, os, sys
root, mb = sys.argv[1], int(sys.argv[2])
size = 4 * 1024 * 1024
for _ in range(max(1, mb // 4)):
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(root, sha[:2]), exist_ok=True)
    with open(os.path.join(root, sha[:2], sha), "wb") as f:
        f.write(data)
PY
echo "media originals: $(du -sh "$dir/data/media" | cut -f1)"
sync
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
PORTAL_LISTEN="127.0.0.1:$port" PORTAL_PAGE_CACHE_ENTRIES=0 "$bin" serve >/dev/null 2>&1 &
until curl -fs -o /dev/null "$base/readyz"; do sleep 0.1; done
article=$(curl -s "$base/vi/tin-tuc" | grep -o 'href="/vi/tin-tuc/[^"]*"' | head -1 | cut -d'"' -f2)
load() {
  local out
  out=$(wrk -t2 -c16 -d"$duration" --latency "$base$article")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
# Let the indexer finish its first pass over the corpus before measuring.
prev=-1
while :; do
  total=$(curl -s "$base/api/v1/search?q=bao+hiem" | python3 -c 'import sys,json
try: print(json.load(sys.stdin).get("total", 0))
except Exception: print(0)')
  [ "$total" = "$prev" ] && [ "$total" != 0 ] && break
  prev=$total; sleep 3
done
load "article, no cache, before"
start=$(date +%s.%N)
"$bin" backup --to "$dir/backups" | sed -n 1p
echo "first backup: $(echo "$(date +%s.%N) - $start" | bc) s"
# Full backups one after another (each into a new directory, so each
# copies the whole media pool) for the whole measuring window.
( i=0; while :; do i=$((i+1)); "$bin" backup --to "$dir/loop$i" >/dev/null 2>&1; rm -rf "$dir/loop$i"; done ) &
loop=$!
load "article, no cache, during backups"
kill "$loop" 2>/dev/null || true
wait "$loop" 2>/dev/null || true
start=$(date +%s.%N)
"$bin" backup --to "$dir/backups" | sed -n 1p
echo "second backup (incremental): $(echo "$(date +%s.%N) - $start" | bc) s"
first=$(ls -d "$dir"/backups/portal-* | head -1)
start=$(date +%s.%N)
PORTAL_DATA_DIR="$dir/restored" "$bin" restore --from "$first" | sed -n 1p
echo "verified restore into an empty directory: $(echo "$(date +%s.%N) - $start" | bc) s"

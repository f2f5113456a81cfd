#!/usr/bin/env bash
# Speed of the sync verb against a local upstream: one instance of the service seeded with JOBS jobs on a
# loopback port, mirrored into an empty SQLite file (first run), then twice more with nothing new, each in a new
# process that sends If-None-Match with the ETags the runs before stored in the mirror's database, then twice inside
# one --watch process.
#   tests/Benchmarks/sync.sh                 # 2,000 jobs
#   JOBS=10000 CONCURRENCY=8 tests/Benchmarks/sync.sh
# Release build; files under artifacts/sync (gitignored). Prints jobs/s and times; docs/performance.md has the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."

JOBS=${JOBS:-2000}
CONCURRENCY=${CONCURRENCY:-4}
PORT=${PORT:-5097}
DATA=${DATA:-artifacts/sync}
API=src/Orchestrator.Api/bin/Release/net10.0/Orchestrator.Api.dll
UPSTREAM="$PWD/$DATA/upstream-$JOBS.db"
MIRROR="$PWD/$DATA/mirror.db"
export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning

mkdir -p "$DATA"
dotnet build -c Release src/Orchestrator.Api -v quiet -nologo >/dev/null
if [[ ! -f "$UPSTREAM" ]]; then
  dotnet "$API" seed --jobs "$JOBS" --ConnectionStrings:Orchestrator="Data Source=$UPSTREAM"
fi
rm -f "$MIRROR" "$MIRROR-wal" "$MIRROR-shm"

# A token with the view permission, as a real upstream would want.
TOKEN_FILE="$DATA/token"
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$TOKEN_FILE"
HASH=$(dotnet "$API" hash-token - <"$TOKEN_FILE")
dotnet "$API" --urls "http://127.0.0.1:$PORT" --ConnectionStrings:Orchestrator="Data Source=$UPSTREAM" \
  --Auth:Tokens:0:Name=sync --Auth:Tokens:0:Sha256="$HASH" --Auth:Tokens:0:Permissions:0=orchestrator:view >"$DATA/upstream.log" 2>&1 &
upstream=$!
trap 'kill $upstream 2>/dev/null; wait $upstream 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done

sync() {
  local started ended
  started=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$DATA/rss.txt" dotnet "$API" sync --from "http://127.0.0.1:$PORT" --token-file "$TOKEN_FILE" \
    --concurrency "$CONCURRENCY" "$@" --ConnectionStrings:Orchestrator="Data Source=$MIRROR" 2>/dev/null | tail -n +2 | tee "$DATA/last.txt"
  ended=$(date +%s.%N)
  echo "  (process, start-up included: $(echo "$ended - $started" | bc) s; peak resident memory $(( $(cat "$DATA/rss.txt") / 1024 )) MB)"
}

echo "== first sync of $JOBS jobs into an empty mirror (concurrency $CONCURRENCY)"
sync
first=$(grep -o 'in [0-9.]* s' "$DATA/last.txt" | head -1 | awk '{ print $2 }')
echo "   $(echo "scale=0; $JOBS / $first" | bc) jobs/s"

echo "== second sync in a new process, nothing new (If-None-Match with the ETags the first run stored)"
sync

echo "== third sync in a new process, nothing new (the empty events pages' ETags stored by the second run too)"
sync

echo "== two runs in one --watch process"
dotnet "$API" sync --from "http://127.0.0.1:$PORT" --token-file "$TOKEN_FILE" --concurrency "$CONCURRENCY" --watch 1 \
  --ConnectionStrings:Orchestrator="Data Source=$MIRROR" >"$DATA/watch.txt" 2>/dev/null &
watcher=$!
for _ in $(seq 300); do [[ $(grep -c ' unchanged, ' "$DATA/watch.txt" || true) -ge 2 ]] && break; sleep 0.2; done
kill -TERM $watcher; wait $watcher || true
grep -E ' unchanged, |^Revalidated ' "$DATA/watch.txt"

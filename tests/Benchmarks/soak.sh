#!/usr/bin/env bash
# Soak run: a Release build on 127.0.0.1 over a seeded database, CONNECTIONS connections for DURATION seconds,
# with the server's resident memory sampled every 10 s. Bounded in time; sends traffic only to loopback.
#   bash tests/Benchmarks/soak.sh                      # 100k jobs, 128 connections, 5 minutes
#   JOBS=10000 DURATION=60 bash tests/Benchmarks/soak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

JOBS=${JOBS:-100000}
DURATION=${DURATION:-300}
CONNECTIONS=${CONNECTIONS:-128}
PORT=${PORT:-5098}
WORK=${WORK:-artifacts/soak}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
mkdir -p "$WORK"
db="$PWD/$WORK/soak-$JOBS.db"

dotnet publish src/Orchestrator.Api -c Release -o "$WORK/app" --nologo -v quiet
export ConnectionStrings__Orchestrator="Data Source=$db"
if [ ! -f "$db" ]; then
  echo "seeding $JOBS jobs into $db"
  dotnet "$WORK/app/Orchestrator.Api.dll" seed --jobs "$JOBS"
fi

ASPNETCORE_ENVIRONMENT=Production Auth__Mode=None ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
  Logging__LogLevel__Default=Warning dotnet "$WORK/app/Orchestrator.Api.dll" > "$WORK/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 1; done

# Warm-up, then the soak with memory sampled beside it.
wrk -t2 -c"$CONNECTIONS" -d20s -s tests/Benchmarks/soak.lua "http://127.0.0.1:$PORT" > /dev/null
( while kill -0 "$server" 2>/dev/null; do
    echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/$server/status)"; sleep 10
  done ) > "$WORK/rss.log" &
sampler=$!
SOAK_JOBS=$JOBS wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s tests/Benchmarks/soak.lua "http://127.0.0.1:$PORT" | tee "$WORK/wrk.log"
kill $sampler 2>/dev/null || true

echo "resident memory (KiB) every 10 s after warm-up:"
awk '{print $2}' "$WORK/rss.log" | paste -sd' '
awk 'NR==1 {first=$2} {last=$2; if ($2>max) max=$2} END {printf "first %d KiB, last %d KiB, peak %d KiB, growth %+.1f%%\n", first, last, max, (last-first)*100/first}' "$WORK/rss.log"

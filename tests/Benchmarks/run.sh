#!/usr/bin/env bash
# Load test of the jobs API against a Release build on 127.0.0.1, each scenario beside its framework ceiling.
#   tests/Benchmarks/run.sh                      # 10k, 100k and 1M jobs, 10 s per scenario, 64 connections
#   SCALES="10000" DURATION=5s tests/Benchmarks/run.sh
#   CACHE=off tests/Benchmarks/run.sh           # every request runs its handler (Database:DocumentCacheMb=0)
#   ONLY='first page|by id|limit 100' tests/Benchmarks/run.sh   # only the scenarios whose names match (grep -E)
# Databases are seeded once into artifacts/perf/jobs-<N>.db (gitignored) and reused. Needs wrk and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCALES=${SCALES:-"10000 100000 1000000"}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-5099}
DATA=${DATA:-artifacts/perf}
CACHE=${CACHE:-on}
CACHE_MB=64; [[ "$CACHE" == off ]] && CACHE_MB=0
BASE="http://127.0.0.1:$PORT"
API=src/Orchestrator.Api/bin/Release/net10.0/Orchestrator.Api.dll

mkdir -p "$DATA"
dotnet build -c Release src/Orchestrator.Api -v quiet -nologo >/dev/null

# wrk's latency figures come as 812.00us, 1.25ms or 1.01s: print milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }' <<<"$1"; }

# One wrk run: "requests/s p50 p99 non-2xx" on one line.
load() {
  local out
  out=$(wrk -t"$THREADS" -c"${CONNS:-$CONNECTIONS}" -d"$DURATION" --timeout 30s --latency ${LUA:+-s "$LUA"} "$1")
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  bad=$(awk '/Non-2xx/ { print $NF }' <<<"$out"); bad=${bad:-0}
  local errors; errors=$(awk '/Socket errors/ { gsub(/ /, ""); print }' <<<"$out")
  echo "$rps $p50 $p99 $bad${errors:+,$errors}"
}

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# Peak growth of the server's resident memory while it answers one request ten times in a row.
rss_growth() {
  local pid=$1 url=$2 base peak=0
  base=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  ( for _ in $(seq 10); do curl -sf -o /dev/null "$url"; done ) & local client=$!
  while kill -0 "$client" 2>/dev/null; do
    local now; now=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
    (( now > peak )) && peak=$now
    sleep 0.01
  done
  wait "$client"
  echo "$(( (peak - base) / 1024 )) MB (baseline $(( base / 1024 )) MB, peak $(( peak / 1024 )) MB)"
}

for jobs in $SCALES; do
  db="$DATA/jobs-$jobs.db"
  if [[ ! -f "$db" ]]; then
    echo "== seeding $jobs jobs into $db"
    dotnet "$API" seed --jobs "$jobs" --nodes-per-job 5 --events-per-node 2.2 --ConnectionStrings:Orchestrator="Data Source=$PWD/$db"
  fi

  # Auth:Mode=None: the benchmark measures the jobs API, not token checks (soak.sh does the same).
  ASPNETCORE_ENVIRONMENT=Production Auth__Mode=None dotnet "$API" --urls "$BASE" \
    --ConnectionStrings:Orchestrator="Data Source=$PWD/$db" --Benchmark:CeilingEndpoint=true \
    --Database:CommandTimeoutSeconds=60 --Database:DocumentCacheMb=$CACHE_MB --Logging:LogLevel:Default=Warning >"$DATA/server-$jobs.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  until curl -sf -o /dev/null "$BASE/orchestrator/v1/jobs?limit=1"; do sleep 0.5; done

  # The biggest job (the seeder gives one job in 10,000 over 10,000 nodes) and where its events end.
  big=$(sqlite3 "$db" "SELECT JobId FROM JobNodes GROUP BY JobId ORDER BY COUNT(*) DESC LIMIT 1")
  nodes=$(sqlite3 "$db" "SELECT COUNT(*) FROM JobNodes WHERE JobId = $big")
  poll=$(sqlite3 "$db" "SELECT MAX(Id) - 20 FROM NodeEvents WHERE JobId = $big")
  owner=$(sqlite3 "$db" "SELECT OwnerLogin FROM Jobs GROUP BY OwnerLogin ORDER BY COUNT(*) DESC LIMIT 1")
  deep=$(( jobs > 500020 ? 500000 : jobs / 2 ))

  scenarios=(
    "jobs first page|/orchestrator/v1/jobs?limit=20"
    "jobs timestamp desc|/orchestrator/v1/jobs?limit=20&order_by=timestamp&order=desc"
  )
  for by in owner environment name state; do
    for dir in asc desc; do scenarios+=("jobs $by $dir|/orchestrator/v1/jobs?limit=20&order_by=$by&order=$dir"); done
  done
  scenarios+=(
    "jobs owner=$owner|/orchestrator/v1/jobs?limit=20&owner=$owner"
    "jobs environment=staging|/orchestrator/v1/jobs?limit=20&environment=staging"
    "jobs state=failed|/orchestrator/v1/jobs?limit=20&state=failed"
    "jobs type=task|/orchestrator/v1/jobs?limit=20&type=task"
    "jobs owner+state desc|/orchestrator/v1/jobs?limit=20&owner=$owner&state=running&order=desc"
    "jobs deep offset=$deep|/orchestrator/v1/jobs?limit=20&offset=$deep"
    "job by id (random)|/orchestrator/v1/jobs/1"
    "nodes of $nodes-node job, limit 100|/orchestrator/v1/jobs/$big/nodes?limit=100"
    "nodes of $nodes-node job, unpaged|/orchestrator/v1/jobs/$big/nodes"
    "events?start= poll|/orchestrator/v1/jobs/$big/events?start=$poll"
    "report of $nodes-node job|/orchestrator/v1/jobs/$big/report"
  )

  cat >"$DATA/random-job.lua" <<LUA
math.randomseed(42)
request = function() return wrk.format("GET", "/orchestrator/v1/jobs/" .. math.random(1, $jobs)) end
LUA

  if [[ -n "${ONLY:-}" ]]; then
    kept=()
    for entry in "${scenarios[@]}"; do grep -qE "$ONLY" <<<"${entry%%|*}" && kept+=("$entry"); done
    scenarios=("${kept[@]}")
  fi

  # Tiered JIT: the first seconds of each code path run unoptimised code. Warm every scenario up first.
  for entry in "${scenarios[@]}"; do
    wrk -t1 -c4 -d"${WARMUP:-2s}" --timeout 30s "$BASE${entry#*|}" >/dev/null
  done

  echo
  echo "== $jobs jobs ($(du -h "$db" | cut -f1) database; big job $big with $nodes nodes), $CONNECTIONS connections, $DURATION each, document cache $CACHE"
  printf '| %-42s | %9s | %8s | %8s | %9s | %8s | %8s | %8s | %s |\n' scenario "req/s" "p50 ms" "p99 ms" "ceil req/s" "p50 ms" "p99 ms" "% ceil" "non-2xx"
  printf '|%s|\n' "--------------------------------------------|-----------|----------|----------|-----------|----------|----------|----------|--------"
  for entry in "${scenarios[@]}"; do
    name=${entry%%|*}; path=${entry#*|}
    curl -sf -o /dev/null "$BASE$path" || { echo "$name: $path failed"; exit 1; }
    ceiling="$BASE/benchmark/ceiling?path=$(urlencode "$path")"
    curl -sf -o /dev/null "$ceiling"
    LUA=""; [[ "$name" == "job by id (random)" ]] && LUA="$DATA/random-job.lua"
    # Whole 10,000-node documents take a quarter of a second each: 64 at once would only measure the queue.
    CONNS=""; [[ "$name" == *unpaged* || "$name" == report* ]] && CONNS=${HEAVY_CONNECTIONS:-4} && name="$name (${CONNS} conn.)"
    read -r rps p50 p99 bad <<<"$(load "$BASE$path")"
    LUA=""
    read -r crps cp50 cp99 cbad <<<"$(load "$ceiling")"
    printf '| %-42s | %9s | %8s | %8s | %10s | %8s | %8s | %7s%% | %s |\n' "$name" "$rps" "$p50" "$p99" "$crps" "$cp50" "$cp99" \
      "$(awk -v a="$rps" -v b="$crps" 'BEGIN { printf "%.0f", 100 * a / b }')" "$bad/$cbad"
  done

  echo "memory: /nodes unpaged of job $big ($nodes nodes), VmRSS growth: $(rss_growth "$server" "$BASE/orchestrator/v1/jobs/$big/nodes")"
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
done

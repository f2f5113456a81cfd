-- A dashboard-like mix of reads; each connection walks its own sequence of requests.
-- Counts every answer that is not 200 or 304, so the summary says how many there were.

local paths = {}
local counter = 0
local unexpected = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local jobs = tonumber(os.getenv("SOAK_JOBS") or "100000")
  math.randomseed(os.time() + math.random(1, 100000))
  local orders = { "timestamp", "owner", "environment", "name", "state" }
  for i = 1, 200 do
    local id = math.random(1, jobs)
    local order = orders[(i % #orders) + 1]
    local direction = (i % 2 == 0) and "asc" or "desc"
    table.insert(paths, "/orchestrator/v1/jobs?limit=20&order_by=" .. order .. "&order=" .. direction)
    table.insert(paths, "/orchestrator/v1/jobs?limit=20&state=running,failed")
    table.insert(paths, "/orchestrator/v1/jobs/" .. id)
    table.insert(paths, "/orchestrator/v1/jobs/" .. id .. "/nodes?limit=100")
    table.insert(paths, "/orchestrator/v1/jobs/" .. id .. "/events?start=1&limit=100")
    table.insert(paths, "/orchestrator/v1/jobs/" .. id .. "/report")
  end
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status ~= 200 and status ~= 304 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("unexpected") or 0)
  end
  io.write(string.format("requests: %d, errors: connect %d read %d write %d timeout %d, not 200/304: %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, total))
  io.write(string.format("latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; %.0f requests/s\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1000000)))
end

-- Every request a new user: thread t sends users t, t+threads, t+2*threads, ...
-- WRK_REQUEST_ID=1 adds a requestId to each.
local threads = {}
local id, step, n = 0, 1, 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  id = tonumber(wrk.thread:get("tid"))
  step = tonumber(os.getenv("WRK_THREADS") or "1")
  n = tonumber(os.getenv("WRK_USER_BASE") or "0")
end

local withRequestId = os.getenv("WRK_REQUEST_ID") == "1"

function request()
  n = n + 1
  local user = (n * step) + id
  if withRequestId then
    -- what a client that retries safely sends: every request its own id
    return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, '{"userId":' .. user .. ',"requestId":"w' .. user .. '"}')
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, '{"userId":' .. user .. '}')
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.1f %.1f %.1f\n", summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end

-- wrk script: send the session cookie, count non-2xx answers as errors and
-- print one JSON line with throughput and latency percentiles (milliseconds).
local cookie = os.getenv("BENCH_COOKIE") or ""
local extra = os.getenv("BENCH_HEADERS") or ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Cookie"] = cookie
  for name, value in string.gmatch(extra, "([^:;]+):([^;]*)") do
    wrk.headers[name] = value
  end
  bad = 0
end

function response(status, headers, body)
  if status < 200 or status >= 300 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
  end
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    socket_errors + bad_total, bad_total))
end

-- Prints wrk's figures as one JSON line (latencies in microseconds).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "requests": %d, ' ..
    '"seconds": %.3f, "errors": %d, "non_2xx_3xx": %d}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end

-- SPDX-License-Identifier: BSD-3-Clause
--
-- The wrk script of `unitune bench http` (bench/wrk.c runs
-- `wrk -s THIS URL -- GATE POLL_MS`). Two jobs:
--
-- 1. A start gate. No request leaves before the file GATE exists: each
--    connection's first request waits (wrk's delay() hook), polling for
--    the file every POLL_MS. The bench creates GATE once every
--    connection is set up on the host, so the handshakes that slirp's
--    listen backlog of 1 stalls for a second or more (DESIGN.md section
--    7) are over before anything is timed.
-- 2. The results as one machine-readable line (done() hook), so nothing
--    depends on wrk's human text:
--      unitune-wrk open_us=.. end_us=.. requests=.. bytes=.. ...
--    open_us is when the first thread saw the gate and end_us when wrk
--    summed up, both CLOCK_MONOTONIC microseconds: the bench divides by
--    their difference, not by wrk's own duration, which includes the
--    wait at the gate. Latencies are wrk's (microseconds).
--
-- wrk runs LuaJIT; the clock and access(2) come through its FFI.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } unitune_timespec;
int clock_gettime(int clock, unitune_timespec *ts);
int access(const char *path, int mode);
]]

local CLOCK_MONOTONIC = 1
local ts = ffi.new("unitune_timespec")

local function now_us()
	ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
	return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

-- Each thread's own state (wrk gives every thread a Lua state).
local gate, poll_ms
open_at = nil
local last_look = 0

function init(args)
	gate = args[1]
	poll_ms = tonumber(args[2]) or 2
end

-- Milliseconds before the next request: until the gate opens, the time to
-- the next look (one access() per thread per POLL_MS, however many
-- connections wait); 0 after.
function delay()
	if open_at then
		return 0
	end
	local now = now_us()
	if now - last_look >= poll_ms * 1000 then
		last_look = now
		if ffi.C.access(gate, 0) == 0 then
			open_at = now
			return 0
		end
	end
	return poll_ms
end

-- The main state keeps each thread to read its open_at at the end.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function done(summary, latency, requests)
	local first
	for _, t in ipairs(threads) do
		local at = t:get("open_at")
		if at and (not first or at < first) then
			first = at
		end
	end
	local e = summary.errors
	io.write(string.format(
		"unitune-wrk open_us=%d end_us=%d requests=%d bytes=%d " ..
		"duration_us=%d latency_p50_us=%d latency_p90_us=%d " ..
		"latency_p99_us=%d latency_max_us=%d errors_connect=%d " ..
		"errors_read=%d errors_write=%d errors_status=%d " ..
		"errors_timeout=%d\n",
		first or -1, now_us(), summary.requests, summary.bytes,
		summary.duration, latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, e.connect, e.read, e.write,
		e.status, e.timeout))
end

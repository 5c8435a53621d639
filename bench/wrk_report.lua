-- SPDX-License-Identifier: BSD-3-Clause
--
-- The wrk script of `unitune bench http` (bench/wrk.c runs
-- `wrk -s THIS URL -- GO_US`). Two jobs:
--
-- 1. A start time. No request leaves before GO_US (CLOCK_MONOTONIC
--    microseconds, chosen by the bench): each connection's first request
--    waits until then (wrk's delay() hook, which wrk asks once per
--    request for a delay in milliseconds). The connections are opened
--    at once when wrk starts; the wait gives the handshakes that
--    slirp's listen backlog of 1 stalls (DESIGN.md section 7) time to
--    finish before anything is timed. The bench counts how many did.
-- 2. The results as one machine-readable line (done() hook), so nothing
--    depends on wrk's human text:
--      unitune-wrk open_us=.. end_us=.. requests=.. bytes=.. ...
--    open_us is GO_US and end_us when wrk summed up, both
--    CLOCK_MONOTONIC microseconds: the bench divides by their
--    difference, not by wrk's own duration, which includes the wait.
--    Latencies are wrk's (microseconds).
--
-- wrk runs LuaJIT; the clock comes through its FFI.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } unitune_timespec;
int clock_gettime(int clock, unitune_timespec *ts);
]]

local CLOCK_MONOTONIC = 1
local ts = ffi.new("unitune_timespec")

local function now_us()
	ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
	return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

-- Each thread's own state (wrk gives every thread a Lua state).
go_us = nil

function init(args)
	go_us = tonumber(args[1])
end

-- Milliseconds before the next request: until GO_US, the time left
-- (rounded up, so nothing leaves early); 0 after.
function delay()
	local left = go_us - now_us()
	if left > 0 then
		return math.ceil(left / 1000)
	end
	return 0
end

-- The main state keeps each thread to read its go_us at the end.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function done(summary, latency, requests)
	local first
	for _, t in ipairs(threads) do
		first = first or t:get("go_us")
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

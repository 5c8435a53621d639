-- SPDX-License-Identifier: BSD-3-Clause
--
-- The wrk script of `unitune bench http` (bench/wrk.c runs
-- `wrk -s THIS URL -- GO_US SPACING_US`). Two jobs:
--
-- 1. Connections set up before timing starts. wrk opens all its
--    connections at once; slirp's forwarded port listens with a backlog
--    of 1 (DESIGN.md section 7), so the kernel completes two handshakes
--    and leaves the rest half-open until the SYN-ACK is sent again, 1,
--    3, 7 ... s later, or until the client sends data. So until GO_US
--    (CLOCK_MONOTONIC microseconds, chosen by the bench) requests leave
--    one at a time, SPACING_US apart: each connection's first request
--    completes its handshake while the accept queue has room. Requests
--    that would leave later than one spacing before GO wait for GO, when
--    every connection starts at once. wrk's delay() hook does it: wrk
--    asks it before every request for a delay in milliseconds.
--    The requests sent before GO are counted (pre_requests) so the bench
--    can take them out; they are a few dozen among thousands.
-- 2. The results as one machine-readable line (done() hook), so nothing
--    depends on wrk's human text:
--      unitune-wrk open_us=.. end_us=.. requests=.. pre_requests=.. ...
--    open_us is GO_US and end_us when wrk summed up, both
--    CLOCK_MONOTONIC microseconds: the bench divides by their
--    difference, not by wrk's own duration, which includes the setup.
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

-- Each thread's own state (wrk gives every thread a Lua state); the
-- globals are read back by done() through thread:get().
go_us = nil
pre_requests = 0
local spacing_us
local last_slot = -math.huge

function init(args)
	go_us = tonumber(args[1])
	spacing_us = tonumber(args[2])
end

-- Milliseconds before the next request (rounded up: nothing leaves
-- early).
function delay()
	local now = now_us()
	if now >= go_us then
		return 0
	end
	local slot = math.max(now, last_slot + spacing_us)
	if slot + spacing_us <= go_us then
		last_slot = slot
		pre_requests = pre_requests + 1
		return math.ceil((slot - now) / 1000)
	end
	return math.ceil((go_us - now) / 1000)
end

-- The main state keeps each thread to read its globals at the end.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function done(summary, latency, requests)
	local go, pre = nil, 0
	for _, t in ipairs(threads) do
		go = go or t:get("go_us")
		pre = pre + (t:get("pre_requests") or 0)
	end
	local e = summary.errors
	io.write(string.format(
		"unitune-wrk open_us=%d end_us=%d requests=%d pre_requests=%d " ..
		"bytes=%d duration_us=%d latency_p50_us=%d latency_p90_us=%d " ..
		"latency_p99_us=%d latency_max_us=%d errors_connect=%d " ..
		"errors_read=%d errors_write=%d errors_status=%d " ..
		"errors_timeout=%d\n",
		go or -1, now_us(), summary.requests, pre, summary.bytes,
		summary.duration, latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency.max, e.connect, e.read, e.write,
		e.status, e.timeout))
end

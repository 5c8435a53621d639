# SPDX-License-Identifier: BSD-3-Clause
# httpd (unikernel/apps/httpd) over HTTP on 127.0.0.1. Its functional
# cases are in httpd_cases.sh: each runs natively (the Linux build under
# ASan+UBSan) and against the guest in each of the four network modes
# (NET_MODES, tests/lib.sh), counted one by one as
# test_httpd/httpd_native/CASE and test_httpd/httpd_guest_MODE/CASE.
# `tests/run.sh test_httpd/httpd_guest_rtc_poll/corpus` runs one case.

# shellcheck source=tests/system/httpd_cases.sh
. "$ROOT/tests/system/httpd_cases.sh"

test_httpd_native() { httpd_suite native; }
test_httpd_guest_rtc_irq() { httpd_suite guest rtc_irq; }
test_httpd_guest_rtc_poll() { httpd_suite guest rtc_poll; }
test_httpd_guest_threaded_irq() { httpd_suite guest threaded_irq; }
test_httpd_guest_threaded_poll() { httpd_suite guest threaded_poll; }

# A boot that fails fails its cases rather than skip them: here the guest
# image of a mode that does not exist (no TCG boot). The cases' lines go
# to a file, so that this test's own log has none for run.sh to count.
test_httpd_failed_boot_fails_its_cases() {
	(
		HTTPD_TARGET=guest HTTPD_GUEST_MODE=no_such_mode
		httpd_boot main "" curl_gets_the_page corpus_statuses
		echo "boots failed: $HTTPD_BOOTS_FAILED, cases failed: $RUN_CASE_FAILED"
	) >out 2>&1
	expect_grep '^\[case\] curl_gets_the_page: FAIL ' out
	expect_grep '^\[case\] corpus_statuses: FAIL ' out
	expect_grep '^boots failed: 1, cases failed: 2$' out
	expect_grep "network mode 'no_such_mode' is not one of: rtc_irq rtc_poll threaded_irq threaded_poll" out
	expect_grep "^check failed: no server to test: boot 'main' of httpd did not start" curl_gets_the_page.log
}

test_httpd_self_test_and_print_metrics() {
	httpd_build_native
	expect_eq 0 "$(run_status "$ROOT/build/httpd-asan/httpd" --self-test)" "self-test"
	expect_grep '^httpd: self-test passed$' out
	expect_eq 0 "$(run_status "$ROOT/build/httpd-asan/httpd" --self-test --body-size 300000)" "self-test, large body"
	expect_eq 0 "$(run_status "$ROOT/build/httpd-asan/httpd" --print-metrics)" "--print-metrics"
	promtool check metrics <out
}

# --print-body gives the page byte for byte (the Linux baseline serves it).
test_httpd_print_body() {
	httpd_build_native
	expect_eq 0 "$(run_status "$ROOT/build/httpd-asan/httpd" --print-body)" "--print-body"
	expect_eq 612 "$(wc -c <out)" "the default page's bytes"
	expect_grep '^<title>unitune httpd</title>$' out
	expect_eq 0 "$(run_status "$ROOT/build/httpd-asan/httpd" --print-body --body-size 5000)" "--print-body --body-size"
	expect_eq 5000 "$(wc -c <out)" "--body-size 5000's bytes"
}

test_httpd_bad_options_exit_2() {
	httpd_build_native
	bin=$ROOT/build/httpd/httpd
	expect_eq 2 "$(run_status "$bin" --port 70000)" "--port 70000"
	expect_grep "^httpd: --port: '70000' is not a number in 0..65535$" err
	expect_eq 2 "$(run_status "$bin" --max-head 10)" "--max-head 10"
	expect_grep "^httpd: --max-head: '10' is not a number in 256..65536$" err
	expect_eq 2 "$(run_status "$bin" --body-file /nonexistent/page)" "--body-file"
	expect_grep '^httpd: --body-file /nonexistent/page: No such file' err
	expect_eq 2 "$(run_status "$bin" --no-such-option)" "unknown option"
	expect_eq 2 "$(run_status "$bin" extra)" "extra argument"
	expect_grep "^httpd: unexpected argument 'extra'$" err
	expect_eq 2 "$(run_status "$bin" --exit-after 0)" "--exit-after 0"
	expect_grep "^httpd: --exit-after: '0' is not a number in 1..1000000000000$" err
	expect_eq 2 "$(run_status "$bin" --addr 10.0.0.300 --port 0)" "bad address"
	expect_grep '^httpd: --addr 10.0.0.300: not an IPv4 address$' err
	expect_eq 2 "$(run_status "$bin" --idle-timeout ' 5')" "a number with a blank first"
	expect_grep "^httpd: --idle-timeout: ' 5' is not a number in " err
	expect_eq 2 "$(run_status "$bin" --body-file /)" "--body-file of a directory"
	expect_grep '^httpd: --body-file /: Is a directory$' err
}

# --exit-after N: N answers, then no new connection, and exit 0 once the
# clients have closed theirs (a load of exactly N requests closes them).
test_httpd_exit_after_answers() {
	local rc=0
	HTTPD_TARGET=native httpd_start --exit-after 7
	"$HTTPD_LOAD" --port "$HTTPD_PORT" --connections 3 --requests 7 --expect-length 612 >load
	expect_grep '^requests=7 answered=7 errors=0 ' load
	timeout 30 tail --pid="$HTTPD_PID" -f /dev/null || fail "httpd still runs after 7 answers"
	wait "$HTTPD_PID" || rc=$?
	trap - EXIT
	expect_eq 0 "$rc" "httpd's exit status"
	expect_grep '^httpd: exiting after 7 answers \(--exit-after 7\), every connection closed$' httpd.out
	expect_no_grep 'AddressSanitizer|LeakSanitizer|runtime error' httpd.err
}

# The guest image builds, and its statistics providers (the kernel
# allocator, the NIC's counters and drop reasons, the trace ring) render
# valid text with --print-metrics, which needs no socket: serving waits for
# the guest's socket layer.
test_httpd_guest_metrics_text() {
	img=$(net_mode_image httpd rtc_irq)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --net user "$img" -- --print-metrics)" "httpd --print-metrics in the guest"
	grep -v '^\[uk\] ' out >metrics.txt
	promtool check metrics <metrics.txt >promtool.out 2>&1 || {
		cat promtool.out >&2
		fail "promtool check metrics on the guest's text"
	}
	[ "$(metric httpd_heap_in_use_bytes metrics.txt)" -gt 0 ] ||
		fail "heap in use: $(metric httpd_heap_in_use_bytes metrics.txt)"
	[ "$(metric httpd_heap_allocations_total metrics.txt)" -gt 0 ] ||
		fail "allocations: $(metric httpd_heap_allocations_total metrics.txt)"
	for r in rx_ring_full rx_no_buffer rx_stack_full rx_bad tx_ring_full; do
		expect_eq 0 "$(metric "uk_netdev_drops_total{dev=\"0\",reason=\"$r\"}" metrics.txt)" "drops: $r"
	done
	expect_eq 0 "$(metric uk_netdev_rx_packets_total'{dev="0"}' metrics.txt)" "packets received"
	expect_eq 0 "$(metric uk_trace_lost_records_total metrics.txt)" "trace records lost"
	for f in uk_sched_cycles_total uk_sched_idle_cycles_total uk_sched_busy_cycles_total \
		uk_sched_halted_cycles_total uk_sched_halts_total; do
		expect_grep "^# TYPE $f counter$" metrics.txt
	done
	[ "$(metric uk_sched_cycles_total metrics.txt)" -gt 0 ] ||
		fail "uk_sched_cycles_total: $(metric uk_sched_cycles_total metrics.txt)"
}

# Loads back to back against one boot, as benchmarks/httpd.sh runs wrk
# (20,000 requests over 32 connections each, about 1-2 s under TCG):
# each has no error, and after each the server and lwIP are back where
# they were: only the scraping connection open and its TCP pcb the only
# one left (no TIME_WAIT or leaked pcb piles up over the loads), no
# allocation refused by lwIP's heap or any pool, no packet dropped, the
# heap flat. (Errors in wrk's third run were once taken for such a
# pile-up: the default --timeout had stopped the server, docs/publish.md.)
test_httpd_guest_back_to_back_loads() {
	local i heap pcbs
	HTTPD_TARGET=guest httpd_start
	for i in 1 2 3 4 5; do
		"$HTTPD_LOAD" --port "$HTTPD_PORT" --connections 32 --requests 20000 \
			--expect-length 612 $HTTPD_LOAD_OPTS >load
		expect_grep '^requests=20000 answered=20000 errors=0 ' load
		for _ in $(seq 50); do
			httpd_wait_quiet
			pcbs=$(metric 'lwip_mem_used{pool="TCP_PCB"}' metrics.txt)
			[ "$pcbs" = 1 ] && break
			sleep 0.1
		done
		expect_eq 1 "$pcbs" "TCP pcbs in use after load $i (the scrape's own)"
		[ "$(metric 'lwip_mem_max{pool="TCP_PCB"}' metrics.txt)" -ge 32 ] ||
			fail "TCP pcbs at most: $(metric 'lwip_mem_max{pool="TCP_PCB"}' metrics.txt)"
		expect_eq 0 "$(metric_sum lwip_mem_errors_total metrics.txt)" \
			"allocations lwIP's heap and pools refused after load $i"
		expect_eq 0 "$(metric_sum lwip_drops_total metrics.txt)" "lwIP's drops after load $i"
		expect_eq 0 "$(metric 'httpd_requests_total{handler="error"}' metrics.txt)" "error answers"
		expect_eq 0 "$(metric httpd_connections_reset_total metrics.txt)" "resets"
		expect_eq $((i * 20000)) "$(metric 'httpd_requests_total{handler="page"}' metrics.txt)" "pages after load $i"
		[ "$i" = 1 ] && heap=$(metric httpd_heap_in_use_bytes metrics.txt)
	done
	expect_eq "$heap" "$(metric httpd_heap_in_use_bytes metrics.txt)" "heap in use after loads 1 and 5"
	# lwIP's counters do not wrap at 65,536 (LWIP_STATS_LARGE).
	[ "$(metric 'lwip_received_packets_total{proto="tcp"}' metrics.txt)" -ge 100000 ] ||
		fail "TCP segments received over 100000 requests: $(metric 'lwip_received_packets_total{proto="tcp"}' metrics.txt)"
	HTTPD_TARGET=guest httpd_stop
}

# lib/uksched's idle accounting, read from /metrics: a guest waiting for
# requests is idle nearly all the time, whether it halts (interrupts) or
# polls its device (every round that finds nothing is idle); serving
# shows as busy cycles.
httpd_guest_idle_then_busy() { # mode
	local cycles idle busy halts load_busy
	HTTPD_TARGET=guest HTTPD_GUEST_MODE=$1 httpd_start
	httpd_scrape idle1.txt
	sleep 2
	httpd_scrape idle2.txt
	"$HTTPD_LOAD" --port "$HTTPD_PORT" --connections 4 --requests 2000 \
		--expect-length 612 --ramp >load
	expect_grep '^requests=2000 answered=2000 errors=0 ' load
	httpd_scrape loaded.txt
	HTTPD_TARGET=guest httpd_stop
	cycles=$(metric_delta uk_sched_cycles_total idle1.txt idle2.txt)
	idle=$(metric_delta uk_sched_idle_cycles_total idle1.txt idle2.txt)
	busy=$(metric_delta uk_sched_busy_cycles_total idle1.txt idle2.txt)
	halts=$(metric_delta uk_sched_halts_total idle1.txt idle2.txt)
	load_busy=$(metric_delta uk_sched_busy_cycles_total idle2.txt loaded.txt)
	echo "2 s waiting: $cycles cycles, $idle idle, $busy busy, $halts halts; 2000 requests: $load_busy busy"
	expect_eq "$cycles" $((idle + busy)) "cycles = idle + busy"
	# Waiting (one scrape's work inside the window): idle >> busy.
	[ "$busy" -gt 0 ] && [ "$idle" -ge $((busy * 4)) ] ||
		fail "waiting 2 s: $idle idle cycles against $busy busy"
	if [ "${1#*_}" = poll ]; then
		expect_eq 0 "$halts" "halts of a polling guest"
	else
		[ "$halts" -gt 0 ] || fail "an interrupt-driven guest waited without halting"
	fi
	# Every request costs well over 1000 cycles of work.
	[ "$load_busy" -ge 2000000 ] || fail "2000 requests: $load_busy busy cycles"
}
test_httpd_guest_idle_accounting_irq() { httpd_guest_idle_then_busy rtc_irq; }
test_httpd_guest_idle_accounting_poll() { httpd_guest_idle_then_busy rtc_poll; }

# The guest's own loopback: --self-test connects to the listener of the
# same image, in both lwIP integration modes.
test_httpd_guest_self_test_both_modes() {
	local img
	img=$(net_mode_image httpd rtc_irq)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img" -- --self-test)" "self-test, run to completion"
	expect_grep '^httpd: self-test passed$' out
	img=$(net_mode_image httpd threaded_irq)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img" -- --self-test)" "self-test, threaded"
	expect_grep '^httpd: self-test passed$' out
}

# unitune record with a network guest, so that a server under load can be
# profiled (issue 11): httpd recorded with the network trace points under
# a short load, after which it exits by itself (--exit-after), so the
# trace is whole. The trace counts what the load did: one accept and one
# close (the client's FIN) per connection, every answer sent, and frames
# received in bursts.
httpd_record_under_load() { # mode
	local img port rc=0 conns=8 reqs=2000 tx rx
	img=$(net_mode_image httpd "$1")
	httpd_build_native
	"$UNITUNE" record --accel tcg --timeout 300 -p 0:80 -o h.uttr \
		-T 'netdev_*,lwip_*,sock_accept,sock_close' \
		"$img" -- --port 80 --exit-after "$reqs" >httpd.out 2>&1 &
	HTTPD_PID=$!
	httpd_await_listening 300
	expect_grep '^httpd: listening on ' httpd.out
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:80$/\1/p' httpd.out)
	[ -n "$port" ] || fail "no published port: $(cat httpd.out)"
	"$HTTPD_LOAD" --port "$port" --connections "$conns" --requests "$reqs" \
		--expect-length 612 --ramp >load
	expect_grep "^requests=$reqs answered=$reqs errors=0 " load
	wait "$HTTPD_PID" || rc=$?
	trap - EXIT
	expect_eq 0 "$rc" "record's status (httpd exits after the load)"
	expect_grep "^httpd: exiting after $reqs answers " httpd.out
	# Nothing lost on the way, and the sampler ran: a profile too.
	expect_grep '^unitune record: trace h\.uttr: [0-9]+ records, [1-9][0-9]* samples, 0 lost' httpd.out
	"$UNITUNE" report --tracepoints h.uttr >tp
	expect_grep '^run: exit status 0$' tp
	expect_no_grep 'lost' tp
	tp_count() { sed -n "s/^  $1  *\([0-9][0-9]*\)\$/\1/p" tp; }
	expect_eq "$conns" "$(tp_count lwip_accept)" "lwip_accept (connections accepted)"
	expect_eq "$conns" "$(tp_count sock_accept)" "sock_accept"
	expect_eq "$conns" "$(tp_count lwip_close)" "lwip_close (connections the clients closed)"
	# The listener too, closed after the last answer.
	expect_eq $((conns + 1)) "$(tp_count sock_close)" "sock_close"
	expect_eq 0 "$(tp_count lwip_drop)" "lwip_drop"
	expect_eq 0 "$(tp_count netdev_drop)" "netdev_drop"
	# An answer (612 bytes and its head) is one frame; each connection
	# adds at least its SYN-ACK and FIN.
	tx=$(tp_count netdev_tx)
	[ "${tx:-0}" -ge $((reqs + 2 * conns)) ] && [ "$tx" -le $((2 * reqs)) ] ||
		fail "netdev_tx: '$tx' frames sent, expected $((reqs + 2 * conns))..$((2 * reqs))"
	# Each request is a frame, and a burst holds at most a few frames per
	# connection (one request in flight each).
	rx=$(tp_count netdev_rx)
	[ "${rx:-0}" -ge $((reqs / (2 * conns))) ] && [ "$rx" -le $((3 * reqs)) ] ||
		fail "netdev_rx: '$rx' bursts, expected $((reqs / (2 * conns)))..$((3 * reqs))"
	# The top view profiles the guest.
	"$UNITUNE" report h.uttr >top
	expect_grep '^samples: [1-9][0-9]* at 1000 Hz' top
}
test_httpd_guest_record_under_load_rtc() { httpd_record_under_load rtc_irq; }
test_httpd_guest_record_under_load_threaded() { httpd_record_under_load threaded_irq; }

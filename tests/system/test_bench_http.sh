# SPDX-License-Identifier: BSD-3-Clause
# unitune bench http against httpd's image (its defconfig's mode, rtc_irq:
# the image the httpd tests build) under TCG, kept short (1 s
# repetitions, 2 of them, a 1 s warm-up, 2 s of connection setup): the
# table's rows, the JSON's figures and their sanity, the store's rows
# with the environment, and the errors (bad options, wrk missing, a
# guest that never answers, a guest that ends).

BENCH_SHORT="-d 1s -n 2 -w 1s --setup 2 --accel tcg"

# Every figure's row of the table (wrk's and the guest's).
test_bench_http_table_and_store() {
	local img rows
	img=$(net_mode_image httpd rtc_irq)
	# shellcheck disable=SC2086
	expect_eq 0 "$(run_status "$UNITUNE" bench http $BENCH_SHORT --db b.db "$img")" \
		"bench http's status"
	expect_grep "^unitune bench http $img\$" out
	expect_grep '^  wrk -t1 -c32, 2 x 1\.0 s after a 1\.0 s warm-up, http://127\.0\.0\.1:[0-9]+/, accelerator tcg$' out
	expect_grep '^  first HTTP 200: [0-9.]+ ms after QEMU started$' out
	for row in 'requests/s \(req/s\)' 'transfer/s \(B/s\)' 'latency p50 \(us\)' \
		'latency p99 \(us\)' 'latency max \(us\)' 'socket errors: connect' \
		'socket errors: timeout' 'non-2xx/3xx responses' \
		'connections set up at start' 'guest: driver drops \(frames\)' \
		'guest: lwIP drops' 'guest: heap peak \(bytes\)'; do
		expect_grep "^$row" out
	done
	expect_grep '^requests/s spread [0-9.]+%: (stable|UNSTABLE) \(unstable above 5%\)$' out
	expect_grep '^stored as bench 1 in b\.db$' out
	# The store: the run with its environment, 2 samples a figure.
	expect_eq "http|tcg|1|32|2" "$(sqlite3 b.db 'SELECT kind, accelerator, threads, connections, repetitions FROM benches')" "bench row"
	expect_eq 1 "$(sqlite3 b.db "SELECT count(*) FROM benches WHERE git_commit <> '' AND host <> '' AND cpu_model <> '' AND qemu_version LIKE 'QEMU emulator%' AND length(config_hash) = 64 AND first_200_ms > 0")" "environment columns"
	rows=$(sqlite3 b.db 'SELECT count(*) FROM bench_stats')
	[ "$rows" -ge 15 ] || fail "only $rows figures stored"
	expect_eq $((2 * rows)) "$(sqlite3 b.db 'SELECT count(*) FROM bench_samples')" "two samples a figure"
	expect_eq 2 "$(sqlite3 b.db "SELECT count(*) FROM bench_samples WHERE metric = 'requests_per_s' AND value > 0")" "requests/s samples"
	# The config hash is the image's .config's, as the tuner names it.
	expect_grep "^  config $(sqlite3 b.db 'SELECT substr(config_hash, 1, 16) FROM benches'), " out
}

test_bench_http_json() {
	local img
	img=$(net_mode_image httpd rtc_irq)
	# shellcheck disable=SC2086
	expect_eq 0 "$(run_status "$UNITUNE" bench http $BENCH_SHORT -c 8 --json --db b.db "$img")" \
		"bench http --json's status"
	jq -e . out >/dev/null || fail "stdout is not one JSON document"
	expect_eq 'http 8 2 true' "$(jq -r '[.kind, .parameters.connections, .parameters.repetitions, .guest_metrics] | map(tostring) | join(" ")' out)" \
		"kind, connections, repetitions, guest metrics"
	jq -e '.figures.requests_per_s.median > 0 and (.figures.requests_per_s.samples | length) == 2' out >/dev/null ||
		fail "requests/s: $(jq -c .figures.requests_per_s out)"
	jq -e '.figures.requests_per_s.ci95[0] <= .figures.requests_per_s.median and .figures.requests_per_s.median <= .figures.requests_per_s.ci95[1]' out >/dev/null ||
		fail "the interval does not hold the median"
	for f in errors_connect errors_read errors_write non_2xx; do
		expect_eq 0 "$(jq ".figures.$f.max" out)" "$f"
	done
	jq -e '.figures.latency_p50_us.median > 0 and .figures.latency_p50_us.median <= .figures.latency_max_us.median' out >/dev/null ||
		fail "latencies: $(jq -c '[.figures.latency_p50_us.median, .figures.latency_max_us.median]' out)"
	# Paced setup: the connections are up when timing starts.
	jq -e '.figures.connections_ready.min >= 6' out >/dev/null ||
		fail "connections set up: $(jq -c .figures.connections_ready out)"
	jq -e '.figures.heap_peak_bytes.median > 0 and .first_200_ms > 0 and .bench_id == 1' out >/dev/null ||
		fail "heap peak, first 200, bench id: $(jq -c '[.figures.heap_peak_bytes, .first_200_ms, .bench_id]' out)"
	jq -e '(.environment.git_commit | length) > 0 and .environment.accelerator == "tcg" and (.unstable | type) == "boolean"' out >/dev/null ||
		fail "environment: $(jq -c .environment out)"
}

test_bench_http_usage_errors() {
	local img=/nonexistent/httpd.elf
	expect_eq 2 "$(run_status "$UNITUNE" bench http -c 0 "$img")" "-c 0"
	expect_grep "connections '0' is not a number from 1" err
	expect_eq 2 "$(run_status "$UNITUNE" bench http -t 4 -c 2 "$img")" "-t 4 -c 2"
	expect_grep 'connections 2 is fewer than --threads 4' err
	expect_eq 2 "$(run_status "$UNITUNE" bench http -d 500ms "$img")" "-d 500ms"
	expect_grep "duration '500ms' is shorter than 1 s" err
	expect_eq 2 "$(run_status "$UNITUNE" bench http -d ten "$img")" "-d ten"
	expect_grep "duration 'ten' is not a duration" err
	expect_eq 2 "$(run_status "$UNITUNE" bench http -n 0 "$img")" "-n 0"
	expect_eq 2 "$(run_status "$UNITUNE" bench http --path x "$img")" "--path x"
	expect_grep "path 'x' must start with '/'" err
	expect_eq 2 "$(run_status "$UNITUNE" bench http)" "no image"
	expect_eq 2 "$(run_status "$UNITUNE" bench ftp "$img")" "unknown kind"
	expect_grep "unknown kind of bench \(the only one is http" err
	expect_eq 126 "$(run_status "$UNITUNE" bench http "$img")" "missing image"
	expect_grep '^unitune bench http: the guest could not start \(bad image\): cannot open .*: No such file or directory$' err
	printf 'not an image\n' > notelf
	expect_eq 126 "$(run_status "$UNITUNE" bench http notelf)" "not an ELF file"
	expect_grep '^unitune bench http: the guest could not start \(bad image\): .*notelf is not an ELF file$' err
	img=$(net_mode_image httpd rtc_irq)
	expect_eq 127 "$(run_status "$UNITUNE" bench http --wrk /nonexistent/wrk "$img")" "wrk missing"
	expect_grep '/nonexistent/wrk not found; install it with scripts/deps.sh' err
	expect_eq 127 "$(run_status "$UNITUNE" bench http --qemu /nonexistent/qemu "$img")" "QEMU missing"
	expect_grep '^unitune bench http: the guest could not start \(qemu not installed\): /nonexistent/qemu not found' err
}

# A bench ended by a signal (Ctrl-C, kill) while wrk runs leaves no file:
# wrk's script is an in-memory file handed over as a descriptor, not a
# temporary file (which nothing would remove then).
test_bench_http_killed_leaves_no_file() {
	local img pid wrk script i
	img=$(net_mode_image httpd rtc_irq)
	# shellcheck disable=SC2086
	"$UNITUNE" bench http $BENCH_SHORT --db b.db "$img" >out 2>err &
	pid=$!
	# Until wrk runs (bounded by the bench's own ready timeout, 60 s).
	for i in $(seq 700); do
		wrk=$(pgrep -P "$pid" -x wrk) && break
		kill -0 "$pid" 2>/dev/null || fail "the bench ended before wrk ran: $(tail -n 3 err)"
		sleep 0.1
	done
	[ -n "$wrk" ] || fail "wrk did not start (waited $i tenths)"
	script=$(tr '\0' '\n' <"/proc/$wrk/cmdline" | sed -n '/^-s$/{n;p;}')
	[ -n "$script" ] || fail "no -s SCRIPT in wrk's command line: $(tr '\0' ' ' <"/proc/$wrk/cmdline")"
	kill -TERM "$pid"
	i=0
	wait "$pid" || i=$?
	expect_eq 143 "$i" "the bench's status after SIGTERM"
	case $script in
	/proc/self/fd/*) ;;
	*) [ ! -e "$script" ] || fail "wrk's script $script was left behind" ;;
	esac
}

# httpd listening on 81 while 80 is published: QEMU accepts and closes,
# the guest never answers; hello exits at once.
test_bench_http_guest_never_answers_or_ends() {
	local img hello
	img=$(net_mode_image httpd rtc_irq)
	expect_eq 1 "$(run_status "$UNITUNE" bench http --accel tcg --ready-timeout 3 --db b.db "$img" -- --port 81)" \
		"a guest that never answers"
	expect_grep '^unitune bench http: no HTTP 200 from http://127\.0\.0\.1:[0-9]+/ within 3\.0 s \(last: ' err
	# A wrong page: the server is up, so the wait ends at its first 404.
	expect_eq 1 "$(run_status "$UNITUNE" bench http --accel tcg --db b.db --path /nope "$img")" \
		"a page the guest does not serve"
	expect_grep '^unitune bench http: http://127\.0\.0\.1:[0-9]+/nope answered HTTP 404, not 200$' err
	# One repetition has no spread to judge stability by.
	expect_eq 0 "$(run_status "$UNITUNE" bench http --accel tcg --db b.db -n 1 -d 1s -w 0 "$img")" "-n 1"
	expect_grep '^requests/s spread: none from one repetition \(-n 2 or more to judge stability\)$' out
	hello=$(test_image hello) || fail "the hello image did not build"
	expect_eq 1 "$(run_status "$UNITUNE" bench http --accel tcg --db b.db "$hello")" "a guest that ends"
	expect_grep '^unitune bench http: the guest exited with status 0$' err
	expect_eq 1 "$(sqlite3 b.db 'SELECT count(*) FROM benches')" "only the -n 1 run stored"
}

# --per-request N: a deterministic boot, N keep-alive GETs between
# scrapes (bench/per_request.c): one line of figures, a request costing
# the guest thousands of instructions and about one frame; nothing is
# stored. Its options' errors.
test_bench_http_per_request() {
	local img busy
	img=$(test_image httpd) || fail "the httpd image did not build"
	expect_eq 0 "$(run_status "$UNITUNE" bench http --per-request 100 --db b.db "$img")" \
		"--per-request's status"
	expect_grep '^  100 GETs of / in turn on one keep-alive connection, deterministic \(-icount, --idle real\)' out
	expect_grep '^per request: busy=[0-9.]+ executed=[0-9.]+ loop_busy=[0-9.]+ latency=[0-9.]+ frames=[0-9.]+ halts=[0-9.]+ wakeups=[0-9.]+$' out
	busy=$(sed -n 's/^per request: busy=\([0-9]*\).*/\1/p' out)
	[ "${busy:-0}" -gt 1000 ] || fail "busy per request: '$busy'"
	[ ! -e b.db ] || fail "--per-request stored something"
	expect_eq 2 "$(run_status "$UNITUNE" bench http --idle skip "$img")" "--idle alone"
	expect_grep 'idle needs --per-request' err
	expect_eq 2 "$(run_status "$UNITUNE" bench http --per-request 5 --json "$img")" "--json"
	expect_grep 'per-request prints one line: neither --json nor --push applies' err
	expect_eq 2 "$(run_status "$UNITUNE" bench http --per-request 5 --idle fast "$img")" "--idle fast"
	expect_grep "idle 'fast' is not real or skip" err
}

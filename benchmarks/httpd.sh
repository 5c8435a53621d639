#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/httpd.sh: the network figures of apps/httpd, each printed
# with the command that measures it:
#   image size (loaded bytes) and the smallest --mem that serves a page;
#   wall time from spawning `unitune run` to the first HTTP 200 (TCG);
#   wrk -t1 -c32 -d10s requests per second for each lwIP integration mode
#   (run to completion, threaded) and each virtio-net mode (interrupts,
#   polling): WRK_RUNS runs back to back against one boot, each run's
#   figures and wrk's errors, the guest's own view of them from /metrics,
#   and the load average;
#   instructions per request in deterministic mode over one keep-alive
#   connection (httpd_loop_busy_cycles_total, see the httpd README).
# Wall-clock figures come with their spread; the deterministic one repeats.
# PARTS (default "size first200 det wrk") picks figures, e.g. PARTS=wrk.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
. "$ROOT/benchmarks/stats.sh"
bench_report httpd.txt
WORK=$OUT/httpd
mkdir -p "$WORK"

FIRST_200_RUNS=${FIRST_200_RUNS:-10}
WRK_RUNS=${WRK_RUNS:-5}
DET_REQUESTS=${DET_REQUESTS:-1000}
DET_RUNS=${DET_RUNS:-3}
PARTS=${PARTS:-size first200 det wrk}	# which figures, in this order

command -v wrk >/dev/null || {
	echo "benchmarks/httpd.sh: wrk missing (scripts/deps.sh installs it)" >&2
	exit 1
}

# build_httpd NAME [--set OPT=VAL...]: prints the image's path.
build_httpd() {
	local name=$1
	shift
	"$UNITUNE" build --app httpd -o "$WORK/$name" "$@" 2>"$WORK/$name.build.log" | tail -n 1
}

# serve IMAGE [run options...]: boots the image with port 80 published on
# a free host port; sets SERVE_PID and SERVE_PORT (empty when the run
# ended before QEMU listened). Console to $WORK/serve.out and .err.
# --timeout 0: the server runs until unserve (the default 30 s once
# stopped it during the third wrk run, docs/publish.md).
serve() {
	local img=$1
	shift
	"$UNITUNE" run --timeout 0 -p 0:80 "$@" "$img" >"$WORK/serve.out" 2>"$WORK/serve.err" &
	SERVE_PID=$!
	SERVE_PORT=""
	for _ in $(seq 400); do
		SERVE_PORT=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/serve.err")
		[ -n "$SERVE_PORT" ] && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || return 0
		sleep 0.01
	done
}

unserve() {
	kill "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
}
trap 'kill "${SERVE_PID:-}" 2>/dev/null || true' EXIT

# await_200 SECONDS: curl the page back to back until it answers 200;
# fails when the run ends or SECONDS pass first.
await_200() {
	local end=$((SECONDS + $1))
	[ -n "$SERVE_PORT" ] || return 1
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' \
			"http://127.0.0.1:$SERVE_PORT/")" = 200 ] && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || return 1
	done
	return 1
}

now_ns() { date +%s%N; }

# --- 1. size and smallest --mem -------------------------------------------
measure_size_and_mem() {
	local img=$1 lo=512 hi=32768 mid
	say "httpd image: loaded $(loaded_bytes "$img") bytes (goal <= 614400), $(stat -c %s "$img") bytes on disk with debug info"
	say "  (nm _image_start/_edata of $img; readelf -lW shows the same LOAD FileSiz)"
	# Bisection in KiB over: boots, and serves GET / with 200 within 20 s.
	while [ $((hi - lo)) -gt 16 ]; do
		mid=$(((lo + hi) / 2))
		serve "$img" --accel tcg --mem "${mid}K"
		if await_200 20; then hi=$mid; else lo=$mid; fi
		unserve
	done
	say "smallest --mem serving a page: ${hi} KiB (goal <= 4096)"
	say "  (bisection to 16 KiB over $UNITUNE run --accel tcg --mem NK -p 0:80 $img + curl GET / until 200)"
}

# --- 2. spawn to the first 200 --------------------------------------------
measure_first_200() {
	local img=$1 t0 i
	: >"$WORK/first200.txt"
	for i in $(seq 0 "$FIRST_200_RUNS"); do
		t0=$(now_ns)
		serve "$img" --accel tcg
		await_200 20 || {
			say "first 200: run $i got no 200 within 20 s"
			unserve
			return
		}
		# Run 0 is a warm-up (page cache, the accelerator cache).
		[ "$i" -gt 0 ] && echo "$((($(now_ns) - t0) / 1000000))" >>"$WORK/first200.txt"
		unserve
	done
	say "spawn to first HTTP 200 (TCG, wall): $(stats "$WORK/first200.txt" 1) ms, median (min-max) of $FIRST_200_RUNS"
	say "  (spawn $UNITUNE run --accel tcg -p 0:80 $img; read the port it prints;"
	say "   curl GET / back to back until 200; includes the CLI, QEMU start, boot, lwIP up, and curl's own start per try)"
}

# --- 3. wrk -----------------------------------------------------------------
# wrk_fields FILE: "req/s non2xx connect read write timeout max_latency"
wrk_fields() {
	awk '
	/^Requests\/sec:/ { rps = $2 }
	/Non-2xx or 3xx responses:/ { non2xx = $NF }
	/Socket errors:/ { gsub(",", ""); c = $4; r = $6; w = $8; t = $10 }
	$1 == "Latency" && !max { max = $4 }
	END { printf "%s %d %d %d %d %d %s\n", rps, non2xx, c, r, w, t, max }' "$1"
}

# wrk_errors FILE: "non2xx N, socket connect N read N write N timeout N"
# summed over the rows of FILE (wrk_fields lines).
wrk_errors() {
	awk '{ n += $2; c += $3; r += $4; w += $5; t += $6 }
	END { printf "non2xx %d, socket connect %d read %d write %d timeout %d", n, c, r, w, t }' "$1"
}

# guest_view METRICS: the server's side of the runs, from its /metrics:
# allocations lwIP's heap or pools refused, by pool (PBUF_POOL's are
# receive-ring refills, lib/lwip/README.md), whether the ring ever ran
# dry, the TCP connection pool's high-water mark against its size, error
# answers and resets, and page answers slower than 2^31 TSC cycles (about
# 1 s here; a wrk "timeout" is an answer later than 2 s, so one the guest
# did not delay shows here as 0).
guest_view() {
	awk '
	function v(k) { return (k in m) ? m[k] : "missing" }
	!/^#/ { m[$1] = $2 }
	$1 ~ /^lwip_mem_errors_total/ && $2 > 0 {
		p = $1; sub(/.*pool="/, "", p); sub(/".*/, "", p)
		refused = refused sep p " " $2; sep = ", "
	}
	END {
		slow = v("httpd_request_latency_cycles_count") - v("httpd_request_latency_cycles_bucket{le=\"2147483648\"}")
		printf "lwIP allocations refused: %s; ring dry spells (rx_no_buffer) %s; TCP_PCB at most %s of %s; " \
			"error answers %s; connections reset %s; page answers slower than 2^31 cycles %d", \
			refused == "" ? "none" : refused, v("uk_netdev_drops_total{dev=\"0\",reason=\"rx_no_buffer\"}"), \
			v("lwip_mem_max{pool=\"TCP_PCB\"}"), v("lwip_mem_avail{pool=\"TCP_PCB\"}"), \
			v("httpd_requests_total{handler=\"error\"}"), v("httpd_connections_reset_total"), slow
	}' "$1"
}

measure_wrk_mode() { # name image
	local name=$1 img=$2 i rows=$WORK/wrk-$1.txt out
	: >"$rows"
	serve "$img" --accel tcg
	if ! await_200 20; then
		say "$(printf '%-16s no 200 within 20 s' "$name")"
		unserve
		return
	fi
	wrk -t1 -c32 -d3s "http://127.0.0.1:$SERVE_PORT/" >"$WORK/wrk-$name-warmup.out" 2>&1 || true
	for i in $(seq "$WRK_RUNS"); do
		out=$WORK/wrk-$name-$i.out
		wrk -t1 -c32 -d10s "http://127.0.0.1:$SERVE_PORT/" >"$out" 2>&1 || true
		wrk_fields "$out" >>"$rows"
		# A stopped server makes errors that are not the network's.
		kill -0 "$SERVE_PID" 2>/dev/null || {
			say "$name: the server stopped during run $i: $(tail -n 1 "$WORK/serve.err")"
			return
		}
	done
	curl -sS --max-time 10 -o "$WORK/wrk-$name-metrics.txt" "http://127.0.0.1:$SERVE_PORT/metrics" || true
	unserve
	say "$(printf '%-16s %s req/s, median (min-max) of %s; errors over the runs: %s; load before: %s' \
		"$name" "$(stats "$rows" 1)" "$WRK_RUNS" "$(wrk_errors "$rows")" "$LOAD_BEFORE")"
	awk '{ printf "    run %d: %s req/s, max latency %s, errors: non2xx %d, connect %d, read %d, write %d, timeout %d\n",
		NR, $1, $7, $2, $3, $4, $5, $6 }' "$rows" | while IFS= read -r line; do say "$line"; done
	say "    guest after the runs: $(guest_view "$WORK/wrk-$name-metrics.txt")"
}

measure_wrk() {
	local modes="rtc-irq: rtc-poll:CONFIG_UKNETDEV_POLL=y thr-irq:CONFIG_UKSCHED_COOP=y"
	local m name sets img s
	modes="$modes thr-poll:CONFIG_UKSCHED_COOP=y,CONFIG_UKNETDEV_POLL=y"
	say "wrk -t1 -c32 -d10s, TCG, $WRK_RUNS runs back to back against one boot per mode, after a 3 s warm-up run (discarded):"
	for m in $modes; do
		name=${m%%:*}
		sets=()
		for s in $(echo "${m#*:}" | tr , ' '); do sets+=(--set "$s"); done
		img=$(build_httpd "$name" "${sets[@]}")
		LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
		measure_wrk_mode "$name" "$img"
	done
	say "  (modes: rtc = CONFIG_LWIP_RTC, the default; thr = CONFIG_UKSCHED_COOP=y, so CONFIG_LWIP_THREADED;"
	say "   irq = CONFIG_UKNETDEV_IRQ, the default; poll = CONFIG_UKNETDEV_POLL=y;"
	say "   $UNITUNE build --app httpd --set ...; $UNITUNE run --accel tcg --timeout 0 -p 0:80 IMAGE;"
	say "   wrk -t1 -c32 -d10s http://127.0.0.1:PORT/; wrk opens its 32 connections inside the timed"
	say "   run (it cannot open them before), so a set-up stall behind slirp's backlog of 1 shows as"
	say "   a max latency of 1-2 s, or as a wrk 'timeout' (an answer after more than 2 s, left out"
	say "   of the latency figures), and lowers that run's req/s; the guest's own latency histogram"
	say "   shows whether the guest took the time; wrk ends each run with answers in flight, which"
	say "   httpd counts as connections reset; outputs in $WORK/wrk-*.out, /metrics after"
	say "   the runs in $WORK/wrk-*-metrics.txt)"
}

# --- 4. deterministic instructions per request ----------------------------
# One curl, one keep-alive connection: scrape, N pages, scrape, scrape.
# The loop's busy cycles between scrapes 1 and 2 are the N pages plus
# the first scrape's own work; scrapes 2 to 3 are one scrape's work,
# subtracted. Prints "busy_per_request latency_per_request".
measure_det_run() { # image
	local u i
	serve "$1" --deterministic
	await_200 60 || return 1
	u=http://127.0.0.1:$SERVE_PORT
	{
		echo "url = \"$u/metrics\""
		echo "output = \"$WORK/det-m1\""
		for i in $(seq "$DET_REQUESTS"); do
			echo "url = \"$u/\""
			echo 'output = "/dev/null"'
		done
		for i in 2 3; do
			echo "url = \"$u/metrics\""
			echo "output = \"$WORK/det-m$i\""
		done
	} >"$WORK/det.curl"
	curl -sS --config "$WORK/det.curl" -w '%{http_code}\n' >"$WORK/det-codes"
	unserve
	[ "$(grep -c '^200$' "$WORK/det-codes")" = $((DET_REQUESTS + 3)) ] || return 1
	awk -v n="$DET_REQUESTS" '
	FNR == 1 { f++ }
	$1 == "httpd_loop_busy_cycles_total" { b[f] = $2 }
	$1 == "httpd_request_latency_cycles_sum" { s[f] = $2 }
	$1 == "httpd_request_latency_cycles_count" { c[f] = $2 }
	END {
		if (c[2] - c[1] != n) exit 1
		printf "%.1f %.1f\n", (b[2] - b[1] - (b[3] - b[2])) / n, (s[2] - s[1]) / n
	}' "$WORK/det-m1" "$WORK/det-m2" "$WORK/det-m3"
}

measure_det() {
	local img=$1 i rows=$WORK/det.txt
	: >"$rows"
	for i in $(seq "$DET_RUNS"); do
		measure_det_run "$img" >>"$rows" || {
			say "deterministic run $i failed (answers in $WORK/det-codes)"
			return
		}
	done
	say "instructions per page request, deterministic, $DET_REQUESTS sequential requests on one keep-alive connection, $DET_RUNS runs:"
	say "  event loop busy (epoll_wait return to next call): $(cut -d' ' -f1 "$rows" | paste -sd' ')"
	say "  first byte read to last byte written (latency histogram): $(cut -d' ' -f2 "$rows" | paste -sd' ')"
	say "  (delta of httpd_loop_busy_cycles_total and httpd_request_latency_cycles_sum in /metrics"
	say "   around the requests, one scrape's work subtracted; $UNITUNE run --deterministic -p 0:80 $img;"
	say "   curl --config with $DET_REQUESTS URLs; the stack's receive work inside epoll_wait is not counted)"
}

say "httpd benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
img=$(build_httpd rtc-irq)
for part in $PARTS; do
	case $part in
	size) measure_size_and_mem "$img" ;;
	first200) measure_first_200 "$img" ;;
	det) measure_det "$img" ;;
	wrk) measure_wrk ;;
	*)
		echo "benchmarks/httpd.sh: PARTS: unknown part '$part' (size first200 det wrk)" >&2
		exit 2
		;;
	esac
done
echo "report: $REPORT"

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
#   non-idle instructions per request in deterministic mode over one
#   keep-alive connection (uk_sched_busy_cycles_total: lib/uksched's idle
#   accounting), several runs with their spread, with both --idle modes.
# Wall-clock figures come with their spread; the deterministic one repeats.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
. "$ROOT/benchmarks/stats.sh"
. "$ROOT/benchmarks/httpd_serve.sh"
bench_report httpd.txt
WORK=$OUT/httpd
mkdir -p "$WORK"

FIRST_200_RUNS=${FIRST_200_RUNS:-10}
WRK_RUNS=${WRK_RUNS:-5}
DET_REQUESTS=${DET_REQUESTS:-10000}
DET_RUNS=${DET_RUNS:-5}
DET_RUNS_MODES=${DET_RUNS_MODES:-3}
# Which figures (all by default): size first200 det wrk.
HTTPD_BENCH_PARTS=${HTTPD_BENCH_PARTS:-size first200 det wrk}

command -v wrk >/dev/null || {
	echo "benchmarks/httpd.sh: wrk missing (scripts/deps.sh installs it)" >&2
	exit 1
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
	local name img
	say "wrk -t1 -c32 -d10s, TCG, $WRK_RUNS runs back to back against one boot per mode, after a 3 s warm-up run (discarded):"
	for name in rtc-irq rtc-poll thr-irq thr-poll; do
		img=IMG_${name//-/_}
		LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
		measure_wrk_mode "$name" "${!img}"
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
# `unitune bench http --per-request N` (bench/per_request.c, the one home
# of the arithmetic, shared with the tuner's
# http.guest.instructions_per_request): scrape /metrics, N pages in turn
# over one keep-alive connection (libcurl, nothing pipelined), scrape,
# scrape; every counter's growth between scrapes 1 and 2, less one
# scrape's own (2 to 3), per request. Prints its figures as one row:
# non-idle (uk_sched_busy_cycles_total), executed (cycles less halted:
# rounds of waiting that found nothing included), the event loop's busy
# cycles, read-to-write latency, frames received, halts, event loop
# wake-ups.
measure_det_run() { # image idle-mode
	# With --idle skip the guest's clock races ahead whenever it waits:
	# an hour's timeouts keep a slow host's client from getting a 408.
	"$UNITUNE" bench http --per-request "$DET_REQUESTS" --idle "$2" "$1" -- \
		--idle-timeout 3600000 --request-timeout 3600000 \
		>"$WORK/det-out" 2>"$WORK/det-err" || return 1
	awk '$1 == "per" && $2 == "request:" {
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%.1f %.1f %.1f %.1f %.3f %.2f %.3f\n", v["busy"], v["executed"],
			v["loop_busy"], v["latency"], v["frames"], v["halts"], v["wakeups"]
		found = 1
	}
	END { exit !found }' "$WORK/det-out"
}

# spread FILE COLUMN: (max - min) / median of the column, in percent.
spread() {
	cut -d' ' -f"$2" "$1" | sort -g |
		awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "%.2f%%", m ? 100 * (v[NR] - v[1]) / m : 0 }'
}

measure_det() { # name image idle-mode runs
	local name=$1 img=$2 idle=$3 runs=$4 i rows=$WORK/det-$1-$3.txt
	: >"$rows"
	for i in $(seq "$runs"); do
		measure_det_run "$img" "$idle" >>"$rows" || {
			say "$name --idle $idle: deterministic run $i failed (see $WORK/det-out, $WORK/det-err)"
			return
		}
	done
	say "$(printf '%-8s --idle %-4s non-idle %s, spread %s; per run: %s' "$name" "$idle" \
		"$(stats "$rows" 1)" "$(spread "$rows" 1)" "$(cut -d' ' -f1 "$rows" | paste -sd' ')")"
	say "                     per request, frames received: $(cut -d' ' -f5 "$rows" | paste -sd' ');" \
		"event loop wake-ups: $(cut -d' ' -f7 "$rows" | paste -sd' '); halts: $(cut -d' ' -f6 "$rows" | paste -sd' ')"
	say "                     executed (idle rounds included): $(stats "$rows" 2);" \
		"event loop busy: $(stats "$rows" 3); first byte read to last byte written: $(stats "$rows" 4)"
}

measure_det_all() {
	local m img
	say "instructions per page request, deterministic (TCG -icount), $DET_REQUESTS sequential requests on one keep-alive"
	say "connection, median (min-max) of $DET_RUNS runs (other modes: $DET_RUNS_MODES runs), spread = (max-min)/median:"
	measure_det rtc-irq "$IMG_rtc_irq" skip "$DET_RUNS"
	measure_det rtc-irq "$IMG_rtc_irq" real "$DET_RUNS"
	for m in rtc-poll thr-irq thr-poll; do
		img=IMG_${m//-/_}
		measure_det "$m" "${!img}" real "$DET_RUNS_MODES"
	done
	say "  (non-idle: growth of uk_sched_busy_cycles_total in /metrics, i.e. TSC cycles less idle ones (halts,"
	say "   and the rounds of a wait that found nothing: lib/uksched's idle accounting), one scrape's work"
	say "   subtracted; under -icount a cycle is an instruction. $UNITUNE bench http --per-request $DET_REQUESTS"
	say "   --idle MODE IMAGE -- --idle-timeout 3600000 --request-timeout 3600000 (libcurl, one keep-alive"
	say "   connection, whose set-up and close are in the figure). What varies is"
	say "   the host's timing, in two ways. Frames: slirp delays its ACK of an answer by 2 ms of the guest's"
	say "   clock; a run whose client is slower sends more of them apart from the next request, and each"
	say "   costs the guest its own round. Wake-ups: a request that arrives before the server's last read"
	say "   of the one before is served without returning to epoll_wait; one that arrives later costs a"
	say "   wake-up. --idle skip (sleep=off) also jumps the guest's clock to its next timer whenever it"
	say "   halts, which fires slirp's delayed ACK at once; --idle real (sleep=on) lets it follow the host's."
	say "   Outputs in $WORK/det-*.txt)"
}

# --- the images: one per lwIP integration mode x device wake-up mode ------
build_images() {
	local modes="rtc-irq: rtc-poll:CONFIG_UKNETDEV_POLL=y thr-irq:CONFIG_UKSCHED_COOP=y"
	local m name sets s var
	modes="$modes thr-poll:CONFIG_UKSCHED_COOP=y,CONFIG_UKNETDEV_POLL=y"
	for m in $modes; do
		name=${m%%:*}
		sets=()
		for s in $(echo "${m#*:}" | tr , ' '); do sets+=(--set "$s"); done
		var=IMG_${name//-/_}
		printf -v "$var" '%s' "$(build_httpd "$name" "${sets[@]}")"
	done
}

say "httpd benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
build_images
for p in $HTTPD_BENCH_PARTS; do
	case $p in
	size | first200 | det | wrk) ;;
	*)
		echo "benchmarks/httpd.sh: HTTPD_BENCH_PARTS: unknown part '$p' (size first200 det wrk)" >&2
		exit 2
		;;
	esac
done
part() { [[ " $HTTPD_BENCH_PARTS " == *" $1 "* ]]; }
if part size; then measure_size_and_mem "$IMG_rtc_irq"; fi
if part first200; then measure_first_200 "$IMG_rtc_irq"; fi
if part det; then measure_det_all; fi
if part wrk; then measure_wrk; fi
echo "report: $REPORT"

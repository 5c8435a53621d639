#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# benchmarks/httpd_soak.sh: the long version of the heap-flat check
# (tests/system/test_httpd.sh, httpd_guest_heap_flat_over_a_run, runs
# 20,000 requests): SOAK_REQUESTS (1,000,000) requests against the guest
# httpd under TCG, over 32 keep-alive connections 4 deep in pipeline.
# After a warm-up, /metrics' httpd_heap_in_use_bytes is read with only
# the scraping connection open, before and after the run. Prints the
# requests, errors, heap in use and live blocks before and after, and the
# wall time; exits 1 when any request failed or the heap grew.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/benchmarks/lib.sh"
. "$ROOT/benchmarks/httpd_serve.sh"
bench_report httpd_soak.txt
WORK=$OUT/httpd-soak
mkdir -p "$WORK"

SOAK_REQUESTS=${SOAK_REQUESTS:-1000000}
SOAK_WARMUP=${SOAK_WARMUP:-20000}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-32}
SOAK_PIPELINE=${SOAK_PIPELINE:-4}

# load N FILE: N pages from httpload (ramped: slirp's backlog of 1); its
# summary line in FILE. Fails when a request failed.
load() {
	"$HTTPLOAD" --port "$SERVE_PORT" --connections "$SOAK_CONNECTIONS" \
		--pipeline "$SOAK_PIPELINE" --requests "$1" --expect-length 612 \
		--ramp >"$2"
}

# field NAME FILE: NAME=VALUE from httpload's summary line.
field() {
	sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" "$2"
}

fail() {
	say "httpd soak: FAILED: $*"
	exit 1
}

build_httpload
img=$(build_httpd soak)
[ -n "$img" ] || fail "the httpd image did not build ($WORK/soak.build.log)"
say "httpd soak, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
serve "$img" --accel tcg
await_200 60 || fail "no HTTP 200 from the guest within 60 s ($WORK/serve.err)"

load "$SOAK_WARMUP" "$WORK/warmup.txt" || fail "warm-up: $(cat "$WORK/warmup.txt")"
wait_quiet "$WORK/before.txt" || fail "connections still open after the warm-up"
heap_before=$(metric httpd_heap_in_use_bytes "$WORK/before.txt")
blocks_before=$(metric httpd_heap_blocks "$WORK/before.txt")
[[ "$heap_before" =~ ^[0-9]+$ ]] || fail "no httpd_heap_in_use_bytes in $WORK/before.txt"

t0=$(date +%s.%N)
rc=0
load "$SOAK_REQUESTS" "$WORK/load.txt" || rc=$?
t1=$(date +%s.%N)
wait_quiet "$WORK/after.txt" || fail "connections still open after the run"
heap_after=$(metric httpd_heap_in_use_bytes "$WORK/after.txt")
blocks_after=$(metric httpd_heap_blocks "$WORK/after.txt")
pages=$(($(metric 'httpd_requests_total{handler="page"}' "$WORK/after.txt") -
	$(metric 'httpd_requests_total{handler="page"}' "$WORK/before.txt")))
unserve

requests=$(field requests "$WORK/load.txt")
answered=$(field answered "$WORK/load.txt")
errors=$(field errors "$WORK/load.txt")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
say "requests $requests, answered $answered, errors ${errors:-?} (httpload exit $rc); the guest counted $pages pages"
say "heap in use: $heap_before bytes before, $heap_after after ($blocks_before and $blocks_after live blocks)"
say "wall time: $wall s, $(awk -v n="$answered" -v s="$wall" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') requests/s (TCG, wall; load average at the end $(cut -d' ' -f1-3 /proc/loadavg))"
say "  ($UNITUNE run --accel tcg -p 0:80 $img; $HTTPLOAD --connections $SOAK_CONNECTIONS"
say "   --pipeline $SOAK_PIPELINE --requests N --expect-length 612 --ramp: $SOAK_WARMUP to warm up, then"
say "   $SOAK_REQUESTS; httpd_heap_in_use_bytes from /metrics once only the scraping connection is open)"
[ "$rc" = 0 ] && [ "${errors:-1}" = 0 ] && [ "$answered" = "$SOAK_REQUESTS" ] ||
	fail "$errors of $requests requests failed"
[ "$pages" = "$SOAK_REQUESTS" ] || fail "the guest served $pages pages, not $SOAK_REQUESTS"
[ "$heap_after" -le "$heap_before" ] ||
	fail "the heap grew by $((heap_after - heap_before)) bytes over $SOAK_REQUESTS requests"
say "httpd soak: passed (heap flat, no error)"
echo "report: $REPORT"

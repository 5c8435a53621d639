# SPDX-License-Identifier: BSD-3-Clause
# A sweep whose benchmark is of kind http (tuner/measure_http.c): httpd
# variants measured with wrk (wall-clock, repetitions) and their
# instructions per request from a deterministic boot; a configuration
# that does not build (the receive window beyond the pbuf pool) is a
# failed variant, and the sweep goes on.

# Three points of PBUF_POOL_SIZE: 2 pbufs cannot hold the default
# 23360-byte window (lwipopts.h stops the build), 64 and 128 build.
http_space() { # file
	cat >"$1" <<'YAML'
name: http_tiny
app: httpd
options:
  - symbol: CONFIG_LWIP_PBUF_POOL_SIZE
    type: int
    values: [2, 64, 128]
benchmark:
  kind: http
  http: {duration: 1s, warmup: 0, connections: 4, det_requests: 50}
  metrics: [http.wrk.requests_per_s, http.wrk.latency_p99_us, http.guest.instructions_per_request]
  repetitions: 2
objectives:
  - {metric: http.wrk.requests_per_s, goal: maximize}
  - {metric: http.wrk.latency_p99_us, goal: minimize}
mode: wall
YAML
}

# The number of rows of runs for METRIC of KIND whose value is above MIN,
# over the done variants.
http_rows() { # db metric kind min
	sqlite3 "$1" "SELECT count(*) FROM runs r JOIN variants v
		ON v.id = r.variant_id WHERE v.status = 'done'
		AND r.metric = '$2' AND r.kind = '$3' AND r.value > $4"
}

test_tune_http_sweep_stores_wrk_and_per_request_rows() {
	command -v wrk >/dev/null || skip "wrk is not installed (scripts/deps.sh)"
	http_space h.yaml
	"$UNITUNE" tune --db h.db --work w --jobs 2 --progress never h.yaml \
		>out 2>err || { cat out err >&2; fail "tune h.yaml"; return 1; }
	cat err
	expect_eq "2|1" "$(sqlite3 h.db "SELECT sum(status = 'done'),
		sum(status = 'build_failed') FROM variants")" \
		"done and build_failed variants" || return 1
	sqlite3 h.db "SELECT log_tail FROM variants
		WHERE status = 'build_failed'" >failed.txt
	expect_grep 'must be at most CONFIG_LWIP_PBUF_POOL_SIZE' failed.txt ||
		return 1
	# Two wall-clock samples per done variant, each above zero.
	expect_eq 4 "$(http_rows h.db http.wrk.requests_per_s wall 0)" \
		"requests/s samples above 0" || return 1
	expect_eq 4 "$(http_rows h.db http.wrk.latency_p99_us wall 0)" \
		"p99 samples above 0" || return 1
	# One deterministic figure per variant: a request costs the guest
	# thousands of instructions, never nothing.
	expect_eq 2 "$(http_rows h.db http.guest.instructions_per_request \
		deterministic 1000)" "instructions per request above 1000" ||
		return 1
	expect_grep 'best: LWIP_PBUF_POOL_SIZE=(64|128) .*http.wrk.requests_per_s=' err
}

# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the httpd benchmarks after lib.sh, with WORK set: building
# apps/httpd and its load client, booting it with its port published,
# and reading its /metrics.

HTTPLOAD=$ROOT/build/httpd/httpload

build_httpload() {
	make --no-print-directory -C "$ROOT" build/httpd/httpload >/dev/null
}

# build_httpd NAME [--set OPT=VAL...]: prints the image's path.
build_httpd() {
	local name=$1
	shift
	"$UNITUNE" build --app httpd -o "$WORK/$name" "$@" 2>"$WORK/$name.build.log" | tail -n 1
}

# serve IMAGE [run options...] [-- httpd options...]: boots the image with
# port 80 published on a free host port; sets SERVE_PID and SERVE_PORT
# (empty when the run ended before QEMU listened). Console to
# $WORK/serve.out and .err. No time limit (unitune run's default is 30 s):
# unserve ends it.
serve() {
	local img=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	"$UNITUNE" run --timeout 0 -p 0:80 "${opts[@]}" "$img" "$@" >"$WORK/serve.out" 2>"$WORK/serve.err" &
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

# scrape FILE: the guest's /metrics into FILE.
scrape() {
	curl -sS --max-time 20 -o "$1" "http://127.0.0.1:$SERVE_PORT/metrics"
}

# metric NAME FILE: the sample NAME (labels as in the text), or "missing".
metric() {
	awk -v n="$1" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }' "$2"
}

# wait_quiet FILE: scrape into FILE until the scraping connection is the
# only one open (the server has seen every earlier client close); fails
# after 10 s.
wait_quiet() {
	for _ in $(seq 100); do
		scrape "$1" || return 1
		[ "$(metric httpd_connections_open "$1")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# SPDX-License-Identifier: BSD-3-Clause
# `unitune tune --push URL` and `unitune bench http --push URL` against
# Debian's prometheus-pushgateway on 127.0.0.1 (a free port, no
# persistence file): the results read back from the gateway's /metrics,
# an HTTP error that shows the gateway's answer, a refused connection
# that names the URL. The gateway is
# stopped when the test ends, whichever way (trap).

PUSHGATEWAY=/usr/bin/prometheus-pushgateway

push_gateway_stop() {
	[ -n "${GW_PID:-}" ] || return 0
	kill "$GW_PID" 2>/dev/null || true
	wait "$GW_PID" 2>/dev/null || true
	GW_PID=
}

# Start the gateway on a free port (another program may take the port
# between the pick and the gateway's listen: three tries), and wait
# until it answers /-/ready. Sets GW_URL and GW_PID.
push_gateway_start() {
	local port
	[ -x "$PUSHGATEWAY" ] ||
		skip "$PUSHGATEWAY is not installed (scripts/deps.sh installs prometheus-pushgateway)"
	trap push_gateway_stop EXIT
	for _ in 1 2 3; do
		port=$(free_port)
		"$PUSHGATEWAY" --web.listen-address="127.0.0.1:$port" \
			--persistence.file= >gateway.log 2>&1 &
		GW_PID=$!
		GW_URL=http://127.0.0.1:$port
		wait_http_ready "$GW_URL/-/ready" "$GW_PID" && return 0
		push_gateway_stop
	done
	cat gateway.log >&2
	fail "the Pushgateway did not start on 127.0.0.1 (log above)"
}

# The gateway's /metrics into FILE.
push_scrape() { # file
	curl -fsS --noproxy '*' -o "$1" "$GW_URL/metrics" || fail "GET $GW_URL/metrics"
}

# The value of the one sample NAME in FILE that carries every label
# k="v" given; "found N samples" when there is not exactly one. Values
# here hold no space or comma.
push_value() { # file name label...
	local file=$1 name=$2
	shift 2
	awk -v name="$name" -v want="$*" '
	BEGIN { n = split(want, w, " ") }
	index($0, name "{") == 1 {
		labels = substr($0, length(name) + 2)
		sub(/} [^ ]*$/, "", labels)
		ok = 1
		for (i = 1; i <= n; i++)
			if (index("," labels ",", "," w[i] ",") == 0)
				ok = 0
		if (ok) { value = $NF; found++ }
	}
	END { print found == 1 ? value : "found " found + 0 " samples" }' "$file"
}

# The gateway writes large numbers with an exponent (3.3488e+04).
expect_num() { # expected actual what
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(b ~ /^[-+0-9.eE]+$/ && a + 0 == b + 0) }' ||
		fail "$3: expected $1, got '$2'"
}

# Equal to 12 significant digits: sqlite3 prints 15, the gateway 17.
expect_close() { # expected actual what
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d
		m = a < 0 ? -a : a
		exit !(b ~ /^[-+0-9.eE]+$/ && d <= 1e-12 * m) }' ||
		fail "$3: expected $1, got '$2'"
}

# Two variants of hello (with and without the boot banner), measured by
# boot_cycles: the sweep the pushes carry.
push_space() {
	cat >push.yaml <<'YAML'
name: pushed
app: hello
options:
  - symbol: CONFIG_UKBOOT_BANNER
    type: bool
    values: [y, n]
benchmark:
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
}

push_tune() { # url
	"$UNITUNE" tune --db p.db --work w --jobs 2 --progress never \
		--push "$1" push.yaml >out 2>err
}

test_push_tune_results_read_back_from_the_gateway() {
	push_gateway_start
	push_space
	push_tune "$GW_URL/" || fail "tune --push: $(cat err)"
	expect_grep "pushed 2 variants to $GW_URL/ \\(job unitune_tune, experiment pushed\\)" err
	push_scrape m1
	commit=$(sqlite3 p.db "SELECT git_commit FROM environment")
	[ -n "$commit" ] || fail "no commit recorded"
	best=$(sqlite3 p.db "SELECT variant_id FROM runs WHERE metric = 'boot_cycles' ORDER BY value LIMIT 1")
	expect_eq 2 "$(sqlite3 p.db "SELECT count(*) FROM variants WHERE status = 'done'")" "variants done"
	sqlite3 -separator ' ' p.db "SELECT id, config_hash FROM variants" >variants
	while read -r id hash; do
		g="job=\"unitune_tune\" experiment=\"pushed\" commit=\"$commit\" config_hash=\"$hash\""
		expect_eq 1 "$(push_value m1 unitune_status $g 'status="done"')" "variant $id status"
		for m in boot_cycles image_size; do
			want=$(sqlite3 p.db "SELECT avg(value) FROM runs WHERE variant_id = $id AND metric = '$m'")
			unit=$(sqlite3 p.db "SELECT unit FROM runs WHERE variant_id = $id AND metric = '$m'")
			for stat in mean min max; do
				expect_num "$want" "$(push_value m1 unitune_result_$stat $g "metric=\"$m\"" "unit=\"$unit\"")" \
					"variant $id $m $stat"
			done
			expect_num 0 "$(push_value m1 unitune_result_stddev $g "metric=\"$m\"")" "variant $id $m stddev"
			expect_num 1 "$(push_value m1 unitune_result_repetitions $g "metric=\"$m\"")" "variant $id $m repetitions"
		done
		expect_num "$([ "$id" = "$best" ] && echo 1 || echo 2)" \
			"$(push_value m1 unitune_rank $g)" "variant $id rank"
	done <variants
	expect_eq 2 "$(grep -c '^unitune_status{' m1)" "groups on the gateway"
	# What the gateway serves of ours (names, HELP, types) passes
	# promtool's checks, as the guest's /metrics does.
	command -v promtool >/dev/null || fail "promtool missing (scripts/deps.sh installs prometheus)"
	promtool check metrics <m1 >promtool.out 2>&1 || {
		cat promtool.out >&2
		fail "promtool check metrics on the gateway's text"
	}

	# Pushed again (the sweep resumes, complete): each group is replaced,
	# none added.
	push_tune "$GW_URL" || fail "tune --push again: $(cat err)"
	push_scrape m2
	expect_eq 2 "$(grep -c '^unitune_status{' m2)" "groups after a second push"
	expect_eq 2 "$(grep -c '^unitune_result_mean{.*metric="boot_cycles"' m2)" "boot_cycles samples after a second push"

	# The gateway is stopped by the test's end.
	pid=$GW_PID
	push_gateway_stop
	! kill -0 "$pid" 2>/dev/null || fail "the gateway (pid $pid) still runs"
}

# A 4xx from the gateway is an error that shows what the gateway said;
# the results stay in the store, and a later push with the gateway gone
# names the URL it could not reach.
test_push_errors_show_the_gateway_answer() {
	push_gateway_start
	push_space
	# Another job holds unitune_status as a counter: the gateway refuses
	# a gauge of that name (inconsistent with what it has).
	printf '# TYPE unitune_status counter\nunitune_status 1\n' |
		curl -fsS --noproxy '*' -X PUT --data-binary @- "$GW_URL/metrics/job/other" ||
		fail "the conflicting push was refused"
	expect_eq 1 "$(run_status push_tune "$GW_URL")" "exit status, 400"
	# The gateway's answer names the metric (its words vary between
	# versions and runs: "is not a COUNTER", "has type ...").
	expect_grep "error: push to $GW_URL: variant [0-9]+ \\([0-9a-f]{12}\\): PUT $GW_URL/metrics/job/unitune_tune/experiment/pushed/commit/[^/]+/config_hash/[0-9a-f]{64}: HTTP 400 from the Pushgateway: pushed metrics are invalid or inconsistent with existing metrics: .*unitune_status" err
	expect_grep "the results are in p.db; run the same command again to push them" err
	expect_eq 2 "$(sqlite3 p.db "SELECT count(*) FROM variants WHERE status = 'done'")" "variants kept"

	# A path where the gateway has no API: 404 and its answer.
	expect_eq 1 "$(run_status push_tune "$GW_URL/nope")" "exit status, 404"
	expect_grep "PUT $GW_URL/nope/metrics/job/unitune_tune/.*: HTTP 404 from the Pushgateway: 404 page not found" err

	# Nothing listens any more.
	push_gateway_stop
	expect_eq 1 "$(run_status push_tune "$GW_URL")" "exit status, refused"
	expect_grep "error: push to $GW_URL: cannot connect to the Pushgateway at $GW_URL: Connection refused \\(is it running\\?\\)" err
}

# A URL that cannot be a Pushgateway's is a usage error before any
# sweep starts (nothing is built, no store is written).
test_push_bad_url_is_refused_before_the_sweep() {
	push_space
	for url in ftp://127.0.0.1:9091 'http://127.0.0.1:9091/?x=1' not-a-url; do
		expect_eq 2 "$(run_status "$UNITUNE" tune --db p.db --push "$url" push.yaml)" "exit status for $url"
		expect_grep "unitune tune: --push: Pushgateway URL '$(printf '%s' "$url" | sed 's/[?.]/\\&/g')'" err
		[ ! -e p.db ] || fail "a store was written for $url"
	done
}

# `unitune bench http --push`: the bench's figures read back from the
# gateway as the group job unitune_bench, commit, config hash, equal to
# the store's medians; a 4xx shows the gateway's answer and is exit
# status 1, with the table printed and the run stored all the same.
test_push_bench_http_read_back_from_the_gateway() {
	local img commit hash g want
	push_gateway_start
	img=$(test_image httpd) || fail "the httpd image did not build"
	"$UNITUNE" bench http -d 1s -n 2 -w 0 --setup 2 --accel tcg --db b.db \
		--push "$GW_URL" "$img" >out 2>err || fail "bench http --push: $(cat err)"
	commit=$(sqlite3 b.db "SELECT git_commit FROM benches")
	hash=$(sqlite3 b.db "SELECT config_hash FROM benches")
	[ -n "$commit" ] && [ ${#hash} = 64 ] || fail "no commit or config hash stored"
	expect_grep "pushed to $GW_URL \\(job unitune_bench, commit $commit, config_hash $hash\\)" err
	push_scrape m1
	g="job=\"unitune_bench\" commit=\"$commit\" config_hash=\"$hash\""
	for m in requests_per_s latency_p99_us; do
		want=$(sqlite3 b.db "SELECT median FROM bench_stats WHERE metric = '$m'")
		expect_close "$want" "$(push_value m1 unitune_result_median $g "metric=\"$m\"")" "$m median"
		want=$(sqlite3 b.db "SELECT min FROM bench_stats WHERE metric = '$m'")
		expect_close "$want" "$(push_value m1 unitune_result_min $g "metric=\"$m\"")" "$m min"
		expect_num 2 "$(push_value m1 unitune_result_repetitions $g "metric=\"$m\"")" "$m repetitions"
	done
	want=$(sqlite3 b.db "SELECT first_200_ms FROM benches")
	expect_close "$want" "$(push_value m1 unitune_result_median $g 'metric="first_200_ms"')" "first 200 ms"
	expect_grep "^unitune_status\\{.*job=\"unitune_bench\"" m1
	[ "$(push_value m1 unitune_result_median $g 'metric="requests_per_s"')" != 0 ] ||
		fail "requests/s pushed as 0"

	# A path where the gateway has no API: 404, its answer shown; the
	# table and the store are there all the same.
	expect_eq 1 "$(run_status "$UNITUNE" bench http -d 1s -n 1 -w 0 --setup 2 \
		--accel tcg --db b.db --push "$GW_URL/nope" "$img")" "exit status, 404"
	expect_grep "error: push to $GW_URL/nope: PUT $GW_URL/nope/metrics/job/unitune_bench/commit/[^/]+/config_hash/[0-9a-f]{64}: HTTP 404 from the Pushgateway: 404 page not found" err
	expect_grep '^requests/s ' out
	expect_eq 2 "$(sqlite3 b.db "SELECT count(*) FROM benches")" "benches stored"
}

# `bench http --baseline linux --push`: each side its own group, the
# Linux VM's under config_hash "linux", with requests/s and one
# first_200_ms (the sides' own figure, not a second one). The Linux
# guest is built as tests/system/test_linux_guest.sh builds it (its
# linux_guest_build, sourced before this file).
test_push_bench_baseline_pushes_both_sides() {
	local img commit hash side g
	declare -F linux_guest_build >/dev/null ||
		fail "linux_guest_build (tests/system/test_linux_guest.sh) is not defined"
	push_gateway_start
	img=$(net_mode_image httpd rtc_irq)
	linux_guest_build
	"$UNITUNE" bench http --baseline linux -d 1s -n 1 -w 0 --setup 1 --accel tcg \
		--db b.db --push "$GW_URL" "$img" >out 2>err ||
		fail "bench --baseline linux --push: $(cat err)"
	commit=$(sqlite3 b.db "SELECT git_commit FROM benches WHERE side = 'unikernel'")
	hash=$(sqlite3 b.db "SELECT config_hash FROM benches WHERE side = 'unikernel'")
	expect_grep "pushed to $GW_URL \\(job unitune_bench, commit $commit, config_hash $hash\\)" err
	expect_grep "pushed to $GW_URL \\(job unitune_bench, commit $commit, config_hash linux\\)" err
	push_scrape m1
	for side in "$hash" linux; do
		g="job=\"unitune_bench\" commit=\"$commit\" config_hash=\"$side\""
		want=$(sqlite3 b.db "SELECT s.median FROM bench_stats s JOIN benches b ON b.id = s.bench_id
			WHERE b.config_hash = '$side' AND s.metric = 'requests_per_s'")
		expect_close "$want" "$(push_value m1 unitune_result_median $g 'metric="requests_per_s"')" \
			"$side requests/s"
		expect_num 1 "$(push_value m1 unitune_result_repetitions $g 'metric="first_200_ms"')" \
			"$side first 200 repetitions"
	done
}

# `unitune nightly --push URL`: the newest commit's figures, one group per
# benchmark, equal to what the night stored in its history.
test_nightly_push_reads_back_from_the_gateway() {
	# shellcheck source=tests/system/nightly_repo.sh
	. "$ROOT/tests/system/nightly_repo.sh"
	push_gateway_start
	nightly_suite
	git clone -q "$ROOT" repo
	head=$(git -C repo rev-parse HEAD)
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo --db n.db \
		--work w --push "$GW_URL")
	expect_eq 0 "$st" "nightly --push status (stderr: $(tail -n 5 err))"
	expect_grep "pushed the figures of ${head:0:12} to $GW_URL" err
	push_scrape metrics.txt
	stored=$(sqlite3 n.db "SELECT value FROM history_samples WHERE git_commit = '$head' AND benchmark = 'syscall' AND metric = 'syscall.syscall_raw.cycles_per_op'")
	[ -n "$stored" ] || fail "no stored value to compare with"
	pushed=$(push_value metrics.txt unitune_result_median 'job="unitune_nightly"' \
		'benchmark="syscall"' "commit=\"$head\"" 'metric="syscall.syscall_raw.cycles_per_op"')
	expect_eq "$(awk -v v="$stored" 'BEGIN { print v + 0 }')" "$(awk -v v="$pushed" 'BEGIN { print v + 0 }')" "pushed median vs stored value"
	expect_eq 5 "$(push_value metrics.txt unitune_result_repetitions 'job="unitune_nightly"' \
		'benchmark="syscall-wall"' 'metric="syscall.syscall_raw.cycles_per_op"')" "wall repetitions pushed (warm-up left out)"
	push_gateway_stop
}

# SPDX-License-Identifier: BSD-3-Clause
# virtio-serial ports: `unitune run --port NAME=FILE` on the host, the
# virtio-mmio console driver in the guest. vcontest writes byte[i] = i % 251
# to the port "unitune.test"; the checks rebuild that pattern here.

# vc_pattern N FILE: N bytes of byte[i] = i % 251 (doubling a 251-byte
# period keeps the phase).
vc_pattern() {
	local i
	for i in $(seq 0 250); do printf "\\$(printf %03o "$i")"; done >"$2"
	while [ "$(stat -c %s "$2")" -lt "$1" ]; do
		cat "$2" "$2" >"$2.tmp" && mv "$2.tmp" "$2"
	done
	head -c "$1" "$2" >"$2.tmp" && mv "$2.tmp" "$2"
}

test_port_receives_exactly_the_bytes_written() {
	img=$(test_image vcontest)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg \
		--port unitune.trace="$PWD/trace" --port unitune.test="$PWD/got" \
		"$img" -- 1048576 1 7 4093 0 65537)" "status"
	expect_grep '^\[uk\] virtio-console at 0x[0-9a-f]+: 2 ports: unitune.trace\(1\) unitune.test\(2\)$' out
	expect_eq 6 "$(grep -c '^vcontest: wrote [0-9]* bytes in [0-9]* cycles' out)" "write lines"
	expect_no_grep 'warning' out
	vc_pattern $((1048576 + 1 + 7 + 4093 + 65537)) want
	cmp want got || fail "port file differs from the pattern"
	# The other port holds only the tracer's stream (it starts with the
	# stream magic): the test bytes went to the port they were written to.
	[ "$(head -c 4 trace)" = UTTR ] || fail "unitune.trace should hold the trace stream only"
}

test_large_write_and_bandwidth() {
	img=$(test_image vcontest)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --mem 64M \
		--port unitune.test="$PWD/got" "$img" -- 16777216)" "status"
	expect_grep '^vcontest: wrote 16777216 bytes in [0-9]+ cycles .* MB/s at [0-9]+ Hz\)$' out
	grep '^vcontest:' out # the figure, for the log
	expect_eq 16777216 "$(stat -c %s got)" "port file size"
	vc_pattern 16777216 want
	cmp want got || fail "port file differs from the pattern"
}

test_missing_port_is_a_clear_failure() {
	img=$(test_image vcontest)
	expect_eq 1 "$(run_status "$UNITUNE" run --accel tcg "$img" -- 100)" "status without a port"
	expect_grep '^vcontest: no virtio-serial port named unitune.test \(run with --port unitune.test=FILE\)$' out
	expect_no_grep 'virtio-console' out
	# A device with other ports only: the same answer.
	expect_eq 1 "$(run_status "$UNITUNE" run --accel tcg --port other="$PWD/o" "$img" -- 100)" "status with another port"
	expect_grep '^vcontest: no virtio-serial port named unitune.test' out
}

test_hello_runs_with_and_without_a_port() {
	img=$(test_image hello)
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg "$img")" "status without a port"
	expect_no_grep 'virtio' out
	expect_no_grep 'warning' out
	[ ! -s err ] || fail "stderr should be empty: $(cat err)"
	expect_eq 0 "$(run_status "$UNITUNE" run --accel tcg --port unitune.trace="$PWD/t" "$img")" "status with a port"
	expect_grep '^Hello from Unitune!$' out
	expect_grep '^\[uk\] virtio-console at 0x[0-9a-f]+: 1 port: unitune.trace\(1\)$' out
	expect_no_grep 'warning' out
	[ ! -s err ] || fail "stderr should be empty: $(cat err)"
}

test_deterministic_writes_repeat_to_the_cycle() {
	img=$(test_image vcontest)
	for i in 1 2; do
		expect_eq 0 "$(run_status "$UNITUNE" run --deterministic \
			--port unitune.test="$PWD/got$i" "$img" -- 262144 13)" "status $i"
		grep -E '^(vcontest:|\[uk\] boot:)' out >"lines$i"
	done
	expect_eq 3 "$(wc -l <lines1)" "result lines"
	cmp lines1 lines2 || fail "deterministic runs differ: $(diff lines1 lines2)"
	cmp got1 got2 || fail "port files differ"
}

test_bad_port_options_are_usage_errors() {
	img=$(test_image hello)
	expect_eq 2 "$(run_status "$UNITUNE" run --port 'bad name=x' "$img")" "bad name"
	expect_grep "port name 'bad name' has ' '" err
	expect_eq 2 "$(run_status "$UNITUNE" run --port a=/nonexistent/dir/f "$img")" "missing directory"
	expect_grep "directory '/nonexistent/dir' of '/nonexistent/dir/f' does not exist" err
	expect_eq 2 "$(run_status "$UNITUNE" run --port noequals "$img")" "no '='"
	expect_grep "'noequals' is not NAME=FILE" err
	expect_eq 2 "$(run_status "$UNITUNE" run --port a=x --port a=y "$img")" "duplicate"
	expect_grep "port 'a' given twice" err
	expect_eq 2 "$(run_status "$UNITUNE" run --port a="$PWD" "$img")" "a directory"
	expect_grep "is a directory" err
}

# SPDX-License-Identifier: BSD-3-Clause
# Trace points and the sampling profiler, end to end: unitune record in
# the guest, unitune report / diff on the host.

# self share (percent, two decimals) of FUNCTION in a report's top table
self_share() { # report function
	awk -v f="$2" '$NF ~ /:[0-9]+/ { } $5 == f { sub("%", "", $1); print $1; exit }' "$1"
}

within() { # value expected tolerance what
	awk -v v="$1" -v e="$2" -v t="$3" 'BEGIN { exit !(v >= e - t && v <= e + t) }' ||
		fail "$4: $1% is not within $2 +- $3"
}

test_profile_accuracy_60_30_10() {
	img=$(test_image profsplit)
	"$UNITUNE" record -d -F 10000 -o p.uttr "$img" >out 2>err
	"$UNITUNE" report p.uttr >rep
	within "$(self_share rep split_sixty)" 60 2 split_sixty
	within "$(self_share rep split_thirty)" 30 2 split_thirty
	within "$(self_share rep split_ten)" 10 2 split_ten
	expect_grep 'unikernel/apps/profsplit/main.c:[0-9]+' rep
	# The split functions are frameless leaves; their caller must still
	# be on every stack.
	"$UNITUNE" report --folded p.uttr >folded 2>/dev/null
	expect_grep ';main;split_sixty [0-9]+$' folded
	expect_no_grep 'enter_main;split_' folded
	# Deterministic: a second recording gives the same profile.
	"$UNITUNE" record -d -F 10000 -o q.uttr "$img" >/dev/null 2>&1
	"$UNITUNE" report q.uttr >rep2
	diff <(grep -v '^trace ' rep) <(grep -v '^trace ' rep2) || fail "deterministic profiles differ"
}

test_boot_steps_add_up_to_boot_cycles() {
	img=$(test_image profsplit)
	"$UNITUNE" record -d -F 0 -o b.uttr "$img" -- 10 >out 2>err
	cycles=$(sed -n 's/^\[uk\] boot: cycles=\([0-9]*\) .*/\1/p' out)
	"$UNITUNE" report --tracepoints b.uttr >rep
	expect_grep "^  boot total: $cycles cycles" rep
	sum=$(awk '/^boot steps/ { on = 1; next } on && $1 ~ /^boot_/ { s += $3 } END { print s }' rep)
	expect_eq "$cycles" "$sum" "sum of the boot steps"
	[ "$(grep -c '^  boot_' rep)" -ge 12 ] || fail "expected at least 12 boot steps"
}

test_lost_records_are_counted_with_a_tiny_buffer() {
	"$UNITUNE" build --app profsplit -o tiny --set CONFIG_UKTRACE_BUFFER_KB=1 >/dev/null 2>&1
	"$UNITUNE" record -d -F 20000 -k uk.trace_drain=idle -o t.uttr tiny/profsplit.elf -- 2000 >out 2>err
	lost=$(sed -n 's/.* \([0-9]*\) lost.*/\1/p' err | tail -n 1)
	[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no lost records reported: $(cat err)"
	"$UNITUNE" report t.uttr >rep 2>&1
	expect_grep "lost" rep
	expect_grep "$lost" rep
}

test_samples_before_a_crash_arrive() {
	img=$(test_image crash)
	expect_eq 139 "$(run_status "$UNITUNE" record -d -F 10000 -o c.uttr "$img" -- null 20000)" "status"
	# record, like run, adds file:line to the crash backtrace.
	fault_line=$(grep -n 'return \*p;' "$ROOT/unikernel/apps/crash/main.c" | cut -d: -f1)
	expect_grep "^  #0 0x[0-9a-f]+ crash_null_deref[^ ]* at .*/apps/crash/main\.c:$fault_line\$" out
	"$UNITUNE" report c.uttr >rep 2>&1
	expect_grep 'crash_busy_work' rep
	expect_grep 'crash' rep
}

test_report_views_and_diff() {
	img=$(test_image profsplit)
	"$UNITUNE" record -d -F 5000 -T all -o v.uttr "$img" -- 4000 >/dev/null 2>&1
	"$UNITUNE" report --folded v.uttr >folded 2>/dev/null
	expect_grep '^[^ ]*split_sixty [0-9]+$' folded
	"$UNITUNE" report --flame flame.svg v.uttr >/dev/null
	head -c 200 flame.svg | grep -q '<svg' || fail "flame.svg is not SVG"
	grep -q 'split_sixty' flame.svg || fail "flame.svg lacks split_sixty"
	"$UNITUNE" report --timeline tl.png v.uttr >/dev/null
	[ "$(head -c 4 tl.png | od -An -c | tr -d ' ')" = '211PNG' ] || fail "timeline is not a PNG"
	"$UNITUNE" report --tracepoints v.uttr >tp
	expect_grep '^  syscall +[0-9]+ +[0-9]+' tp
	expect_eq 0 "$(run_status "$UNITUNE" diff v.uttr v.uttr)" "diff of a trace with itself"
}

# Output that cannot be written is an error, named; so is a --trace
# name the image does not have, and a trace folder that cannot be made.
test_record_and_report_refuse_what_they_cannot_do() {
	img=$(test_image profsplit)
	expect_eq 2 "$(run_status "$UNITUNE" record -T nosuchpoint -o n.uttr "$img")" "-T nosuchpoint"
	expect_grep "^unitune record: --trace: .*'nosuchpoint' matches no trace point of the image \(it has: .*syscall" err
	expect_no_grep 'boot:' out
	[ ! -e n.uttr ] || fail "a trace was recorded for a bad --trace"
	expect_eq 2 "$(run_status "$UNITUNE" record -T 'syscall*,nosuch*' -o n.uttr "$img")" "one glob of two"
	expect_grep "'nosuch\*' matches no trace point" err
	expect_eq 2 "$(run_status "$UNITUNE" record -T 0x8000000000000000 -o n.uttr "$img")" "mask beyond the table"
	expect_grep 'names trace-point ids up to 63' err
	touch afile
	expect_eq 2 "$(run_status "$UNITUNE" record -o afile/sub/x.uttr "$img")" "-o under a file"
	expect_grep '^unitune record: cannot create the folder of the trace file afile/sub/x.uttr: ' err
	expect_no_grep 'boot:' out
	# A missing folder is created.
	expect_eq 0 "$(run_status "$UNITUNE" record -d -F 1000 -T 'syscall*' -o new/dir/t.uttr "$img" -- 100)" "record"
	[ -s new/dir/t.uttr ] || fail "no trace in new/dir"
	expect_eq 1 "$(run_status sh -c '"$0" report new/dir/t.uttr >/dev/full' "$UNITUNE")" "report > /dev/full"
	expect_grep '^unitune report: cannot write standard output: No space left on device' err
	expect_eq 1 "$(run_status sh -c '"$0" diff new/dir/t.uttr new/dir/t.uttr >/dev/full' "$UNITUNE")" "diff > /dev/full"
	expect_grep '^unitune diff: cannot write standard output: No space left on device' err
}

# Header values no guest writes and trace points sharing a name are
# reported with their offset; --strict refuses such a trace (report and
# diff alike).
test_strict_refuses_impossible_headers_and_duplicate_names() {
	img=$(test_image hello)
	c=$ROOT/tests/corpus
	for f in header-tsc-hz-impossible:8 header-tsc-boot-top-bit:16 \
		header-sample-hz-impossible:24 table-duplicate-name:200; do
		t=$c/${f%:*}.uttr
		expect_eq 0 "$(run_status "$UNITUNE" report --tracepoints "$t")" "${f%:*} without --strict"
		expect_grep "^unitune report: $t: offset ${f#*:}: " err
		expect_grep '^trace points: ' out
		expect_eq 1 "$(run_status "$UNITUNE" report --strict --tracepoints "$t")" "${f%:*} with --strict"
		expect_grep "^unitune report: $t: refused: 1 stream errors \(--strict\)" err
		[ ! -s out ] || fail "--strict still printed a view: $(head -n 3 out)"
		expect_eq 0 "$(run_status "$UNITUNE" diff --force --image-a "$img" --image-b "$img" "$t" "$t")" "diff ${f%:*}"
		expect_eq 1 "$(run_status "$UNITUNE" diff --strict --force --image-a "$img" --image-b "$img" "$t" "$t")" "diff --strict ${f%:*}"
		expect_grep "^unitune diff: $t: refused: 1 stream errors \(--strict\)" err
	done
	"$UNITUNE" report --tracepoints "$c/header-tsc-hz-impossible.uttr" >out 2>err
	expect_grep 'TSC rate 18446744073709551615 Hz is above 100000000000 Hz: impossible, taken as unknown' err
	expect_grep 'TSC frequency unknown' out
	"$UNITUNE" report --tracepoints "$c/table-duplicate-name.uttr" >out 2>err
	expect_grep "trace point 'alloc': duplicate name \(ids 0 and 2\)" err
	expect_eq 0 "$(run_status "$UNITUNE" report --strict --tracepoints "$c/valid.uttr")" "a valid trace under --strict"
}

test_build_id_mismatch_is_refused() {
	img=$(test_image profsplit)
	"$UNITUNE" record -d -F 1000 -o m.uttr "$img" -- 100 >/dev/null 2>&1
	other=$(test_image hello)
	[ "$(run_status "$UNITUNE" report --image "$other" m.uttr)" != 0 ] || fail "mismatch accepted"
	expect_grep 'build-id' err
}

test_truncated_and_corrupt_streams_are_reported() {
	img=$(test_image profsplit)
	"$UNITUNE" record -d -F 5000 -o s.uttr "$img" -- 1000 >/dev/null 2>&1
	head -c 3000 s.uttr >cut.uttr
	"$UNITUNE" report --image "$img" cut.uttr >rep 2>&1 || true
	expect_grep 'truncated|no end record' rep
	# Garbage over the first record header, right after the header and
	# the trace-point table.
	ntp=$("$UNITUNE" report --tracepoints s.uttr | sed -n 's/^trace points: \([0-9]*\) defined.*/\1/p')
	cp s.uttr bad.uttr
	printf '\377\377\377\377\377\377\377\377' |
		dd of=bad.uttr bs=1 seek=$((72 + ntp * 64)) conv=notrunc 2>/dev/null
	"$UNITUNE" report --image "$img" bad.uttr >rep 2>&1 || true
	expect_grep 'offset [0-9]+' rep
}

test_report_json_speedscope_and_pprof() {
	img=$(test_image profsplit)
	"$UNITUNE" record -d -F 10000 -o e.uttr "$img" >/dev/null 2>&1
	"$UNITUNE" report --json -n 0 e.uttr >top.json 2>top.err
	expect_grep '^trace e.uttr' top.err
	python3 - top.json <<'PY' || fail "report --json: $(cat top.json)"
import json, sys
d = json.load(open(sys.argv[1]))
f = {r["function"]: r for r in d["functions"]}
assert d["samples"] > 1000 and d["samples"] == d["samples_taken"], d
assert d["functions_total"] == len(d["functions"])
assert sum(r["self"] for r in d["functions"]) == d["samples"]
assert d["functions"][0]["function"] == "split_sixty", d["functions"][0]
for name, share in (("split_sixty", 60), ("split_thirty", 30), ("split_ten", 10)):
    r = f[name]
    assert abs(r["self_share"] - share) <= 2, r
    assert abs(r["self_share"] - 100.0 * r["self"] / d["samples"]) < 1e-9, r
    assert r["file"].endswith("apps/profsplit/main.c") and r["line"] > 0, r
assert f["main"]["total"] == d["samples"] and f["main"]["total_share"] == 100
assert d["lost"] == {"records": 0, "complete": True, "in_gap_markers": 0, "gap_markers": 0}
assert d["run"]["end"] == "exited" and d["run"]["exit_status"] == 0, d["run"]
assert d["run"]["drain_ms"] == 100 and d["run"]["last_record_s"] > 0, d["run"]
s = d["sampling"]
assert s["requested_hz"] == 10000 and s["windows_missed"] >= 0, s
assert s["effective_hz"] == 10000 * d["samples_taken"] / (d["samples_taken"] + s["windows_missed"]), s
assert d["stream_errors"] == 0 and d["sample_hz"] == 10000
PY
	samples=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["samples"])' top.json)
	"$UNITUNE" report --speedscope e.speedscope.json --pprof e.pb.gz e.uttr >rep
	expect_grep '^speedscope profile: e.speedscope.json' rep
	expect_grep '^pprof profile: e.pb.gz' rep
	python3 - e.speedscope.json "$samples" <<'PY' || fail "speedscope file is not valid"
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert d["$schema"] == "https://www.speedscope.app/file-format-schema.json"
frames = d["shared"]["frames"]
assert all(isinstance(fr["name"], str) and fr["name"] for fr in frames)
(p,) = d["profiles"]
assert p["type"] == "sampled" and p["unit"] == "none"
assert len(p["samples"]) == len(p["weights"]) > 0
assert all(0 <= i < len(frames) for s in p["samples"] for i in s)
assert sum(p["weights"]) == n == p["endValue"] - p["startValue"]
leaf = {}
for s, w in zip(p["samples"], p["weights"]):
    name = frames[s[-1]]["name"]
    leaf[name] = leaf.get(name, 0) + w
assert abs(100.0 * leaf["split_sixty"] / n - 60) <= 2, leaf
assert any(frames[s[0]]["name"] != "split_sixty" for s in p["samples"])
PY
	# An independent reader: protoc decodes the gzipped protobuf.
	gunzip -c e.pb.gz >e.pb || fail "e.pb.gz is not gzip"
	protoc --decode perftools.profiles.Profile -I "$ROOT/profiler" \
		"$ROOT/profiler/profile.proto" <e.pb >e.txt || fail "protoc cannot decode e.pb"
	python3 - e.txt "$samples" <<'PY' || fail "pprof profile: $(head -c 2000 e.txt)"
import re, sys
text = open(sys.argv[1]).read()
n = int(sys.argv[2])
strings = re.findall(r'^string_table: "(.*)"$', text, re.M)
assert strings[0] == "" and "split_sixty" in strings and "samples" in strings
samples = re.findall(r'^sample \{\n((?:  .*\n)*?)\}', text, re.M)
assert samples, "no samples"
counts = [int(re.findall(r'value: (\d+)', s)[0]) for s in samples]
assert sum(counts) == n, (sum(counts), n)
nfunc = len(re.findall(r'^function \{', text, re.M))
ids = [int(i) for s in samples for i in re.findall(r'location_id: (\d+)', s)]
assert all(1 <= i <= nfunc for i in ids)
PY
	# JSON on stdout goes with no other stdout view.
	expect_eq 2 "$(run_status "$UNITUNE" report --json --tracepoints e.uttr)" "--json with --tracepoints"
	expect_grep 'json' err
}

test_diff_is_exact_for_deterministic_traces_and_marks_noise_otherwise() {
	img=$(test_image profsplit)
	# Two deterministic recordings that sample at slightly different
	# instants: their shares differ a little, by sampling alone.
	"$UNITUNE" record -d -F 5000 -o a.uttr "$img" -- 4000 >/dev/null 2>&1
	"$UNITUNE" record -d -F 4999 -o b.uttr "$img" -- 4000 >/dev/null 2>&1
	expect_grep '^clock=deterministic$' a.uttr.meta
	"$UNITUNE" diff -n 0 --min-delta 0 a.uttr b.uttr >exact
	expect_grep '^A: trace a.uttr \(deterministic\)' exact
	expect_grep 'every change is exact' exact
	expect_grep '^ +self A +self B +change +total A +total B +change +function$' exact
	expect_no_grep '~ ' exact
	# The same traces taken as wall-clock ones: each change gets a noise
	# estimate, and this one is within it.
	sed -i 's/^clock=.*/clock=wall/' a.uttr.meta b.uttr.meta
	"$UNITUNE" diff -n 0 --min-delta 0 a.uttr b.uttr >noisy
	expect_grep '^B: trace b.uttr \(wall-clock\)' noisy
	expect_grep '[-+][0-9]+\.[0-9]{2}±[0-9]+\.[0-9]{2}  ~ split_sixty$' noisy
	expect_grep 'within noise \(~\)' noisy
	expect_no_grep 'every change is exact' noisy
}

# An XML parser accepts FILE (xmllint where installed, else Python's).
well_formed() { # file
	if command -v xmllint >/dev/null; then
		xmllint --noout "$1" || fail "$1 is not well-formed XML"
	else
		python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" ||
			fail "$1 is not well-formed XML"
	fi
}

test_diff_writes_a_differential_flame_graph() {
	img=$(test_image profsplit)
	# A short run and a long one: the fixed cost of starting and exiting
	# weighs less in B, the split functions more (by how much depends on
	# the build, so the colours are checked against each frame's own
	# change; test_prof_diffflame.c has exact ones).
	"$UNITUNE" record -d -F 50000 -o a.uttr "$img" -- 20 >/dev/null 2>&1
	"$UNITUNE" record -d -F 5000 -o b.uttr "$img" -- 4000 >/dev/null 2>&1
	"$UNITUNE" diff --flame=d.svg --folded=d.folded a.uttr b.uttr >table 2>err
	# The table stays; the files are named.
	expect_grep '^ +self A +self B +change +total A +total B +change +function$' table
	expect_grep '^differential flame graph: d.svg$' table
	expect_grep '^folded stacks: d.folded$' table
	well_formed d.svg
	expect_grep '<title>split_sixty \(B: [0-9]+ samples, [0-9.]+%; A: [0-9]+ samples, [0-9.]+%; [-+][0-9]+\.[0-9]{2} points\)</title>' d.svg
	"$UNITUNE" report --folded b.uttr >b.folded 2>/dev/null
	python3 - d.svg d.folded b.folded <<'PY' || fail "differential graph or folded stacks are wrong"
import re, sys
svg = open(sys.argv[1]).read()
frames = re.findall(r'<g><title>([^<]*) \(B: (\d+) samples, [0-9.]+%; '
                    r'A: ([^;]*); ([-+][0-9.]+) points\)</title><rect [^>]*'
                    r'fill="rgb\((\d+),(\d+),(\d+)\)"', svg)
assert len(frames) == svg.count("<rect "), "a frame without the tooltip"
for name, nb, a, delta, *rgb in frames:
    r, g, b = map(int, rgb)
    d = float(delta)
    if a == "not present":
        assert (r, g, b) == (220, 20, 20), (name, "only in B: full red")
    elif d > 0:
        assert r > b, (name, delta, "grew: red", rgb)
    elif d < 0:
        assert b > r, (name, delta, "shrank: blue", rgb)
    else:
        assert r == g == b, (name, "unchanged: grey", rgb)
# Laid out from B: its functions are the frames.
fb = {w for l in open(sys.argv[3]) for w in l.rsplit(" ", 1)[0].split(";")}
assert fb == {f[0] for f in frames} - {"all"}, (fb, [f[0] for f in frames])
# The two columns add up to each trace's samples.
cols = [l.rsplit(" ", 2) for l in open(sys.argv[2]).read().splitlines()]
sa, sb = sum(int(c[1]) for c in cols), sum(int(c[2]) for c in cols)
m = re.search(r'all \(B: (\d+) samples, 100.00%; A: (\d+) samples', svg)
assert m and (int(m.group(2)), int(m.group(1))) == (sa, sb), (m and m.groups(), sa, sb)
assert sa > 0 and sb > 0
PY
	# '-': standard output has the graph alone, the summaries go to stderr.
	"$UNITUNE" diff --flame=- a.uttr b.uttr >s.svg 2>err
	cmp s.svg d.svg || fail "--flame=- differs from --flame=d.svg"
	expect_grep '^A: trace a.uttr \(deterministic\)' err
	"$UNITUNE" diff --folded - a.uttr b.uttr >s.folded 2>/dev/null
	cmp s.folded d.folded || fail "--folded - differs from --folded=d.folded"
	# A file that cannot be written: status 1, said why; the table is still printed.
	expect_eq 1 "$(run_status "$UNITUNE" diff --flame=no/such/dir/d.svg a.uttr b.uttr)" "--flame into a missing folder"
	expect_grep '^unitune diff: cannot write differential flame graph no/such/dir/d.svg: No such file or directory$' err
	expect_grep 'self A +self B' out
	expect_eq 2 "$(run_status "$UNITUNE" diff --flame=- --folded=- a.uttr b.uttr)" "two views on standard output"
	expect_grep 'only one of --flame and --folded' err
}

# Inputs that never end or never open are refused at once (timeout makes
# a regression fail instead of hanging the suite).
test_report_refuses_what_is_not_a_regular_file() {
	valid=$ROOT/tests/corpus/valid.uttr
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" report --image "$valid" /dev/zero)" "/dev/zero"
	expect_grep 'cannot read /dev/zero: a character device, not a regular file' err
	mkfifo pipe.uttr pipe.elf
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" report pipe.uttr)" "FIFO trace"
	expect_grep 'pipe.uttr: a FIFO \(pipe\), not a regular file' err
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" report --image pipe.elf "$valid")" "FIFO image"
	expect_grep 'cannot open pipe.elf: a FIFO \(pipe\), not a regular file' err
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" diff /dev/zero "$valid")" "diff"
	expect_grep '/dev/zero: a character device' err
	# The sidecar that names the image.
	cp "$valid" side.uttr
	mkfifo side.uttr.meta
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" report side.uttr)" "FIFO sidecar"
	expect_grep 'side.uttr.meta is not a regular file of at most [0-9]+ bytes; pass --image IMAGE' err
	echo x | timeout 20 "$UNITUNE" report /dev/stdin >out 2>err && fail "piped stdin accepted"
	expect_grep '/dev/stdin: a FIFO' err
	# The size cap, and the option that raises it.
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" report --max-trace-size 100 --tracepoints "$valid")" "over the cap"
	expect_grep 'larger than 100 bytes, the limit for this input \(--max-trace-size SIZE raises it\)' err
	expect_eq 0 "$(run_status timeout 20 "$UNITUNE" report --max-trace-size 1K --tracepoints "$valid")" "under the cap"
	expect_eq 2 "$(run_status "$UNITUNE" report --max-trace-size 0 "$valid")" "zero cap"
}

# A run that never ends, stopped by the timeout: what the periodic drain
# sent survives, decodes and says its end is missing.
test_timeout_keeps_the_drained_trace() {
	img=$(test_image spin)
	expect_eq 124 "$(run_status "$UNITUNE" record -a tcg -F 1000 -t 2 \
		-k uk.trace_drain_ms=50 -o s.uttr "$img")" "record status"
	[ -s s.uttr ] || fail "the trace is empty"
	expect_grep 'no end record' err
	expect_eq 0 "$(run_status "$UNITUNE" report s.uttr)" "report status"
	samples=$(sed -n 's/^samples: \([0-9]*\) .*/\1/p' out)
	[ "${samples:-0}" -gt 0 ] || fail "no samples in the report: $(head -n 5 out)"
	within "$(self_share out main)" 99 1 "main, where spin loops"
	expect_grep '^run: no end record: .*up to about 50 ms \(its drain period\) after the last record, at [0-9.]+ s$' out
	expect_grep 'stream truncated: no end record' err
	# The sampler's rate is there, as asked and as achieved.
	expect_grep '^sampling: requested 1000 Hz, effective [0-9]+ Hz \([0-9]+ samples taken, [0-9]+ windows missed before the trace ends\)$' out
}

# Requested against effective rate: every window is sampled or counted
# as missed, and the effective rate is the requested one scaled by the
# share of windows sampled.
test_sampling_rate_is_reported_as_requested_and_effective() {
	img=$(test_image profsplit)
	"$UNITUNE" record -a tcg -F 10000 -o w.uttr "$img" -- 3000 >/dev/null 2>err
	"$UNITUNE" report w.uttr >rep
	line=$(grep '^sampling: ' rep) || fail "no sampling line: $(head -n 5 rep)"
	set -- $(echo "$line" | sed -n 's/^sampling: requested \([0-9]*\) Hz, effective \([0-9]*\) Hz (\([0-9]*\) samples taken, \([0-9]*\) windows missed)$/\1 \2 \3 \4/p')
	[ $# -eq 4 ] || fail "unexpected sampling line: $line"
	expect_eq 10000 "$1" "requested rate"
	expect_eq "$(awk -v s="$3" -v m="$4" 'BEGIN { printf "%.0f", 10000 * s / (s + m) }')" "$2" "effective rate"
	samples=$(sed -n 's/^samples: \([0-9]*\) .*/\1/p' rep)
	expect_eq "$samples" "$3" "samples taken"
	# The same summary reaches record's stderr.
	grep -qxF "unitune record: $line" err || fail "record's stderr lacks '$line'"
	if [ "$2" -lt 5000 ]; then
		expect_grep '^warning: the sampler ran at [0-9]+% of the requested rate' rep
	else
		expect_no_grep '^warning: the sampler' rep
	fi
}

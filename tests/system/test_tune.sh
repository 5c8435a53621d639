# SPDX-License-Identifier: BSD-3-Clause
# `unitune tune`: sweeps end to end into a temporary store, failures,
# resuming after kill -9, and `unitune best` on the result.

# A 2 x 2 space over hello whose answer is known: printing the boot
# banner costs instructions, so every variant without it boots faster.
tiny_space() {
	cat >"${1:-tiny.yaml}" <<'YAML'
name: tiny
app: hello
options:
  - symbol: CONFIG_UKBOOT_BANNER
    type: bool
    values: [y, n]
  - symbol: CONFIG_UKDEBUG_BACKTRACE_DEPTH
    type: int
    values: [16, 64]
benchmark:
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
}

count() { # db table
	sqlite3 "$1" "SELECT count(*) FROM $2"
}

# Wait (up to about 30 s) until the query, a count, is at least 1: the
# moment to interrupt a sweep running in the background. Fails when that
# moment never comes, so a test cannot go on as if it had.
wait_for_rows() { # db where
	for _ in $(seq 1500); do
		n=$(sqlite3 "$1" "SELECT count(*) FROM variants WHERE $2" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge 1 ] && return 0
		sleep 0.02
	done
	fail "no variant with $2 in $1 after 30 s"
}

# The sweep in the background must still run when the test acts on it:
# otherwise what follows would test nothing.
expect_running() { # pid what
	kill -0 "$1" 2>/dev/null ||
		fail "precondition not met: the sweep had ended before $2"
}

test_tune_tiny_sweep_finds_known_best() {
	tiny_space
	"$UNITUNE" tune --db t.db --work w --jobs 2 tiny.yaml >out 2>err
	expect_grep 'complete: 4 points, 4 distinct variants' err
	expect_eq 4 "$(count t.db variants)" "variants"
	expect_eq 4 "$(sqlite3 t.db "SELECT count(*) FROM variants WHERE status = 'done'")" "done variants"
	expect_eq 4 "$(count t.db points)" "points"
	expect_eq 4 "$(count t.db builds)" "builds"
	# image_size and boot_cycles, one repetition each.
	expect_eq 8 "$(count t.db runs)" "runs"
	expect_eq 4 "$(sqlite3 t.db "SELECT count(*) FROM runs WHERE metric = 'boot_cycles' AND kind = 'deterministic' AND accelerator = 'tcg' AND value > 1000")" "boot_cycles rows"
	expect_eq done "$(sqlite3 t.db "SELECT status FROM experiments WHERE name = 'tiny'")" "experiment status"
	expect_eq 1 "$(sqlite3 t.db "SELECT count(*) FROM environment WHERE qemu_version LIKE 'QEMU%'")" "environment"
	# Each hash names one resolved config; each variant has its image.
	expect_eq 4 "$(sqlite3 t.db "SELECT count(DISTINCT config_hash) FROM variants")" "hashes"
	for img in $(sqlite3 t.db "SELECT image_path FROM builds"); do
		[ -f "$img" ] || fail "no image $img"
	done
	# The best is a variant without the banner, and `best` says so.
	"$UNITUNE" best tiny --db t.db --export best.config >best.out 2>&1
	expect_grep '^# CONFIG_UKBOOT_BANNER is not set$' best.config
	min=$(sqlite3 t.db "SELECT CAST(min(value) AS INTEGER) FROM runs WHERE metric = 'boot_cycles'")
	expect_grep "boot_cycles.*$min" best.out
	# The fragment builds.
	"$UNITUNE" build --app hello -o b --config best.config >/dev/null 2>&1
	expect_grep '^# CONFIG_UKBOOT_BANNER is not set$' b/.config
}

# One variant under two experiment names and work directories of very
# different lengths: its deterministic figures are the same.
test_tune_boot_cycles_ignore_experiment_name_and_work_dir() {
	long=$PWD/$(printf 'w%.0s' $(seq 120))/$(printf 'v%.0s' $(seq 60))
	for name in a an-experiment-whose-name-is-much-longer-than-the-other; do
		cat >"$name.yaml" <<YAML
name: $name
app: hello
options:
  - symbol: CONFIG_UKBOOT_BANNER
    type: bool
    values: [y]
benchmark:
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
	done
	"$UNITUNE" tune --db t.db --work w -P never a.yaml >out 2>err || fail "sweep a: $(tail -n 3 err)"
	"$UNITUNE" tune --db t.db --work "$long" -P never \
		an-experiment-whose-name-is-much-longer-than-the-other.yaml >out 2>err ||
		fail "second sweep: $(tail -n 3 err)"
	q="SELECT CAST(r.value AS INTEGER) FROM runs r JOIN variants v ON v.id = r.variant_id JOIN experiments e ON e.id = v.experiment_id WHERE r.metric = 'boot_cycles' AND e.name"
	short_cycles=$(sqlite3 t.db "$q = 'a'")
	long_cycles=$(sqlite3 t.db "$q LIKE 'an-%'")
	[ -n "$short_cycles" ] || fail "no boot_cycles row for experiment a"
	expect_eq "$short_cycles" "$long_cycles" "boot_cycles under two names and work dirs"
}

test_tune_failures_are_classified_and_the_sweep_finishes() {
	# A ring of 3 KiB fails the tracer's power-of-two check at compile
	# time; the crash app with "null" dereferences NULL after main().
	cat >fail.yaml <<'YAML'
name: failing
app: crash
options:
  - symbol: CONFIG_UKTRACE_BUFFER_KB
    type: int
    values: [3, 4]
benchmark:
  args: ["null"]
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
	expect_eq 0 "$(run_status "$UNITUNE" tune --db f.db --work w fail.yaml)" "exit status"
	expect_grep 'complete: 2 points, 2 distinct variants' err
	expect_eq build_failed "$(sqlite3 f.db "SELECT status FROM variants WHERE requested LIKE '%BUFFER_KB=3%'")" "3 KiB"
	expect_eq crashed "$(sqlite3 f.db "SELECT status FROM variants WHERE requested LIKE '%BUFFER_KB=4%'")" "4 KiB"
	sqlite3 f.db "SELECT log_tail FROM variants WHERE status = 'build_failed'" >build_tail
	expect_grep '^build failed: make' build_tail
	expect_grep 'power of two' build_tail
	sqlite3 f.db "SELECT log_tail FROM variants WHERE status = 'crashed'" >crash_tail
	expect_grep 'page fault|null' crash_tail
	expect_eq 0 "$(count f.db runs)" "no runs of failed variants"
	# Known failures are not tried again: a second run measures nothing.
	expect_eq 0 "$(run_status "$UNITUNE" tune --db f.db --work w fail.yaml)" "rerun"
	expect_grep 'this run measured 0' err
	expect_eq 1 "$(run_status "$UNITUNE" best failing --db f.db)" "best of nothing"
	# The report still renders: the failures, and no success to rank.
	expect_eq 0 "$(run_status "$UNITUNE" report failing --db f.db -o rep)" "report"
	[ -s rep/objective.svg ] || fail "no objective plot"
	expect_grep 'crashed' rep/index.html
	expect_grep 'build_failed' rep/index.html
}

test_tune_resumes_after_kill_9() {
	tiny_space
	"$UNITUNE" tune --db whole.db --work w1 --jobs 1 tiny.yaml >/dev/null 2>&1
	"$UNITUNE" tune --db cut.db --work w2 --jobs 1 tiny.yaml >/dev/null 2>&1 &
	pid=$!
	# Kill it once the first variant is recorded and before the last.
	wait_for_rows cut.db "status = 'done'"
	expect_running $pid "the kill"
	kill -9 $pid
	wait $pid 2>/dev/null || true
	n=$(sqlite3 cut.db "SELECT count(*) FROM variants WHERE status = 'done'")
	[ "$n" -ge 1 ] || fail "precondition not met: nothing recorded before the kill"
	[ "$n" -lt 4 ] || fail "precondition not met: all 4 variants done before the kill"
	"$UNITUNE" tune --db cut.db --work w2 --jobs 1 tiny.yaml >/dev/null 2>err
	expect_grep 'resuming experiment tiny' err
	for t in variants points builds runs environment experiments; do
		expect_eq "$(count whole.db $t)" "$(count cut.db $t)" "$t rows"
	done
	expect_eq "$(sqlite3 whole.db "SELECT group_concat(config_hash || status, ',') FROM (SELECT * FROM variants ORDER BY config_hash)")" \
		"$(sqlite3 cut.db "SELECT group_concat(config_hash || status, ',') FROM (SELECT * FROM variants ORDER BY config_hash)")" "variants"
	expect_eq "$(sqlite3 whole.db "SELECT group_concat(v.config_hash || r.metric || r.value, ',') FROM runs r JOIN variants v ON v.id = r.variant_id WHERE r.metric = 'boot_cycles' ORDER BY 1")" \
		"$(sqlite3 cut.db "SELECT group_concat(v.config_hash || r.metric || r.value, ',') FROM runs r JOIN variants v ON v.id = r.variant_id WHERE r.metric = 'boot_cycles' ORDER BY 1")" "measurements"
}

test_tune_interrupt_stops_cleanly() {
	tiny_space
	"$UNITUNE" tune --db i.db --work w --jobs 1 tiny.yaml >/dev/null 2>err &
	pid=$!
	wait_for_rows i.db 1
	expect_running $pid "the interrupt"
	kill -INT $pid
	status=0
	wait $pid || status=$?
	[ "$status" != 0 ] ||
		fail "precondition not met: the sweep completed before SIGINT landed"
	expect_eq 130 "$status" "exit status"
	[ "$(sqlite3 i.db "SELECT count(*) FROM variants WHERE status = 'done'")" -lt 4 ] ||
		fail "precondition not met: every variant was done before SIGINT"
	expect_grep 'run the same command to resume' err
	expect_eq stopped "$(sqlite3 i.db "SELECT status FROM experiments")" "status"
	expect_eq 0 "$(run_status "$UNITUNE" tune --db i.db --work w --jobs 1 tiny.yaml)" "resumed"
	expect_eq 4 "$(sqlite3 i.db "SELECT count(*) FROM variants WHERE status = 'done'")" "done"
}

test_tune_refuses_bad_input() {
	tiny_space
	sed 's/CONFIG_UKDEBUG_BACKTRACE_DEPTH/CONFIG_UKBOOT_NO_SUCH/' tiny.yaml >bad.yaml
	expect_eq 2 "$(run_status "$UNITUNE" tune --db b.db bad.yaml)" "unknown symbol"
	expect_grep 'bad.yaml:[0-9]+: CONFIG_UKBOOT_NO_SUCH: unknown symbol' err
	[ ! -e b.db ] || expect_eq 0 "$(count b.db experiments)" "no experiment for a bad space"
	# Another space under a name the store already holds.
	"$UNITUNE" tune --db t.db --work w tiny.yaml >/dev/null 2>&1
	sed 's/values: \[16, 64\]/values: [16, 32]/' tiny.yaml >other.yaml
	expect_eq 2 "$(run_status "$UNITUNE" tune --db t.db --work w other.yaml)" "name clash"
	expect_grep "already holds an experiment named 'tiny' with a different space" err
	expect_eq 2 "$(run_status "$UNITUNE" tune --jobs 0 tiny.yaml)" "--jobs 0"
	expect_eq 2 "$(run_status "$UNITUNE" tune --build-timeout soon tiny.yaml)" "bad timeout"
	expect_eq 2 "$(run_status "$UNITUNE" tune nosuch.yaml)" "missing file"
	expect_grep 'nosuch.yaml' err
}

test_tune_wall_mode_builds_in_parallel_and_measures_each_repetition() {
	cat >wall.yaml <<'YAML'
name: wall
app: hello
options:
  - symbol: CONFIG_UKBOOT_BANNER
    type: bool
benchmark:
  metrics: [boot_cycles]
  repetitions: 3
objectives:
  - {metric: boot_cycles, goal: minimize}
mode: wall
YAML
	expect_eq 0 "$(run_status "$UNITUNE" tune --db w.db --work w --jobs 2 wall.yaml)" "exit status"
	expect_eq 2 "$(sqlite3 w.db "SELECT count(*) FROM variants WHERE status = 'done'")" "done"
	expect_eq 2 "$(count w.db builds)" "one build each"
	expect_eq 6 "$(sqlite3 w.db "SELECT count(*) FROM runs WHERE metric = 'boot_cycles' AND kind = 'wall'")" "wall repetitions"
	expect_eq "0,1,2" "$(sqlite3 w.db "SELECT group_concat(repetition, ',') FROM (SELECT DISTINCT repetition FROM runs ORDER BY 1)")" "repetitions"
}

# A race on a clock made exact: qemu-system-x86_64 in PATH is a wrapper
# that runs the real one under TCG with -icount, so the wall-mode samples
# repeat to the cycle and which variants tie is known. Without the banner,
# the backtrace depth changes nothing in the boot: those two tie, race to
# the maximum of 4 and are reported as a tie; the banner costs cycles, so
# the third variant (the grid's third point; the budget stops there)
# stays at the minimum of 2. The sweep is killed during the race: the
# resumed one carries it on from the stored samples.
race_space() {
	real=$(command -v qemu-system-x86_64)
	mkdir -p qbin
	cat >qbin/qemu-system-x86_64 <<SH
#!/bin/bash
args=()
for a in "\$@"; do
	case \$a in kvm) a=tcg ;; host) a=max ;; esac
	args+=("\$a")
done
exec $real "\${args[@]}" -icount shift=0,sleep=off
SH
	chmod +x qbin/qemu-system-x86_64
	cat >race.yaml <<'YAML'
name: race
app: hello
options:
  - symbol: CONFIG_UKBOOT_BANNER
    type: bool
    values: [n, y]
  - symbol: CONFIG_UKDEBUG_BACKTRACE_DEPTH
    type: int
    values: [16, 64]
benchmark:
  metrics: [boot_cycles]
  repetitions: {min: 2, max: 4}
objectives:
  - {metric: boot_cycles, goal: minimize}
mode: wall
budget: {evaluations: 3}
YAML
}

race_tune() {
	env PATH="$PWD/qbin:$PATH" XDG_CACHE_HOME="$PWD/cache" \
		"$UNITUNE" tune --db r.db --work w --jobs 2 race.yaml
}

# Each variant's boot_cycles repetitions "id:0,1,..", banner n first.
race_reps() {
	sqlite3 r.db "SELECT group_concat(s, ' ') FROM (SELECT v.id || ':' || group_concat(r.repetition, ',') AS s FROM variants v JOIN (SELECT * FROM runs ORDER BY repetition) r ON r.variant_id = v.id WHERE r.metric = 'boot_cycles' AND r.kind = 'wall' GROUP BY v.id ORDER BY v.requested LIKE '%BANNER is not set%' DESC, v.id)"
}

test_tune_race_tops_up_the_tied_variants_only() {
	race_space
	# env execs unitune: $! is the sweep itself.
	env PATH="$PWD/qbin:$PATH" XDG_CACHE_HOME="$PWD/cache" \
		"$UNITUNE" tune --db r.db --work w --jobs 2 race.yaml \
		>/dev/null 2>race1.err &
	pid=$!
	for _ in $(seq 1500); do
		grep -q '^unitune tune: race: .* -> 4 repetitions' race1.err && break
		sleep 0.02
	done
	grep -q 'race: .* -> 4 repetitions' race1.err || fail "no top-up started in 30 s"
	expect_running $pid "the kill"
	kill -9 $pid
	wait $pid 2>/dev/null || true
	expect_eq 0 "$(run_status race_tune)" "resumed"
	expect_grep 'race: .* -> 4 repetitions' err
	expect_eq done "$(sqlite3 r.db "SELECT status FROM experiments")" "experiment"
	tied=$(sqlite3 r.db "SELECT group_concat(id, ' ') FROM variants WHERE requested LIKE '%BANNER is not set%' ORDER BY id")
	banner=$(sqlite3 r.db "SELECT group_concat(id, ' ') FROM variants WHERE requested LIKE '%BANNER=y%' ORDER BY id")
	set -- $tied $banner
	[ $# = 3 ] || fail "variants: $tied / $banner"
	# The tied pair went to the maximum, numbered on without a gap or a
	# repeat; the banner's variant kept the minimum.
	expect_eq "$1:0,1,2,3 $2:0,1,2,3 $3:0,1" "$(race_reps)" "repetitions per variant"
	# Every top-up's image_size rows came with it.
	expect_eq 10 "$(sqlite3 r.db "SELECT count(*) FROM runs WHERE metric = 'image_size'")" "image_size rows"
	"$UNITUNE" best race --db r.db >best.out
	expect_grep "^tie: the 95% intervals of v$1 and v$2 on boot_cycles overlap: the measurements do not say which is best$" best.out
	expect_grep "^  v$2 +[0-9]+ \[[0-9]+, [0-9]+\] cycles, 4 repetitions$" best.out
	"$UNITUNE" best race --db r.db --json >best.json
	expect_eq "$2 4 wall" "$(jq -r '.tied_with[] | "\(.id) \(.metrics.boot_cycles.n) \(.metrics.boot_cycles.kind)"' best.json)" "tied_with"
	"$UNITUNE" show race --db r.db >show.out
	expect_grep "^2 +v$2 .* 4 done \(tied with the best\)$" show.out
	expect_grep "^3 +v$3 .* 2 done$" show.out
	# Run again: the race is over, nothing is measured.
	expect_eq 0 "$(run_status race_tune)" "again"
	expect_no_grep 'race: ' err
	expect_eq "$1:0,1,2,3 $2:0,1,2,3 $3:0,1" "$(race_reps)" "nothing added"
}

test_tune_boot_failure_and_timeout_are_classified() {
	# A 64 MiB main stack does not fit the default 32 MiB guest: it stops
	# before main(). spin never exits: the run times out.
	cat >spin.yaml <<'YAML'
name: spin
app: spin
options:
  - symbol: CONFIG_UKBOOT_STACK_KB
    type: int
    values: [64, 65536]
benchmark:
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
	expect_eq 0 "$(run_status "$UNITUNE" tune --db s.db --work w --run-timeout 2 spin.yaml)" "exit status"
	expect_eq timeout "$(sqlite3 s.db "SELECT status FROM variants WHERE requested LIKE '%=64' || char(10)")" "spin"
	expect_eq boot_failed "$(sqlite3 s.db "SELECT status FROM variants WHERE requested LIKE '%=65536%'")" "64 MiB stack"
	sqlite3 s.db "SELECT log_tail FROM variants" >tails
	expect_grep '^guest did not exit within 2 s$' tails
	expect_grep '^before main\(\): out of memory' tails
	expect_grep 'unitune: qemu command: ' tails
}

test_tune_refuses_a_second_sweep_of_one_experiment() {
	tiny_space
	"$UNITUNE" tune --db c.db --work w1 --jobs 1 tiny.yaml >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 600); do
		[ -s c.db.tiny.lock ] && break
		sleep 0.05
	done
	[ -s c.db.tiny.lock ] || fail "precondition not met: no lock file after 30 s"
	status=$(run_status "$UNITUNE" tune --db c.db --work w2 tiny.yaml)
	# The first sweep must have held the lock all along.
	expect_running $pid "the second sweep returned"
	expect_eq 2 "$status" "second sweep"
	expect_grep "tiny is being swept by another unitune tune, pid $pid" err
	wait $pid
	expect_eq 4 "$(sqlite3 c.db "SELECT count(*) FROM variants WHERE status = 'done'")" "first sweep unharmed"
}

test_tune_wall_resume_measures_a_built_variant_without_rebuilding_it() {
	cat >wall.yaml <<'YAML'
name: wall
app: hello
options:
  - symbol: CONFIG_UKDEBUG_BACKTRACE_DEPTH
    type: int
    values: [16, 32, 64]
benchmark:
  metrics: [boot_cycles]
  repetitions: 2
objectives:
  - {metric: boot_cycles, goal: minimize}
mode: wall
YAML
	"$UNITUNE" tune --db w.db --work w --jobs 2 wall.yaml >/dev/null 2>&1 &
	pid=$!
	wait_for_rows w.db "status = 'built'"
	expect_running $pid "the kill"
	# The sweep's locks die with it: its forked workers (which PDEATHSIG
	# kills a moment later) must not hold them, or the resume below is
	# refused as a second sweep while they finish dying.
	workers=$(pgrep -P $pid || true)
	[ -n "$workers" ] || fail "no worker running at the kill"
	for w in $workers; do
		held=$(ls -l /proc/$w/fd 2>/dev/null | grep -E -- "-> ($PWD/w/\.lock|$PWD/w\.db\.wall\.lock)\$" || true)
		[ -z "$held" ] || fail "worker $w holds a sweep lock: $held"
	done
	kill -9 $pid
	wait $pid 2>/dev/null || true
	expect_eq 0 "$(run_status "$UNITUNE" tune --db w.db --work w --jobs 2 wall.yaml)" "resumed"
	expect_eq 3 "$(sqlite3 w.db "SELECT count(*) FROM variants WHERE status = 'done'")" "done"
	expect_eq 3 "$(count w.db builds)" "one build row each"
	expect_eq 6 "$(sqlite3 w.db "SELECT count(*) FROM runs WHERE kind = 'wall'")" "wall runs"
}

# Files that never end, never open or are not files: refused at once,
# nothing recorded (timeout turns a hang into a failure).
test_tune_refuses_inputs_that_are_not_regular_files() {
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" tune --db z.db /dev/zero)" "/dev/zero"
	expect_grep 'cannot read the space file /dev/zero: a character device, not a regular file' err
	mkfifo pipe.yaml
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" tune --db z.db pipe.yaml)" "FIFO"
	expect_grep 'pipe.yaml: a FIFO \(pipe\), not a regular file' err
	mkdir dir.yaml
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" tune --db z.db dir.yaml)" "directory"
	expect_grep 'dir.yaml: a directory, not a regular file' err
	tiny_space
	cat tiny.yaml | timeout 20 "$UNITUNE" tune --db z.db /dev/stdin >out 2>err && fail "piped space accepted"
	expect_grep '/dev/stdin: a FIFO \(pipe\), not a regular file' err
	# A base_config that is a FIFO: named with the space's line.
	mkfifo base.fifo
	sed 's/^app: hello$/app: hello\nbase_config: base.fifo/' tiny.yaml >fifobase.yaml
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" tune --db z.db fifobase.yaml)" "FIFO base_config"
	expect_grep '^unitune tune: error: fifobase.yaml:3: base_config (\./)?base.fifo: a FIFO \(pipe\), not a regular file' err
	# 100,000 nested lists stop at the depth cap, not minutes later.
	{ printf 'name: deep\napp: hello\nargs: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } >deep.yaml
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" tune --db z.db deep.yaml)" "deep nesting"
	expect_grep 'deep.yaml:3: lists and mappings nest deeper than 64 levels' err
	[ ! -e z.db ] || fail "a refused space created the store"
}

# base_config goes through the validator `unitune build --config` uses.
test_tune_validates_base_config() {
	tiny_space
	sed 's/^app: hello$/app: hello\nbase_config: base.config/' tiny.yaml >based.yaml
	printf 'CONFIG_UKBOOT_STACK_KB=64\nCONFIG_UKBOOT_NO_SUCH=y\n' >base.config
	expect_eq 2 "$(run_status "$UNITUNE" tune --db v.db --work w based.yaml)" "unknown symbol"
	expect_grep 'base.config:2: CONFIG_UKBOOT_NO_SUCH: unknown symbol \(not in the Kconfig tree\)' err
	printf '# comment\nCONFIG_UKBOOT_STACK_KB=8\n' >base.config
	expect_eq 2 "$(run_status "$UNITUNE" tune --db v.db --work w based.yaml)" "out of range"
	expect_grep 'base.config:2: CONFIG_UKBOOT_STACK_KB \(int\): 8 is outside the range 16..65536' err
	# The same file given to build says the same.
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --config base.config)" "build --config"
	expect_grep 'base.config:2: CONFIG_UKBOOT_STACK_KB \(int\): 8 is outside the range 16..65536' err
	[ ! -e v.db ] || expect_eq 0 "$(count v.db experiments)" "no experiment"
}

test_tune_space_errors_name_their_line() {
	tiny_space
	# A choice's own symbol as a bool would do nothing.
	sed 's/CONFIG_UKBOOT_BANNER/CONFIG_UKALLOC_BACKEND/' tiny.yaml >choice.yaml
	expect_eq 2 "$(run_status "$UNITUNE" tune --db e.db choice.yaml)" "choice as bool"
	expect_grep 'choice.yaml:4: CONFIG_UKALLOC_BACKEND: is the name of a choice' err
	# Experiment names that would escape or collide with build/tune.
	for name in .. slots a/b '.hidden' 'two words'; do
		sed "s|^name: tiny$|name: '$name'|" tiny.yaml >named.yaml
		expect_eq 2 "$(run_status "$UNITUNE" tune --db e.db --jobs 1 named.yaml)" "name $name"
		expect_grep "named.yaml:1: experiment name '$name' is not usable" err
	done
	[ ! -e "$ROOT/build/tune/slots/.lock" ] || fail "a sweep locked the slots folder as its work directory"
	# An unknown app: the space file's line.
	sed 's/^app: hello$/app: nosuchapp/' tiny.yaml >app.yaml
	expect_eq 2 "$(run_status "$UNITUNE" tune --db e.db app.yaml)" "unknown app"
	expect_grep "app.yaml:2: unknown app 'nosuchapp'; available apps: " err
	# A grid over more than 2^64 points: refused before the store.
	cat >huge.yaml <<'YAML'
name: huge
app: hello
options:
  - {symbol: CONFIG_UKBOOT_STACK_KB, type: int, range: {from: 16, to: 4111, step: 1}}
  - {symbol: CONFIG_UKBOOT_MIN_HEAP_KB, type: int, range: {from: 0, to: 4095, step: 1}}
  - {symbol: CONFIG_UKSCHED_STACK_KB, type: int, range: {from: 4, to: 4099, step: 1}}
  - {symbol: CONFIG_UKSYSCALL_BRK_KB, type: int, range: {from: 0, to: 4095, step: 1}}
  - {symbol: CONFIG_UKTRACE_BUFFER_KB, type: int, range: {from: 1, to: 4096, step: 1}}
  - {symbol: CONFIG_UKSYSCALL_STACK_KB, type: int, range: {from: 4, to: 1024, step: 1}}
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
	expect_eq 2 "$(run_status "$UNITUNE" tune --db e.db huge.yaml)" "huge grid"
	expect_grep 'huge.yaml:4: the grid of these options has more than 2\^64 points' err
	[ ! -e e.db ] || expect_eq 0 "$(count e.db experiments)" "nothing left running"
}

# A resumed sweep refuses inputs changed since the experiment began.
test_tune_resume_detects_changed_inputs() {
	cat >one.yaml <<'YAML'
name: one
app: hello
base_config: base.config
options:
  - {symbol: CONFIG_UKBOOT_BANNER, type: bool, values: [n]}
benchmark:
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
	printf 'CONFIG_UKDEBUG_BACKTRACE_DEPTH=16\n' >base.config
	expect_eq 0 "$(run_status "$UNITUNE" tune --db r.db --work w one.yaml)" "first run"
	expect_eq 1 "$(sqlite3 r.db "SELECT count(*) FROM inputs WHERE length(base_config) = 64 AND length(defconfig) = 64 AND length(kconfig) = 64")" "inputs recorded"
	# Unchanged: resumes.
	expect_eq 0 "$(run_status "$UNITUNE" tune --db r.db --work w one.yaml)" "unchanged"
	expect_grep 'resuming experiment one' err
	# The base_config changed.
	printf 'CONFIG_UKDEBUG_BACKTRACE_DEPTH=32\n' >base.config
	expect_eq 2 "$(run_status "$UNITUNE" tune --db r.db --work w one.yaml)" "base_config changed"
	expect_grep "since experiment 'one' began, its base_config changed" err
	expect_eq done "$(sqlite3 r.db "SELECT status FROM experiments")" "status untouched"
	printf 'CONFIG_UKDEBUG_BACKTRACE_DEPTH=16\n' >base.config
	# The defconfig and the Kconfig tree as recorded differ from the tree's.
	sqlite3 r.db "UPDATE inputs SET defconfig = 'old', kconfig = 'old'"
	expect_eq 2 "$(run_status "$UNITUNE" tune --db r.db --work w one.yaml)" "tree changed"
	expect_grep "since experiment 'one' began, the app's defconfig and the Kconfig tree changed" err
	# An experiment from before the inputs were recorded gets them now.
	sqlite3 r.db "DELETE FROM inputs"
	expect_eq 0 "$(run_status "$UNITUNE" tune --db r.db --work w one.yaml)" "no record"
	expect_grep 'note: recording the hashes' err
	expect_eq 1 "$(count r.db inputs)" "recorded on resume"
}

# --db naming something that is not a Unitune store: refused, untouched.
test_tune_refuses_a_file_that_is_not_a_store() {
	tiny_space
	sqlite3 other.db "CREATE TABLE mine (x); INSERT INTO mine VALUES (1)"
	before=$(sha256sum <other.db)
	expect_eq 1 "$(run_status timeout 60 "$UNITUNE" tune --db other.db --work w tiny.yaml)" "foreign database"
	expect_grep '^unitune tune: error: cannot open the results store: other.db: not a Unitune store: it holds tables but no Unitune schema version' err
	expect_eq "$before" "$(sha256sum <other.db)" "other.db bytes"
	expect_eq delete "$(sqlite3 other.db 'PRAGMA journal_mode')" "journal mode left alone"
	mkfifo pipe.db
	expect_eq 1 "$(run_status timeout 60 "$UNITUNE" tune --db pipe.db --work w tiny.yaml)" "FIFO store"
	expect_grep 'pipe.db: not a Unitune store \(a FIFO \(pipe\), not a regular file\)' err
}

# The trace buffer applies only with UKTRACE: where UKTRACE is n, kconfig
# drops it. That is expected, so the sweep says it once, counted, and
# keeps its per-point notes for surprising changes.
test_tune_summarises_values_dead_by_dependency() {
	cat >dead.yaml <<'YAML'
name: dead
app: hello
options:
  - symbol: CONFIG_UKTRACE
    type: bool
    values: [y, n]
  - symbol: CONFIG_UKTRACE_BUFFER_KB
    type: int
    values: [1, 2]
benchmark:
  metrics: [boot_cycles]
objectives:
  - {metric: boot_cycles, goal: minimize}
YAML
	"$UNITUNE" tune --db d.db --work w --jobs 2 dead.yaml >out 2>err
	expect_grep 'complete: 4 points, 3 distinct variants' err
	expect_eq 1 "$(grep -c 'not applicable' err)" "summary lines"
	expect_grep 'note: CONFIG_UKTRACE_BUFFER_KB: not applicable in 2 points because CONFIG_UKTRACE=n' err
	expect_no_grep 'asked for' err
}

test_tune_out_of_memory_says_why() {
	# The region allocator never frees: allocbench's mixed pattern runs it
	# dry in the default 32 MiB (the demo space's region variant).
	cat >region.yaml <<'YAML'
name: region
app: allocbench
options:
  - symbol: CONFIG_UKALLOC_BACKEND
    type: choice
    values: [CONFIG_UKALLOC_REGION]
benchmark:
  metrics: [alloc.mixed.cycles_per_op]
objectives:
  - {metric: alloc.mixed.cycles_per_op, goal: minimize}
YAML
	expect_eq 0 "$(run_status "$UNITUNE" tune --db r.db --work w region.yaml)" "exit status"
	expect_grep 'bench_failed: alloc.mixed.cycles_per_op: the pattern failed: out_of_memory with 32768 KiB of guest memory' err
	expect_eq bench_failed "$(sqlite3 r.db "SELECT status FROM variants")" "status"
	sqlite3 r.db "SELECT log_tail FROM variants" >tail
	expect_grep "allocbench: [a-z]+: out of memory after [0-9]+ operations: the region allocator's [0-9]+ KiB pool is spent: it never frees" tail
}

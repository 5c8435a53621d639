# SPDX-License-Identifier: BSD-3-Clause
# The read side of the tuner through the CLI: how `unitune report` tells
# an experiment from a trace, and the errors of show/best without a
# database or experiment. (The report's contents are checked by
# tests/unit/test_tuner_report.c on a synthetic store.)

# Neither is also a missing trace: the status of one (1), as below.
test_report_names_both_when_neither_exists() {
	expect_eq 1 "$(run_status "$UNITUNE" report no-such-thing)" "exit status"
	expect_grep "no trace file 'no-such-thing' and no experiment 'no-such-thing' in results/unitune.db" err
}

test_report_with_db_is_the_experiment_report() {
	expect_eq 2 "$(run_status "$UNITUNE" report --db missing.db exp -o out)" "exit status"
	expect_grep 'no results database at missing.db' err
}

test_report_of_an_existing_file_is_the_trace_report() {
	printf 'not a trace' >t.uttr
	expect_eq 1 "$(run_status "$UNITUNE" report --image /nonexistent t.uttr)" "exit status"
	expect_no_grep 'no experiment' err
}

# A missing trace is status 1 in report and diff alike, as their help
# says; a path is taken for a trace even when it does not exist.
test_missing_trace_is_status_1_everywhere() {
	"$UNITUNE" report --help >out
	expect_grep '1 the trace or image cannot be used \(a missing trace too\)' out
	for t in gone.uttr sub/gone; do
		expect_eq 1 "$(run_status "$UNITUNE" report "$t")" "report $t"
		expect_grep "^unitune report: cannot read $t: No such file or directory" err
	done
	printf 'x' >a.uttr
	expect_eq 1 "$(run_status "$UNITUNE" diff gone.uttr a.uttr)" "diff"
	expect_grep '^unitune diff: cannot read gone.uttr: No such file' err
}

test_show_and_best_without_database() {
	expect_eq 1 "$(run_status "$UNITUNE" show --db none.db)" "show exit status"
	expect_grep 'no results database at none.db' err
	expect_eq 2 "$(run_status "$UNITUNE" best --db none.db exp)" "best exit status"
	expect_grep "no experiment 'exp'" err
	"$UNITUNE" best --help >out
	expect_grep '[-][-]export' out
	"$UNITUNE" show --help >out
	expect_grep 'results/unitune.db' out
}

# The experiment report as a performance engineer reads it: a 512-point
# grid over 8 options (synth_grid_experiment in tests/lib.sh), with a
# second experiment over the same space searched by random.
test_report_summarises_dead_options_and_compares_strategies() {
	synth_grid_experiment grid.db random
	"$UNITUNE" report --db grid.db grid -o rep >out 2>err
	# 640 requested values kconfig dropped, as three lines.
	expect_eq 3 "$(grep -c 'not applicable in' rep/index.html)" "summary lines"
	expect_grep '<li>CONFIG_UKALLOC_TLSF_SL_LOG2: not applicable in 256 variants because CONFIG_UKALLOC_TLSF=n</li>' rep/index.html
	expect_grep '<li>CONFIG_UKALLOC_TRACEPOINTS: not applicable in 128 variants because CONFIG_UKTRACE=n</li>' rep/index.html
	expect_grep '<p>No other changes.</p>' rep/index.html
	# One best-so-far line per strategy, this experiment's first.
	expect_eq 2 "$(grep -c '^# evaluation best' rep/convergence.dat)" "convergence lines"
	expect_grep '<li>grid: grid \(this experiment\)</li>' rep/index.html
	expect_grep '<li>random, seed 7: grid-random</li>' rep/index.html
	expect_grep "title 'random, seed 7: grid-random'" rep/convergence.gp
	# Every evaluation of the grid is there, ending at the best value.
	best=$(sqlite3 grid.db "SELECT CAST(min(value) AS INTEGER) FROM runs WHERE metric = 'boot_cycles' AND variant_id < 1000")
	expect_eq "512 $best" "$(awk 'NF == 2 && $1 !~ /#/ { last = $0 } /^$/ && last { print last; exit }' rep/convergence.dat)" "last point of the grid's line"
	# Readable plots: a 13 px font on canvases the page shows unscaled.
	for p in objective effects pareto convergence; do
		expect_grep "font 'sans,13'" rep/$p.gp
		w=$(sed -n "s/^set terminal svg size \([0-9]*\),.*/\1/p" rep/$p.gp)
		[ "$w" -le 960 ] || fail "$p.svg is $w px wide"
	done
}

# Render a page headless at 1280 px: a screenshot, and the page's
# scrollWidth written into the DOM by a script added to a test copy.
render_1280() { # page.html name
	local copy=${1%.html}.measured.html
	sed 's#</body>#<script>window.addEventListener("load", function () { document.body.setAttribute("data-scroll-width", document.documentElement.scrollWidth); });</script></body>#' "$1" >"$copy"
	chromium --headless --no-sandbox --disable-gpu --user-data-dir="$PWD/chromium-profile" \
		--window-size=1280,800 --screenshot="$PWD/$2.png" "file://$PWD/$1" >/dev/null 2>&1 ||
		fail "chromium could not take a screenshot of $1"
	chromium --headless --no-sandbox --disable-gpu --user-data-dir="$PWD/chromium-profile" \
		--window-size=1280,800 --virtual-time-budget=5000 --dump-dom "file://$PWD/$copy" 2>/dev/null |
		sed -n 's/.*data-scroll-width="\([0-9]*\)".*/\1/p'
}

test_report_page_fits_1280_pixels_in_chromium() {
	command -v chromium >/dev/null ||
		fail "chromium is not installed (scripts/deps.sh installs it)"
	# The measurement itself: a page 2000 px wide must be caught.
	printf '<!DOCTYPE html><html><body><div style="width:2000px">x</div></body></html>\n' >wide.html
	w=$(render_1280 wide.html wide)
	[ "${w:-0}" -ge 2000 ] || fail "a 2000 px page measured '$w' px wide"
	synth_grid_experiment grid.db random
	"$UNITUNE" report --db grid.db grid -o rep >out 2>err
	(cd rep && render_1280 index.html ../shot) >width
	w=$(cat width)
	echo "index.html at 1280 px: scrollWidth $w"
	[ -n "$w" ] || fail "no scrollWidth measured"
	[ "$w" -le 1280 ] || fail "the page overflows: scrollWidth $w > 1280"
	[ -s shot.png ] || fail "no screenshot"
	expect_eq '89504e47' "$(head -c 4 shot.png | od -An -tx1 | tr -d ' \n')" "PNG signature"
}

# Nothing succeeded: the failures are the only data block gnuplot sees,
# and they are drawn (no "no valid points" from gnuplot).
test_report_of_only_failures_draws_them() {
	synth_experiment
	sqlite3 synth.db "UPDATE variants SET status = 'crashed'; DELETE FROM runs"
	expect_eq 0 "$(run_status "$UNITUNE" report --db synth.db deps -o rep)" "exit status"
	expect_no_grep 'no valid points' err
	expect_grep "'objective.dat' index 0 using 1:3:xtic\(6\) with points" rep/objective.gp
	expect_eq 5 "$(grep -c 'crashed' rep/objective.dat)" "failures in the data"
	expect_grep 'no variant succeeded yet' rep/convergence.dat
	[ ! -e rep/convergence.svg ] || fail "a convergence plot without a success"
}

# Reading a store never writes it: bytes and mtime stay as they were.
same_file() { # file saved-stat what
	expect_eq "$2" "$(stat -c '%s %Y.%y' "$1"; sha256sum <"$1")" "$3"
}

test_readers_never_write_a_store() {
	: >empty.db
	printf 'CONFIG_A=y\nthis is not a database, but long enough to look at its header............................................\n' >text.db
	for db in empty.db text.db; do
		before=$(stat -c '%s %Y.%y' $db; sha256sum <$db)
		expect_eq 1 "$(run_status timeout 20 "$UNITUNE" show exp --db $db)" "show $db"
		expect_grep "$db: not a Unitune store" err
		expect_eq 1 "$(run_status timeout 20 "$UNITUNE" best exp --db $db)" "best $db"
		expect_grep "$db: not a Unitune store" err
		expect_eq 1 "$(run_status timeout 20 "$UNITUNE" report exp --db $db -o rep)" "report $db"
		expect_grep "$db: not a Unitune store" err
		same_file $db "$before" "$db after reading"
		[ $db = text.db ] || expect_grep 'not a Unitune store \(an empty file\)' err
	done
	expect_grep 'not a Unitune store \(not an SQLite database\)' err
	mkfifo fifo.db
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" show exp --db fifo.db)" "show fifo"
	expect_grep 'fifo.db: not a Unitune store \(a FIFO \(pipe\), not a regular file\)' err
}

# A store of schema version 1 (before points): the readers name the
# version and how to migrate it, and leave it alone.
test_readers_name_an_old_schema() {
	sed '/^-- migration: 2/,$d' "$ROOT/tuner/schema.sql" >v1.sql
	sqlite3 v1.db <v1.sql
	sqlite3 v1.db "PRAGMA user_version = 1; INSERT INTO experiments (name, space_path, space_text) VALUES ('old', 'a.yaml', 'x')"
	before=$(stat -c '%s %Y.%y' v1.db; sha256sum <v1.db)
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" show old --db v1.db)" "show"
	expect_grep 'v1.db: the store is schema version 1 and this unitune reads version [0-9]+; reading never writes a store: run `unitune tune SPACE --db v1.db` once to migrate it' err
	same_file v1.db "$before" "v1.db after show"
	expect_eq 1 "$(sqlite3 v1.db 'PRAGMA user_version')" "version left alone"
}

# Without --db, "-o DIR/SUB" is the report's folder: the path after -o
# does not make the argument list a trace report's.
test_report_experiment_output_path_is_not_taken_for_a_trace() {
	mkdir results
	synth_experiment results/unitune.db
	expect_eq 0 "$(run_status "$UNITUNE" report deps -o reports/rep)" "exit status"
	[ -s reports/rep/index.html ] || fail "no reports/rep/index.html"
	expect_eq 0 "$(run_status "$UNITUNE" report --top 3 deps --output reports/rep2)" "long options"
	[ -s reports/rep2/index.html ] || fail "no reports/rep2/index.html"
}

# The unambiguous forms: --experiment (-e) is always the experiment
# report, even when a file of that name exists; a bare argument that is a
# file is always the trace report.
test_report_experiment_option_is_never_a_trace() {
	synth_experiment synth.db
	printf 'not a trace' >deps
	expect_eq 0 "$(run_status "$UNITUNE" report --experiment deps --db synth.db -o rep)" "--experiment"
	[ -s rep/index.html ] || fail "no rep/index.html"
	expect_no_grep 'note:' err
	expect_eq 0 "$(run_status "$UNITUNE" report -e deps --db=synth.db -o rep2)" "-e"
	[ -s rep2/index.html ] || fail "no rep2/index.html"
	expect_eq 0 "$(run_status "$UNITUNE" report --experiment=deps -d synth.db -o rep3)" "--experiment="
	[ -s rep3/index.html ] || fail "no rep3/index.html"
	expect_eq 1 "$(run_status "$UNITUNE" report deps)" "a file is a trace"
	expect_grep '^unitune report: ' err
	expect_no_grep 'experiment' err
}

# With --experiment a missing experiment is an unknown experiment (2),
# never a missing trace; two names are a usage error.
test_report_experiment_option_errors() {
	mkdir results
	synth_experiment results/unitune.db
	expect_eq 2 "$(run_status "$UNITUNE" report -e no-such -o rep)" "unknown"
	expect_grep "no experiment 'no-such'" err
	expect_no_grep 'no trace file' err
	expect_eq 2 "$(run_status "$UNITUNE" report -e deps other)" "two names"
	expect_grep "unexpected argument 'other'" err
	expect_eq 2 "$(run_status "$UNITUNE" report other -e deps)" "two names"
	expect_grep "unexpected argument 'other'" err
	expect_eq 2 "$(run_status "$UNITUNE" report -e deps -e other)" "two -e"
	expect_grep "more than one experiment: 'deps' and 'other'" err
}

# The old form still reports the experiment, and says what to write.
test_report_old_experiment_form_notes_the_new_one() {
	mkdir results
	synth_experiment results/unitune.db
	expect_eq 0 "$(run_status "$UNITUNE" report deps -o rep)" "old form"
	[ -s rep/index.html ] || fail "no rep/index.html"
	expect_grep "^unitune report: note: .*'unitune report --experiment EXP'" err
}

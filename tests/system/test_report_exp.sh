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

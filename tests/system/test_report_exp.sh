# SPDX-License-Identifier: BSD-3-Clause
# The read side of the tuner through the CLI: how `unitune report` tells
# an experiment from a trace, and the errors of show/best without a
# database or experiment. (The report's contents are checked by
# tests/unit/test_tuner_report.c on a synthetic store.)

test_report_names_both_when_neither_exists() {
	expect_eq 2 "$(run_status "$UNITUNE" report no-such-thing)" "exit status"
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
	sed '/^-- migration: 2/,$d' "$ROOT/results/schema.sql" >v1.sql
	sqlite3 v1.db <v1.sql
	sqlite3 v1.db "PRAGMA user_version = 1; INSERT INTO experiments (name, space_path, space_text) VALUES ('old', 'a.yaml', 'x')"
	before=$(stat -c '%s %Y.%y' v1.db; sha256sum <v1.db)
	expect_eq 1 "$(run_status timeout 20 "$UNITUNE" show old --db v1.db)" "show"
	expect_grep 'v1.db: the store is schema version 1 and this unitune reads version [0-9]+; reading never writes a store: run `unitune tune SPACE --db v1.db` once to migrate it' err
	same_file v1.db "$before" "v1.db after show"
	expect_eq 1 "$(sqlite3 v1.db 'PRAGMA user_version')" "version left alone"
}

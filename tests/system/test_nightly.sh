# SPDX-License-Identifier: BSD-3-Clause
# `unitune nightly`: a temporary git repository made from the project,
# with commits of known effect, measured end to end: the slowing commit
# is flagged and confirmed, the improvement is an improvement, a commit
# that changes nothing raises no alarm, an unbuildable commit is recorded
# and skipped, bisection names the culprit from the range's ends, and the
# exit statuses are 0, 1 and 2 as documented (docs/nightly.md).

# nightly_suite, nightly_repo and their helpers: shared with
# benchmarks/nightly.sh.
# shellcheck source=tests/system/nightly_repo.sh
. "$ROOT/tests/system/nightly_repo.sh"

# The night's count of history rows of a commit's benchmark metric.
rows() { # db commit benchmark metric
	sqlite3 "$1" "SELECT count(*) FROM history_samples WHERE git_commit = '$2' AND benchmark = '$3' AND metric = '$4'"
}

test_nightly_range_flags_the_slowing_commit_and_the_improvement() {
	nightly_suite
	nightly_repo
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo \
		--commits "$C0..$C5" --db n.db --work w -o report)
	expect_eq 1 "$st" "exit status with a confirmed regression (stderr: $(tail -n 5 err))"
	# Exactly the slowing commit is a confirmed regression ...
	expect_grep "regression.*${C3:0:10}|${C3:0:10}.*regression" report/summary.md
	for c in "$C1" "$C2" "$C4" "$C5"; do
		expect_no_grep "regression.*${c:0:10}.*(exact|confirmed)" report/summary.md
	done
	# ... the wall-clock one confirmed by re-measuring, not just suspected,
	expect_eq 1 "$(sqlite3 n.db "SELECT count(*) > 0 FROM history_samples WHERE phase = 'confirm' AND git_commit = '$C3'")" "confirmation samples of the suspect"
	expect_grep "confirm syscall-wall .*${C3:0:10}[0-9a-f]*: confirmed" err
	# ... and the boot step's removal an improvement.
	expect_grep "improvement.*${C5:0:10}|${C5:0:10}.*improvement" report/summary.md
	# The unbuildable commit is recorded and did not stop the night.
	expect_eq build_failed "$(sqlite3 n.db "SELECT status FROM history_commits WHERE git_commit = '$C4' AND benchmark = 'syscall'")" "status of the broken commit"
	expect_eq 1 "$(rows n.db "$C5" syscall syscall.syscall_raw.cycles_per_op)" "rows of the commit after the broken one"
	# Report files.
	expect_grep '<testcase' report/junit.xml
	expect_grep '<failure' report/junit.xml
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' report/junit.xml ||
		fail "junit.xml is not well-formed XML"
	expect_grep '<html' report/index.html
	[ -n "$(find report/plots -name '*.svg' -size +0)" ] || fail "no history plot"
	# The summary on stdout is the report's.
	cmp -s out report/summary.md || fail "stdout differs from summary.md"
	# The worktree is gone from the repository's list afterwards.
	expect_eq 1 "$(git -C repo worktree list | wc -l)" "worktrees left"

	# Measuring a commit again adds repetitions; --advisory exits 0.
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo \
		--commit "$C5" --db n.db --work w --advisory)
	expect_eq 0 "$st" "exit status with --advisory"
	expect_eq 2 "$(rows n.db "$C5" syscall syscall.syscall_raw.cycles_per_op)" "rows after measuring again"
	expect_eq 0 "$(sqlite3 n.db "SELECT count(*) FROM (SELECT 1 FROM history_samples GROUP BY fingerprint, suite, benchmark, metric, git_commit, repetition HAVING count(*) > 1)")" "duplicate rows"
}

test_nightly_bisect_names_the_culprit_from_the_ends() {
	nightly_suite
	nightly_repo
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo \
		--commit "$C1" --db n.db --work w)
	expect_eq 0 "$st" "exit status of the first night (stderr: $(tail -n 5 err))"
	expect_grep 'too little history' out
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo \
		--commit "$C5" --db n.db --work w -o report --bisect)
	expect_eq 1 "$st" "exit status with a bisected regression (stderr: $(tail -n 5 err))"
	expect_grep "bisect syscall syscall.syscall_raw.cycles_per_op: the culprit is ${C3:0:10}" err
	expect_grep "${C3:0:10}" report/summary.md
	# The broken commit was skipped, not judged.
	expect_no_grep "bisect syscall syscall.syscall_raw.cycles_per_op: ${C4:0:10} .*: (good|bad)$" err
	# What got slower: the profile diff names the dispatcher.
	d=$(find report/profiles -name diff.txt | head -n 1)
	[ -n "$d" ] || fail "no profile diff in report/profiles"
	expect_grep 'uk_syscall_dispatch' "$d"
	expect_grep 'diff.txt' report/index.html
}

test_nightly_unchanged_commit_raises_no_alarm() {
	nightly_suite
	nightly_repo
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo \
		--commits "$C0..$C2" --db n.db --work w -o report)
	expect_eq 0 "$st" "exit status (stderr: $(tail -n 5 err))"
	expect_no_grep 'regression.*(exact|confirmed)' report/summary.md
	expect_no_grep 'improvement' report/summary.md
	expect_no_grep '<failure' report/junit.xml
}

test_nightly_bad_input_exits_2() {
	nightly_suite
	printf 'name: t\nbenchmarks:\n  - name: x\n    app: syscallbench\n    metrics: [boot_cycles]\n    config: {CONFIG_NO_SUCH_SYMBOL: y}\n' >bad.yaml
	st=$(run_status "$UNITUNE" nightly bad.yaml --db n.db --work w)
	expect_eq 2 "$st" "exit status of an invalid suite"
	expect_grep 'bad.yaml:[0-9]+: .*NO_SUCH_SYMBOL' err
	st=$(run_status "$UNITUNE" nightly suite.yaml --commits 'nosuch..alsonot' --db n.db --work w)
	expect_eq 2 "$st" "exit status of a bad range"
	expect_grep 'nosuch' err
	st=$(run_status "$UNITUNE" nightly suite.yaml --commit HEAD --commits a..b)
	expect_eq 2 "$st" "exit status of --commit with --commits"
	[ ! -e n.db ] || [ "$(sqlite3 n.db "SELECT count(*) FROM history_samples")" = 0 ] ||
		fail "a failed night stored samples"
	# A second night on a work folder in use is refused, not mixed in.
	mkdir -p busy
	flock busy/.lock sleep 30 &
	holder=$!
	for _ in $(seq 50); do
		flock -n busy/.lock true 2>/dev/null || break
		sleep 0.1
	done
	st=$(run_status "$UNITUNE" nightly suite.yaml --db n.db --work busy)
	kill "$holder" 2>/dev/null || true
	wait "$holder" 2>/dev/null || true
	expect_eq 2 "$st" "exit status with the work folder in use"
	expect_grep 'another nightly is using this work folder' err
}

# scripts/nightly.sh, as cron runs it: the first night measures the head
# alone, the next one every commit since, and the last commit measured is
# remembered only by a night that did not fail.
test_nightly_script_measures_the_commits_since_last_night() {
	nightly_suite
	nightly_repo
	export UNITUNE_NIGHTLY_REPO=$PWD/repo UNITUNE_NIGHTLY_SUITE=$PWD/suite.yaml \
		UNITUNE_NIGHTLY_STATE=$PWD/state
	st=$(UNITUNE_NIGHTLY_REV=$C2 run_status "$ROOT/scripts/nightly.sh")
	expect_eq 0 "$st" "exit status of the first night (stderr: $(tail -n 5 err))"
	expect_eq "$C2" "$(cat state/last-commit)" "last commit after the first night"
	expect_grep "\\[1/1\\] ${C2:0:12}" err
	[ -s state/latest/summary.md ] || fail "no state/latest/summary.md"
	st=$(UNITUNE_NIGHTLY_REV=$C3 run_status "$ROOT/scripts/nightly.sh")
	expect_eq 1 "$st" "exit status of the night with the regression (stderr: $(tail -n 5 err))"
	expect_grep "\\[1/1\\] ${C3:0:12}" err
	expect_eq "$C3" "$(cat state/last-commit)" "last commit after the second night"
	expect_grep '<failure' state/latest/junit.xml
	# A failing night (a suite that no longer loads) keeps the last commit.
	echo 'benchmarks: []' >suite.yaml
	st=$(UNITUNE_NIGHTLY_REV=$C5 run_status "$ROOT/scripts/nightly.sh")
	expect_eq 2 "$st" "exit status of a failed night"
	expect_eq "$C3" "$(cat state/last-commit)" "last commit after a failed night"
}

# A night killed with -9 in the middle of its work leaves nothing that
# stops the next one: the worktree, the lock and the store are taken over,
# and the night completes.
test_nightly_killed_night_runs_again() {
	nightly_suite
	nightly_repo
	"$UNITUNE" nightly suite.yaml --repo repo --commits "$C0..$C2" --db n.db \
		--work w >out1 2>err1 &
	pid=$!
	for _ in $(seq 600); do
		n=$(sqlite3 n.db "SELECT count(*) FROM history_commits" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge 1 ] && break
		sleep 0.1
	done
	[ "${n:-0}" -ge 1 ] || fail "no commit measured in 60 s (stderr: $(tail -n 3 err1))"
	kill -0 "$pid" 2>/dev/null || fail "precondition not met: the night had ended before the kill"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null || true
	st=$(run_status "$UNITUNE" nightly suite.yaml --repo repo --commits "$C0..$C2" \
		--db n.db --work w -o report)
	expect_eq 0 "$st" "exit status after the kill (stderr: $(tail -n 5 err))"
	expect_eq ok "$(sqlite3 n.db 'PRAGMA integrity_check')" "store integrity"
	expect_eq done "$(sqlite3 n.db "SELECT status FROM history_commits WHERE git_commit = '$C2' AND benchmark = 'syscall-wall'")" "the last commit measured"
	expect_eq 1 "$(git -C repo worktree list | wc -l)" "worktrees left"
}

# The shipped systemd units are valid as systemd reads them (with the
# checkout's path where they say /opt/unitune).
test_nightly_systemd_units_verify() {
	command -v systemd-analyze >/dev/null ||
		skip "systemd-analyze is not installed"
	cp "$ROOT"/scripts/systemd/unitune-nightly.service "$ROOT"/scripts/systemd/unitune-nightly.timer .
	[ -s unitune-nightly.service ] && [ -s unitune-nightly.timer ] || fail "no units copied"
	sed -i "s|/opt/unitune|$ROOT|g" unitune-nightly.service
	expect_grep "^ExecStart=$ROOT/scripts/nightly.sh$" unitune-nightly.service
	systemd-analyze verify ./unitune-nightly.service ./unitune-nightly.timer >verify.out 2>&1 ||
		{ cat verify.out >&2; fail "systemd-analyze verify failed"; }
	expect_grep '^OnCalendar=' unitune-nightly.timer
}

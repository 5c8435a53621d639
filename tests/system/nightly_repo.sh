# SPDX-License-Identifier: BSD-3-Clause
# A temporary git repository made from the project, with commits of known
# effect on syscallbench, for `unitune nightly`'s test
# (tests/system/test_nightly.sh) and its benchmark (benchmarks/nightly.sh).
# Sourced; needs ROOT and fail() (tests/lib.sh, or the caller's own).

# The suite: syscallbench measured deterministically (boot cycles and the
# raw syscall round trip, exact) and on the wall clock (the round trip,
# re-measured before it counts).
nightly_suite() {
	cat >suite.yaml <<'YAML'
name: t
benchmarks:
  - name: syscall
    app: syscallbench
    metrics: [boot_cycles, syscall.syscall_raw.cycles_per_op]
    mode: deterministic
    repetitions: 1
  - name: syscall-wall
    app: syscallbench
    metrics: [syscall.syscall_raw.cycles_per_op]
    mode: wall
    repetitions: 5
    warmup: 1
YAML
}

# Insert LINE after the first line of FILE matching the ERE ANCHOR; fails
# (so the test does) when the anchor is gone.
insert_after() { # file anchor line
	grep -qE -- "$2" "$1" || fail "no line matching '$2' in $1: update the test"
	awk -v a="$2" -v l="$3" '{ print } !done && $0 ~ a { print l; done = 1 }' \
		"$1" >"$1.new" && mv "$1.new" "$1"
}

# Drop the lines of FILE matching the ERE PATTERN (at least one).
drop_lines() { # file pattern
	grep -qE -- "$2" "$1" || fail "no line matching '$2' in $1"
	grep -vE -- "$2" "$1" >"$1.new" && mv "$1.new" "$1"
}

commit_all() { # message
	NIGHTLY_T=$((NIGHTLY_T + 60))
	GIT_AUTHOR_DATE="@$NIGHTLY_T +0000" GIT_COMMITTER_DATE="@$NIGHTLY_T +0000" \
		git -C repo commit -qam "$1"
	git -C repo rev-parse HEAD
}

# repo/: a clone of the project's HEAD, then
#   c1 a boot step made slower (the baseline of the range)
#   c2 a README line: nothing measurable
#   c3 the syscall dispatcher made slower: the regression
#   c4 syscallbench made unbuildable
#   c5 syscallbench fixed and the boot delay removed: an improvement
# Their SHAs in C0 (the clone's HEAD) .. C5.
nightly_repo() {
	git clone -q "$ROOT" repo
	git -C repo config user.email nightly@test
	git -C repo config user.name "nightly test"
	NIGHTLY_T=$(git -C repo log -1 --format=%ct)
	C0=$(git -C repo rev-parse HEAD)
	local boot=repo/unikernel/lib/ukboot/boot.c
	local sys=repo/unikernel/lib/uksyscall/syscall.c
	local app=repo/unikernel/apps/syscallbench/main.c
	insert_after "$boot" 'uk_boot_step\(UK_BOOT_STEP_ALLOC\);' \
		'	for (volatile int nightly_boot_delay = 0; nightly_boot_delay < 4000; nightly_boot_delay++) {}'
	C1=$(commit_all "boot: a slower allocator step")
	echo "nightly test" >>repo/README.md
	C2=$(commit_all "README: a line")
	insert_after "$sys" '^	uk_tp_syscall\(nr, ' \
		'	for (volatile int nightly_sys_delay = 0; nightly_sys_delay < 8; nightly_sys_delay++) {}'
	C3=$(commit_all "uksyscall: a slower dispatch")
	echo "this does not compile" >>"$app"
	C4=$(commit_all "syscallbench: broken")
	drop_lines "$app" '^this does not compile$'
	drop_lines "$boot" 'nightly_boot_delay'
	C5=$(commit_all "syscallbench fixed; boot: the allocator step is fast again")
}


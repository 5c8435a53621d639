# SPDX-License-Identifier: BSD-3-Clause
# The host library's layers, read from its objects: the boot mechanics and
# the accelerator choice never call the runner's policy (host/README.md,
# "Dependencies").

# The functions an object defines, one a line.
defined_in() { # object
	nm --defined-only "$1" | awk '$2 == "T" { print $3 }'
}

test_mechanics_and_accel_do_not_call_the_runner() {
	local lib="$ROOT/build/host" o
	for o in runner qemu qemu_classify accel accel_guest; do
		[ -s "$lib/$o.o" ] || fail "no $lib/$o.o (build bin/unitune first)"
	done
	defined_in "$lib/runner.o" >runner.syms
	[ -s runner.syms ] || fail "runner.o defines no function"
	for o in qemu qemu_classify accel accel_guest; do
		nm -u "$lib/$o.o" | awk '{ print $2 }' >"$o.undef"
		[ -s "$o.undef" ] || fail "$o.o calls nothing outside itself?"
		if grep -Fxf runner.syms "$o.undef" >"$o.calls"; then
			fail "$o.o calls the runner: $(tr '\n' ' ' <"$o.calls")"
		fi
	done
	# The mechanics do not choose the accelerator either...
	defined_in "$lib/accel.o" >accel.syms
	cat qemu.undef qemu_classify.undef >mech.undef
	if grep -Fxf accel.syms mech.undef >mech.calls; then
		fail "the mechanics call accel.c: $(tr '\n' ' ' <mech.calls)"
	fi
	# ...and the calibration boots through them.
	expect_grep '^qemu_boot$' accel.undef
	nm -u "$lib/runner.o" | awk '{ print $2 }' >runner.undef
	expect_grep '^qemu_boot$' runner.undef
	expect_grep '^accel_resolve$' runner.undef
}

# The CLI sits above the libraries: no file of host/, profiler/, tuner/
# bench/ or nightly/ includes a header of cli/, and no library fragment puts cli/ on its
# include path (cli/README.md).
test_libraries_never_include_the_cli() {
	local lib h
	ls "$ROOT"/cli/*.h >cli.headers 2>/dev/null || fail "no header in cli/"
	[ -s "$ROOT/cli/unitune.c" ] || fail "no cli/unitune.c"
	for lib in host profiler tuner bench nightly; do
		[ -d "$ROOT/$lib" ] || fail "no $lib/"
		grep -rhE '^[[:space:]]*#[[:space:]]*include' "$ROOT/$lib" \
			--include='*.c' --include='*.h' >>lib.includes
		grep -hoE -- '-I[[:space:]]*[^[:space:])]*' "$ROOT/$lib"/*.mk >>lib.iflags || true
	done
	[ -s lib.includes ] || fail "no #include read from the libraries"
	expect_no_grep '[<"/]cli/' lib.includes
	while read -r h; do
		h=$(basename "$h")
		expect_no_grep "[<\"/]$h[>\"]" lib.includes
	done <cli.headers
	expect_no_grep '^-I[[:space:]]*(\$\(ROOT\)/)?cli\b' lib.iflags
	# The verbs' headers are the libraries' own; cli/ includes them.
	expect_grep '^#include "profiler_cmds.h"' "$ROOT/cli/unitune.c"
	expect_grep '^#include "tuner_cmds.h"' "$ROOT/cli/unitune.c"
	expect_grep '^#include "nightly_cmds.h"' "$ROOT/cli/unitune.c"
}

# One fragment links bin/unitune and lists each library once; the
# libraries' fragments instantiate the shared recipe instead of writing
# their own.
test_only_the_cli_fragment_links_bin_unitune() {
	local mk
	grep -lE '^[^#]*bin/unitune *:' "$ROOT"/*/*.mk "$ROOT"/Makefile >linkers || true
	expect_eq "$ROOT/cli/cli.mk" "$(cat linkers)" "fragments with a bin/unitune rule"
	for mk in host/host.mk profiler/profiler.mk tuner/tuner.mk bench/bench.mk; do
		expect_grep '^\$\(eval \$\(call HOST_LIBRARY,' "$ROOT/$mk"
		expect_no_grep '^[^#]*ar rcs' "$ROOT/$mk"
	done
	make -s -C "$ROOT" --no-print-directory -pn bin/unitune 2>/dev/null |
		awk '/^CLI_LIBS :?=/' >cli.libs
	expect_grep 'build/tuner/libtuner.a build/profiler/libprofiler.a build/bench/libbench.a build/host/libunitune.a' cli.libs
}

# bench/ measures through host/ alone, so the tuner can use it: none of
# its files includes a header of profiler/ or tuner/, and its fragment
# links only libunitune.
test_bench_uses_only_host() {
	local h
	grep -rhE '^[[:space:]]*#[[:space:]]*include "' "$ROOT"/bench \
		--include='*.c' --include='*.h' | sed 's/.*"\(.*\)".*/\1/' >bench.includes
	[ -s bench.includes ] || fail "no #include read from bench/"
	for h in "$ROOT"/profiler/*.h "$ROOT"/tuner/*.h; do
		expect_no_grep "^$(basename "$h")\$" bench.includes
	done
	expect_grep '^BENCH_USES := HOST$' "$ROOT/bench/bench.mk"
}

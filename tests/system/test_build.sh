# SPDX-License-Identifier: BSD-3-Clause
# `unitune build` and the unikernel's own make targets.

test_build_prints_image_path_last() {
	"$UNITUNE" build --app hello -o v1 >out 2>err
	img=$(tail -n 1 out)
	expect_eq "$PWD/v1/hello.elf" "$img" "last stdout line"
	[ -f "$img" ] || fail "no image at $img"
	readelf -n "$img" | grep -q 'Build ID: [0-9a-f]\{40\}' || fail "no GNU build-id"
	nm "$img" | grep -q ' T main$' || fail "no symbols"
}

test_variants_build_side_by_side() {
	"$UNITUNE" build --app hello -o a >/dev/null 2>&1
	"$UNITUNE" build --app hello -o b --set CONFIG_UKBOOT_STACK_KB=128 >/dev/null 2>&1
	expect_grep '^CONFIG_UKBOOT_STACK_KB=64$' a/.config
	expect_grep '^CONFIG_UKBOOT_STACK_KB=128$' b/.config
	[ -f a/hello.elf ] && [ -f b/hello.elf ] || fail "both images should exist"
}

test_config_file_and_set_order() {
	printf '# a comment\n\nCONFIG_UKBOOT_STACK_KB=96\n# CONFIG_UKDEBUG_KSYMS is not set\n' >frag
	"$UNITUNE" build --app hello -o v --config frag --set CONFIG_UKDEBUG_BACKTRACE_DEPTH=16 >/dev/null 2>err
	expect_grep '^CONFIG_UKBOOT_STACK_KB=96$' v/.config
	expect_grep '^CONFIG_UKDEBUG_BACKTRACE_DEPTH=16$' v/.config
	expect_grep '^# CONFIG_UKDEBUG_KSYMS is not set$' v/.config
	# --set wins over the file.
	"$UNITUNE" build --app hello -o w --config frag --set CONFIG_UKBOOT_STACK_KB=80 >/dev/null 2>&1
	expect_grep '^CONFIG_UKBOOT_STACK_KB=80$' w/.config
}

test_unknown_app() {
	expect_eq 2 "$(run_status "$UNITUNE" build --app nosuchapp -o x)" "exit status"
	expect_grep 'nosuchapp' err
	expect_grep 'hello' err # lists the apps there are
}

test_bad_symbols_and_values() {
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --set CONFIG_NO_SUCH_OPTION=y)" "unknown symbol"
	expect_grep 'CONFIG_NO_SUCH_OPTION' err
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --set CONFIG_UKBOOT_STACK_KB=lots)" "int given a word"
	expect_grep 'CONFIG_UKBOOT_STACK_KB' err
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --set CONFIG_UKBOOT_STACK_KB=8)" "below range"
	expect_grep 'range|16' err
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --set CONFIG_UKTEST=maybe)" "bool given a word"
	expect_grep 'CONFIG_UKTEST' err
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --set 'config_lower=y')" "malformed name"
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --set CONFIG_UKTEST)" "no value"
	printf 'CONFIG_UKBOOT_STACK_KB=64\nCONFIG_BOGUS=1\n' >bad.config
	expect_eq 2 "$(run_status "$UNITUNE" build --app hello -o x --config bad.config)" "bad file"
	expect_grep 'bad.config:2' err
	expect_grep 'CONFIG_BOGUS' err
	[ ! -e x/hello.elf ] || fail "nothing should be built from a bad config"
}

test_resolved_config_differences_are_reported() {
	# UKTEST_TEST depends on UKTEST, off in hello's defconfig.
	expect_eq 0 "$(run_status "$UNITUNE" build --app hello -o v --set CONFIG_UKTEST_TEST=y)" "exit status"
	expect_grep 'CONFIG_UKTEST_TEST' err
}

test_make_kconfig_targets() {
	make -s -C "$ROOT/unikernel" O="$PWD/k" APP=hello defconfig
	expect_grep '^CONFIG_UK_APPNAME="hello"$' k/.config
	sed -i 's/^CONFIG_UKBOOT_STACK_KB=.*/CONFIG_UKBOOT_STACK_KB=99999999/' k/.config
	make -s -C "$ROOT/unikernel" O="$PWD/k" olddefconfig
	expect_grep '^CONFIG_UKBOOT_STACK_KB=64$' k/.config # out of range: default
	KCONFIG_SEED=7 make -s -C "$ROOT/unikernel" O="$PWD/r1" APP=hello randconfig
	KCONFIG_SEED=7 make -s -C "$ROOT/unikernel" O="$PWD/r2" APP=hello randconfig
	diff <(grep '^CONFIG' r1/.config) <(grep '^CONFIG' r2/.config) || fail "randconfig with one seed differs"
	make -s -C "$ROOT/unikernel" O="$PWD/k" -j2 >/dev/null
	[ -f k/hello.elf ] || fail "make did not build k/hello.elf"
	expect_eq 2 "$(run_status make -s -C "$ROOT/unikernel" O="$PWD/z" APP=nosuch defconfig)" "unknown app"
	expect_grep "unknown app 'nosuch'" err
}

test_build_failure_is_reported() {
	expect_eq 1 "$(run_status env CC=false "$UNITUNE" build --app hello -o f)" "exit status"
	expect_grep 'build failed' err
}

test_config_must_be_a_regular_file() {
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" build --app hello -o x --config /dev/zero)" "/dev/zero"
	expect_grep 'cannot read --config /dev/zero: a character device, not a regular file' err
	mkfifo pipe.config
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" build --app hello -o x --config pipe.config)" "FIFO"
	expect_grep 'pipe.config: a FIFO \(pipe\), not a regular file' err
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" build --app hello -o x --config .)" "directory"
	expect_grep 'a directory, not a regular file' err
	head -c 1048577 /dev/zero | tr '\0' '#' >big.config
	expect_eq 2 "$(run_status timeout 20 "$UNITUNE" build --app hello -o x --config big.config)" "over 1 MiB"
	expect_grep 'big.config: larger than 1 MiB, the limit for this input' err
	[ ! -e x/hello.elf ] || fail "nothing should be built"
}

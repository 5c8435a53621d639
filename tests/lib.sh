# SPDX-License-Identifier: BSD-3-Clause
# Helpers for tests/system/*.sh. Every check prints what it expected and
# what it saw, so a failing log explains itself.

UNITUNE="$ROOT/bin/unitune"
TEST_IMAGES="$ROOT/build/test/images"

# Path of APP's image, built once per test run with its defconfig.
test_image() {
	local app=$1 dir="$TEST_IMAGES/$1"
	if [ ! -f "$dir/.built" ]; then
		mkdir -p "$TEST_IMAGES"
		"$UNITUNE" build --app "$app" -o "$dir" >"$dir.log" 2>&1 || {
			cat "$dir.log" >&2
			return 1
		}
		touch "$dir/.built"
	fi
	echo "$dir/$app.elf"
}

fail() {
	echo "check failed: $*" >&2
	return 1
}

expect_eq() { # expected actual what
	[ "$1" = "$2" ] || fail "${3:-value}: expected '$1', got '$2'"
}

expect_grep() { # pattern file
	grep -qE -- "$1" "$2" || {
		echo "--- $2:" >&2
		tail -n 20 "$2" >&2
		fail "no line matching '$1' in $2"
	}
}

expect_no_grep() { # pattern file
	! grep -qE -- "$1" "$2" || fail "unexpected line matching '$1' in $2"
}

# run_status CMD...: run, keep stdout in out, stderr in err, echo status.
run_status() {
	"$@" >out 2>err
	echo $?
}

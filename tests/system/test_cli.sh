# SPDX-License-Identifier: BSD-3-Clause
# Help and verb handling of the unitune front end.

test_help_lists_verbs_and_options() {
	"$UNITUNE" --help >out
	expect_grep 'build' out
	expect_grep 'run' out
	"$UNITUNE" build --help >out
	for opt in --app --config --set -o; do expect_grep "$opt" out; done
	expect_grep 'unitune build --app hello' out # an example
	"$UNITUNE" run --help >out
	for opt in --mem --accel --deterministic --timeout; do expect_grep "$opt" out; done
	expect_grep '124' out # documented exit statuses
	expect_grep '139' out
}

test_unknown_verb() {
	expect_eq 2 "$(run_status "$UNITUNE" frobnicate)" "exit status"
	expect_grep 'frobnicate' err
}

# SPDX-License-Identifier: BSD-3-Clause
# The examples of every --help are true: each runs, in a sandbox tree, to
# the status it documents.

# Verbs in an order where each example's inputs exist by the time it runs
# (run after build, diff and report after record, show after tune); the
# front end's own help ("") last, as it uses a bit of everything.
HELP_VERBS="build run record diff tune show best export report bench doctor"

# The example lines of a help on stdin: the indented lines of each
# "Examples:" block, without the indent. An example that argp wrapped
# would go on at column 0: it is printed as "WRAPPED: ..." instead.
help_examples() {
	awk '/^Examples:$/ { on = 1; next }
	     on && /^  / { print substr($0, 3); next }
	     on && NF { print "WRAPPED: " $0 }
	     { on = 0 }'
}

# A tree of our own: the sources linked in, build/ and results/ fresh, so
# the examples' relative paths (build/hello/hello.elf, results/unitune.db)
# and the CLI's default output folders are all here.
help_sandbox() {
	ln -s "$ROOT/unikernel" unikernel
	ln -s "$ROOT/benchmarks" benchmarks
	export UNITUNE_ROOT=$PWD
	export PATH="$ROOT/bin:$PATH"
}

# Images an example uses but no example builds: build/APP/APP.elf.
help_images() { # example
	local img app
	for img in $(grep -o 'build/[a-z0-9_-]*/[a-z0-9_-]*\.elf' <<<"$1"); do
		[ -f "$img" ] && continue
		app=$(basename "$img" .elf)
		[ -d "unikernel/apps/$app" ] || fail "example names no app: $img"
		"$UNITUNE" build --app "$app" -o "$(dirname "$img")" >/dev/null 2>build.err ||
			fail "cannot build $img for: $1"
	done
}

help_run_example() { # verb example
	local want=0 got n
	case "$2" in
	*"# exit status "*) want=${2##*# exit status } ;;
	esac
	help_images "$2"
	n=$((${n_examples:-0} + 1))
	n_examples=$n
	got=0
	# pipefail: "unitune ... | jq" fails when unitune does.
	timeout 600 bash -o pipefail -c "$2" </dev/null >"example-$n.out" 2>&1 || got=$?
	echo "example ($1): $2 -> $got"
	[ "$got" = "$want" ] || {
		tail -n 15 "example-$n.out" >&2
		fail "'$2' (unitune $1 --help) exited $got, documented $want"
	}
}

test_help_examples_run() {
	local verb line
	help_sandbox
	n_examples=0
	for verb in $HELP_VERBS ""; do
		# shellcheck disable=SC2086
		"$UNITUNE" $verb --help >help.txt
		help_examples <help.txt >examples.txt
		[ -s examples.txt ] || fail "unitune $verb --help has no examples"
		expect_no_grep '^WRAPPED: ' examples.txt
		while IFS= read -r line; do
			help_run_example "$verb" "$line"
		done <examples.txt
	done
	[ "$n_examples" -ge 30 ] || fail "only $n_examples examples ran"
}

test_help_lines_fit_and_report_shows_both_reports() {
	local verb
	for verb in "" $HELP_VERBS; do
		# shellcheck disable=SC2086
		"$UNITUNE" $verb --help >help.txt
		awk -v v="$verb" 'length > 79 { print "unitune " v " --help: " $0; bad = 1 }
			END { exit bad }' help.txt || fail "lines wider than 79 columns"
	done
	"$UNITUNE" report --help >out
	for opt in --image --flame --folded --timeline --db --output --top; do
		expect_grep "$opt" out
	done
	expect_grep '^Usage: unitune report \[OPTION...\] FILE$' out
	expect_grep '^Usage: unitune report \[OPTION...\] --experiment EXP$' out
	expect_grep '^  or:  unitune report \[OPTION...\] EXP$' out
	expect_eq 0 "$(run_status "$UNITUNE" help report)" "unitune help report"
	expect_grep '--db' out
}

# Statuses as a set: one a line, sorted, ranges expanded ("129-192" is
# 64 lines), except 0-255, the application's own, which stays one token
# (it would cover everything else).
status_set() {
	local s
	while read -r s; do
		case "$s" in
		0-255) echo "$s" ;;
		*-*) seq "${s%-*}" "${s#*-}" ;;
		*) echo "$s" ;;
		esac
	done | sort -u
}

# The statuses in a help's "Exit status" paragraphs (stdin); "0..255" is
# written 0-255, as in README. A status starts an entry: a table row
# (after an indent) or an item after ':', ';' or '('; a number inside a
# meaning ("plus 128") is not one.
help_statuses() {
	awk '/^Exit status/ { on = 1 } on && !NF { on = 0 } on' | tr '\n' ' ' |
		grep -oP '(?:[:;(] *|  +)\K[0-9]+(?:(?:\.\.|-)[0-9]+)?(?=[ ),;]|$)' |
		sed 's/\.\./-/' | status_set
}

# The statuses README's "Exit statuses" table gives a command (a row's
# first cell lists commands: "run, record", "report EXP", "every command").
readme_statuses() { # command
	awk -F'|' -v cmd="$1" '
		/^### Exit statuses$/ { on = 1; next }
		on && /^#/ { on = 0 }
		on && /^\| [a-z]/ && $2 != " command " {
			n = split($2, cmds, ",")
			for (i = 1; i <= n; i++) {
				c = cmds[i]
				gsub(/^ +| +$/, "", c)
				split(c, w, " ")
				if (w[1] == cmd || c == "every command") {
					s = $3
					gsub(/ /, "", s)
					print s
				}
			}
		}' "$ROOT/README.md" | status_set
}

# The values of the exit-status constants named PREFIX* in the code: the
# host headers, and the crash statuses the guest reports (unitune/abi.h;
# a *_BASE is a base, not a status).
code_statuses() { # prefix
	grep -hoE "^#define $1[A-Z_]* +[0-9]+\b" "$ROOT"/host/*.h "$ROOT"/profiler/*.h \
		"$ROOT"/tuner/*.h "$ROOT"/nightly/*.h "$ROOT"/include/unitune/abi.h |
		awk '$2 !~ /_BASE$/ { print $3 }' | sort -u
}

test_exit_statuses_agree_in_readme_help_and_code() {
	local verb readme help prefix cmds missing
	for verb in build run record report diff tune show best export bench nightly doctor; do
		readme=$(readme_statuses "$verb" | tr '\n' ' ')
		# shellcheck disable=SC2086
		help=$("$UNITUNE" $verb --help | help_statuses | tr '\n' ' ')
		[ "$readme" != "2 " ] || fail "README lists no status for $verb but usage"
		expect_eq "$readme" "$help" "exit statuses of $verb: README vs --help"
	done
	for prefix in UNITUNE_EXIT_:run,record UNITUNE_CRASH_:run,record \
		SWEEP_EXIT_:tune EXP_EXIT_:show,best,export NIGHTLY_EXIT_:nightly; do
		cmds=${prefix#*:}
		[ -n "$(code_statuses "${prefix%%:*}")" ] || fail "no ${prefix%%:*} constants in the code"
		for verb in ${cmds//,/ }; do
			missing=$(comm -23 <(code_statuses "${prefix%%:*}") <(readme_statuses "$verb"))
			[ -z "$missing" ] ||
				fail "${prefix%%:*} values not in README's table for $verb: $missing"
		done
	done
}

# SPDX-License-Identifier: BSD-3-Clause
# min_mem: the sweep's search from the guest's "[uk] mem: need=" line
# gives what plain bisection over `unitune run --mem` gives, in two runs
# where the prediction holds (host/min_mem.h).

# A space over APP whose only objective is min_mem, the allocator chosen
# among BACKENDS (choice members).
min_mem_space() { # file app backend...
	local file=$1 app=$2
	shift 2
	{
		echo "name: mm_$app"
		echo "app: $app"
		echo "options:"
		echo "  - symbol: CONFIG_UKALLOC_BACKEND"
		echo "    type: choice"
		echo "    values: [$(echo "$@" | sed 's/ /, /g')]"
		echo "objectives:"
		echo "  - {metric: min_mem, goal: minimize}"
	} >"$file"
}

# The bytes QEMU must give before the image even loads: the end of its
# highest PT_LOAD segment (host/image.c), as measure.c starts from.
load_end_kib() { # image
	local end=0 paddr memsz
	while read -r paddr memsz; do
		[ $((paddr + memsz)) -gt "$end" ] && end=$((paddr + memsz))
	done < <(readelf -lW "$1" | awk '$1 == "LOAD" { print $4, $6 }')
	[ "$end" -gt 0 ] || return 1
	echo $((end / 1024))
}

# Plain bisection as the tuner did it before the guest predicted:
# lo fails, hi (the default 32 MiB) runs, halve to 4 KiB, answer hi.
bisect_min_mem() { # image
	local lo hi=32768 mid
	lo=$(load_end_kib "$1") || return 1
	while [ $((hi - lo)) -gt 4 ]; do
		mid=$((lo + (hi - lo) / 2))
		if "$UNITUNE" run --deterministic --mem "${mid}K" --timeout 120 \
			"$1" >/dev/null 2>&1; then
			hi=$mid
		else
			lo=$mid
		fi
	done
	echo "$hi"
}

# Sweep the space, then check every variant's min_mem against bisection
# and its probe count in measure.log: at most 3 where the guess held.
check_min_mem_sweep() { # space db work held_backends...
	local space=$1 db=$2 work=$3 rows=0 img mm backend log want
	shift 3
	"$UNITUNE" tune --db "$db" --work "$work" --jobs 2 --progress never \
		"$space" >out 2>err || { cat err >&2; fail "tune $space"; return 1; }
	while IFS='|' read -r img mm backend; do
		rows=$((rows + 1))
		log=$(dirname "$img")/measure.log
		want=$(bisect_min_mem "$img") || { fail "bisection of $img"; return 1; }
		expect_eq "$want" "$mm" "min_mem of $backend ($img)" || return 1
		expect_grep "min_mem $mm KiB after [0-9]+ probes" "$log" || return 1
		case " $* " in
		*" $backend "*)
			expect_grep "min_mem $mm KiB after [123] probes .*: held\)" "$log" ||
				return 1 ;;
		*)
			expect_grep "min_mem $mm KiB after [0-9]+ probes .*: searched\)" "$log" ||
				return 1 ;;
		esac
	done < <(sqlite3 "$db" "SELECT b.image_path, CAST(r.value AS INTEGER),
		CASE WHEN instr(v.resolved, 'CONFIG_UKALLOC_REGION=y') THEN 'CONFIG_UKALLOC_REGION'
		     WHEN instr(v.resolved, 'CONFIG_UKALLOC_BUDDY=y') THEN 'CONFIG_UKALLOC_BUDDY'
		     WHEN instr(v.resolved, 'CONFIG_UKALLOC_TLSF=y') THEN 'CONFIG_UKALLOC_TLSF' END
		FROM variants v
		JOIN builds b ON b.variant_id = v.id
		JOIN runs r ON r.variant_id = v.id AND r.metric = 'min_mem'
		WHERE v.status = 'done' ORDER BY v.id")
	expect_eq 2 "$rows" "variants with min_mem in $db"
}

# hello: the region allocator's bump pointer and TLSF's highest block
# predict exactly; the smallest heap the kernel boots with decides.
test_min_mem_hello_region_tlsf_match_bisection() {
	min_mem_space hello.yaml hello CONFIG_UKALLOC_REGION CONFIG_UKALLOC_TLSF
	check_min_mem_sweep hello.yaml h.db w CONFIG_UKALLOC_REGION \
		CONFIG_UKALLOC_TLSF
}

# allocbench: TLSF's prediction holds; buddy's (a lower bound: where its
# power-of-two blocks run dry depends on the pool's length) does not, and
# the search falls back to galloping and bisection with the same answer.
test_min_mem_allocbench_tlsf_buddy_match_bisection() {
	min_mem_space ab.yaml allocbench CONFIG_UKALLOC_TLSF CONFIG_UKALLOC_BUDDY
	check_min_mem_sweep ab.yaml a.db w CONFIG_UKALLOC_TLSF
}

# The prediction is a console line of every exit, after the app's output.
test_min_mem_line_printed_at_exit() {
	local img
	img=$(test_image hello) || return 1
	expect_eq 0 "$(run_status "$UNITUNE" run --deterministic "$img")" "status"
	expect_grep '^\[uk\] mem: need=[0-9]+$' out
	expect_eq "[uk] mem: need=" "$(tail -n 1 out | tr -d '0-9\r')" "last line"
}

# SPDX-License-Identifier: BSD-3-Clause
# What the benchmark scripts share, sourced after they set ROOT: the CLI,
# the output folder, their report, and the figures read from an image.

UNITUNE=$ROOT/bin/unitune
OUT=$ROOT/build/bench

# bench_report FILE: say() appends to $OUT/FILE, emptied here.
bench_report() {
	mkdir -p "$OUT"
	REPORT=$OUT/$1
	: >"$REPORT"
}

say() { echo "$*" | tee -a "$REPORT"; }

# boot_cycles IMAGE: cycles from the first instruction to main(), in
# deterministic mode.
boot_cycles() {
	"$UNITUNE" run --deterministic "$1" | sed -n 's/^\[uk\] boot: cycles=\([0-9]*\).*/\1/p'
}

# image_symbol IMAGE SYMBOL: the symbol's address, in decimal.
image_symbol() {
	echo $((0x$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')))
}

# loaded_bytes IMAGE: what the loader copies, _image_start to _edata.
loaded_bytes() {
	echo $(($(image_symbol "$1" _edata) - $(image_symbol "$1" _image_start)))
}

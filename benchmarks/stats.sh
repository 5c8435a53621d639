# SPDX-License-Identifier: BSD-3-Clause
# Sourced by benchmarks/*.sh: the figures of repeated measurements.

# stats FILE COLUMN: "median (min-max)" of a whitespace-separated column
# of numbers, one row per run, as given (no reformatting).
stats() {
	cut -d' ' -f"$2" "$1" | sort -g |
		awk '{ v[NR] = $1 } END { printf "%s (%s-%s)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

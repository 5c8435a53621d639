#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# ksyms.sh NM IMAGE            print the function table of IMAGE as assembly
# ksyms.sh --check NM A B      fail when A and B place functions differently
#
# The table lets a crashing guest name the functions in its backtrace
# without the host's help. It is linked into a second pass of the image;
# --check proves that embedding it moved no function.
set -eu

functions() {
	"$1" -n --defined-only "$2" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }'
}

if [ "$1" = "--check" ]; then
	a=$(functions "$2" "$3")
	b=$(functions "$2" "$4")
	if [ "$a" != "$b" ]; then
		echo "ksyms.sh: function addresses differ between $3 and $4" >&2
		exit 1
	fi
	exit 0
fi

functions "$1" "$2" | awk '
{ addr[NR] = $1; name[NR] = $2 }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.globl uk_ksyms_count, uk_ksyms_addr, uk_ksyms_name"
	print "uk_ksyms_count:\n\t.quad " NR
	print "uk_ksyms_addr:"
	for (i = 1; i <= NR; i++) print "\t.quad 0x" addr[i]
	print "uk_ksyms_name:"
	off = 0
	for (i = 1; i <= NR; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "uk_ksyms_strings:"
	for (i = 1; i <= NR; i++) print "\t.asciz \"" name[i] "\""
	print "\t.section .note.GNU-stack, \"\", @progbits"
}'

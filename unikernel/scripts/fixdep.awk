# SPDX-License-Identifier: BSD-3-Clause
#
# fixdep: narrows an object's dependency on the configuration.
#
#   awk -v config_h=DIR/include/uk/config.h -v confdir=DIR/include/config \
#       -f fixdep.awk OBJ.d > OBJ.d.new
#
# OBJ.d is what gcc -MMD -MP wrote. Every object includes config.h, which
# holds every option, so depending on it rebuilds everything whenever any
# option changes. Instead the object is made to depend on one file per
# CONFIG_ symbol that its source or any header it read mentions:
# kconfig-conf --silentoldconfig keeps confdir/<sym>.h (the symbol in
# lower case, each '_' a '/') and touches only the files of symbols whose
# value changed. A symbol never set has no file yet; $(wildcard) drops it
# until kconfig creates it, which happens before make re-reads the .d files
# (the Makefile includes auto.conf, so a configuration step restarts make).
#
# Paths never contain whitespace (host/build.c refuses such directories).
# Exit status: 0, or 1 when OBJ.d or a file it lists cannot be read.

function fail(msg) {
	print "fixdep: " msg > "/dev/stderr"
	failed = 1
	exit 1
}

# Records every CONFIG_ identifier in one line; a longer identifier that
# merely contains CONFIG_ (MY_CONFIG_X) does not count.
function scan_line(line,    id) {
	while (match(line, /[A-Za-z0-9_]*CONFIG_[A-Za-z0-9_]+/)) {
		id = substr(line, RSTART, RLENGTH)
		line = substr(line, RSTART + RLENGTH)
		if (substr(id, 1, 7) == "CONFIG_" && !(id in used)) {
			used[id] = 1
			order[++nused] = id
		}
	}
}

function scan_file(path,    line, rc) {
	while ((rc = (getline line < path)) > 0)
		scan_line(line)
	if (rc < 0)
		fail("cannot read " path " (listed in " FILENAME ")")
	close(path)
}

function symbol_file(id,    name) {
	name = tolower(substr(id, 8))
	gsub(/_/, "/", name)
	return confdir "/" name ".h"
}

BEGIN {
	if (config_h == "" || confdir == "")
		fail("usage: awk -v config_h=PATH -v confdir=DIR -f fixdep.awk OBJ.d")
}

# Joins backslash-continued lines into one logical line.
{
	if (sub(/\\$/, "")) {
		pending = pending $0 " "
		next
	}
	text[++nlines] = pending $0
	pending = ""
}

END {
	if (failed)
		exit 1
	if (nlines == 0)
		fail("no rule in " FILENAME)
	# The first logical line is "target: prerequisites"; the rest are the
	# empty rules -MP adds so a deleted header does not stop make.
	n = split(text[1], word, /[ \t]+/)
	target = ""
	for (i = 1; i <= n; i++) {
		if (word[i] == "")
			continue
		if (target == "") {
			target = word[i]
			continue
		}
		if (word[i] == config_h)
			continue
		prereq[++nprereq] = word[i]
		scan_file(word[i])
	}
	if (target !~ /:$/)
		fail("first line of " FILENAME " is not a rule")
	printf "%s", target
	for (i = 1; i <= nprereq; i++)
		printf " \\\n %s", prereq[i]
	for (i = 1; i <= nused; i++)
		printf " \\\n $(wildcard %s)", symbol_file(order[i])
	printf "\n"
	for (i = 2; i <= nlines; i++)
		if (text[i] != config_h ":")
			print text[i]
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The trace points an image has, read from its ELF (the table layout is
 * in include/unitune/abi.h), so that `unitune record --trace` can refuse
 * a name or glob the guest would only warn about on its console.
 */
#ifndef UNITUNE_PROF_TPTABLE_H
#define UNITUNE_PROF_TPTABLE_H

#include <stddef.h>

struct tptable {
	char **names;	/* by id */
	size_t n;
};

/*
 * Read the names of the trace points of the image at path, in id order
 * (an image built without trace points has none). 0, or -errno /
 * -ENOEXEC with why filled in. Free with tptable_free() in every case.
 */
int tptable_read(const char *path, struct tptable *t, char *why,
		 size_t why_len);

/*
 * Check a uk.trace value (record --trace: comma list of names with '*'
 * globs, "all", or 0xMASK) against the table: every pattern must match
 * at least one trace point, and a mask may only name ids the image has.
 * 0, or -ENOENT with why naming the first pattern that matches nothing.
 */
int tptable_check_spec(const struct tptable *t, const char *spec, char *why,
		       size_t why_len);

void tptable_free(struct tptable *t);

#endif

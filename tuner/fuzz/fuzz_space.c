/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the space-file parser and validator (space.c) on
 * arbitrary text, against the unikernel's real Kconfig symbol table,
 * loaded once before the first input (kconfig_load parses in a child
 * process, too slow to repeat). A space that loads is then used the way
 * a sweep uses it: the grid size, and the first and last points formatted
 * and parsed back, which must give the same indexes. Any crash, sanitizer
 * report, leak or broken invariant is a finding.
 *
 * FUZZ_UNIKERNEL names the unikernel source tree (absolute, from the
 * build).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconfig.h"
#include "space.h"
#include "why.h"

#ifndef FUZZ_UNIKERNEL
#error "FUZZ_UNIKERNEL must name the unikernel source tree"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The symbol table: read-only after LLVMFuzzerInitialize, which is the
 * only way libFuzzer lets a target keep state across inputs. */
static struct kconfig *fuzz_kc;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf err = STRBUF_INIT;

	(void)argc;
	(void)argv;
	if (kconfig_load(FUZZ_UNIKERNEL, "Config.uk", NULL, &fuzz_kc, &err)) {
		fprintf(stderr, "fuzz_space: kconfig_load %s: %s\n",
			FUZZ_UNIKERNEL, err.buf ? err.buf : "");
		exit(1);
	}
	strbuf_release(&err);
	return 0;
}

/* Format the point with every index at first (or last) and parse it back. */
static void round_trip(const struct space *s, int last)
{
	size_t i, n = s->n_options;
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));
	size_t *back = calloc(n ? n : 1, sizeof(*back));
	struct strbuf text = STRBUF_INIT;

	if (!idx || !back)
		abort();
	for (i = 0; i < n; i++)
		idx[i] = last ? s->options[i].n_values - 1 : 0;
	if (space_point_format(s, idx, &text))
		abort();
	if (space_point_parse(s, text.buf ? text.buf : "", back) ||
	    memcmp(idx, back, n * sizeof(*idx)))
		abort();
	strbuf_release(&text);
	free(idx);
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[UNITUNE_WHY_MAX] = "";
	struct space *s = NULL;
	uint64_t points;
	int r;

	r = space_load_text((const char *)data, size, "fuzz.yaml", fuzz_kc,
			    &s, why, sizeof(why));
	if (!r) {
		if (!space_grid_size(s, &points) && points == 0)
			abort();
		round_trip(s, 0);
		round_trip(s, 1);
	} else if (!*why || strchr(why, '\n')) {
		abort();	/* one line saying what is wrong, always */
	}
	space_free(s);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tests only: the link-time address of a function of the test program
 * itself (a PIE), which is what a trace or console of a static image,
 * loaded at its link addresses, would carry.
 */
#ifndef UNITUNE_PROF_TEST_LINK_ADDR_H
#define UNITUNE_PROF_TEST_LINK_ADDR_H

#include <link.h>
#include <stdint.h>

static int link_addr_bias_cb(struct dl_phdr_info *info, size_t size,
			     void *data)
{
	(void)size;
	/* The first object is the program itself. */
	*(uintptr_t *)data = info->dlpi_addr;
	return 1;
}

static inline uint64_t link_addr(const void *fn)
{
	uintptr_t bias = 0;

	dl_iterate_phdr(link_addr_bias_cb, &bias);
	return (uint64_t)((uintptr_t)fn - bias);
}

#endif

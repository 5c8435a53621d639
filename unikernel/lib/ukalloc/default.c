/* SPDX-License-Identifier: BSD-3-Clause */
/* The allocator Kconfig chose, built over the heap at boot. One file per
 * backend choice would be three copies of this; the choice is one call. */
#include <uk/alloc.h>
#include <uk/compiler.h>

static struct uk_alloc default_alloc;
/* What uk_alloc_default() answers: NULL until the heap is ready. */
struct uk_alloc *uk__alloc_default;

static int backend_init(struct uk_alloc *a, void *base, size_t len)
{
	if (IS_ENABLED(CONFIG_UKALLOC_REGION))
		return uk_alloc_region_init(a, base, len);
	if (IS_ENABLED(CONFIG_UKALLOC_BUDDY))
		return uk_alloc_buddy_init(a, base, len);
	return uk_alloc_tlsf_init(a, base, len);
}

int uk_alloc_default_init(void *base, size_t len)
{
	int err = backend_init(&default_alloc, base, len);

	uk__alloc_default = err ? NULL : &default_alloc;
	return err;
}

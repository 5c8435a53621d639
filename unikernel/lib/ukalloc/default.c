/* SPDX-License-Identifier: BSD-3-Clause */
/* The allocator Kconfig chose, built over the heap at boot. One file per
 * backend choice would be three copies of this; the choice is one call. */
#include <uk/alloc.h>
#include <uk/compiler.h>

static struct uk_alloc default_alloc;
static int default_ready;

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

	default_ready = !err;
	return err;
}

struct uk_alloc *uk_alloc_default(void)
{
	return default_ready ? &default_alloc : NULL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native build: the heap as the C library sees it (glibc's mallinfo2),
 * or as AddressSanitizer's allocator does when it replaces malloc. The
 * network stack is the host kernel's and is left out.
 */
#include <malloc.h>
#include <stddef.h>

#include "prom.h"
#include "stats.h"

#if defined(__SANITIZE_ADDRESS__)
#define HTTPD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HTTPD_ASAN 1
#endif
#endif

#ifdef HTTPD_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);
size_t __sanitizer_get_heap_size(void);
#endif

static void heap_render(struct textbuf *o)
{
	size_t in_use, pool;
#ifdef HTTPD_ASAN
	in_use = __sanitizer_get_current_allocated_bytes();
	pool = __sanitizer_get_heap_size();
#else
	struct mallinfo2 mi = mallinfo2();

	in_use = mi.uordblks + mi.hblkhd;
	pool = mi.arena + mi.hblkhd;
#endif
	prom_metric(o, "httpd_heap_in_use_bytes", "gauge",
		    "Bytes of live heap allocations.",
		    in_use);
	prom_metric(o, "httpd_heap_pool_bytes", "gauge",
		    "Bytes the heap holds from the system.",
		    pool);
}

static const struct stats_provider heap = { "heap", heap_render };

const struct stats_provider *const stats_providers[] = { &heap, NULL };

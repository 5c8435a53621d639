/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Statistics about what httpd runs on, for /metrics: each provider adds
 * its own families. The build links one set: stats_linux.c natively (the
 * C library's heap), stats_uk.c in the guest (the kernel allocator, the
 * trace ring; the network stack's and the driver's counters join it when
 * those libraries exist). Every set names the heap's bytes in use
 * httpd_heap_in_use_bytes, which the heap-flat test reads.
 */
#ifndef HTTPD_STATS_H
#define HTTPD_STATS_H

struct textbuf;

struct stats_provider {
	const char *name;
	void (*render)(struct textbuf *o);
};

/* This build's providers, NULL-terminated. */
extern const struct stats_provider *const stats_providers[];

#endif

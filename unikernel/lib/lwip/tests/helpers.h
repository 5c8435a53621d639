/* SPDX-License-Identifier: BSD-3-Clause */
/* What lwIP's guest tests share: memory snapshots to prove nothing leaks,
 * waiting for the stack in either mode, and a memory sink that counts
 * the trace events a test caused. */
#ifndef LWIP_TESTS_HELPERS_H
#define LWIP_TESTS_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include "lwip/memp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/stats.h"

/* Everything lwIP holds: each pool's objects in use, its heap, and the
 * kernel allocator's live bytes (mailboxes, heap-mode pbufs). */
struct lwip_mem_snapshot {
	unsigned memp_used[MEMP_MAX];
	unsigned mem_used;
	uint64_t alloc_bytes;
};
void lwip_test_snapshot(struct lwip_mem_snapshot *s);
/* The first pool whose use differs from before, or -1; -2 for the heap,
 * -3 for the kernel allocator. */
int lwip_test_snapshot_diff(const struct lwip_mem_snapshot *before,
			    const struct lwip_mem_snapshot *now);

/* Let the stack run (uk_lwip_poll under RTC, a short sleep while the
 * tcpip thread works under THREADED) until done(arg) or timeout_ms
 * passed; returns done(arg). A bound, so a broken stack fails the test
 * instead of hanging it. */
bool lwip_test_run_until(bool (*done)(void *arg), void *arg, unsigned timeout_ms);

/* Closed connections linger in TIME_WAIT for 2 * TCP_MSL, checked on
 * the 500 ms slow timer: long enough for them and the timer to go. */
#define LWIP_TEST_TIME_WAIT_MS (2 * TCP_MSL + 4 * 500 + 1000)

/* Wait until lwIP holds exactly what *before recorded; returns the diff
 * code of lwip_test_snapshot_diff (-1: none left). */
int lwip_test_wait_released(const struct lwip_mem_snapshot *before);

/* The start of a test of one loopback connection: the stack started,
 * lwip_* events recorded when tracing can be (tracing), and what lwIP
 * held and had counted before, to compare at the end. */
struct lwip_test_conn {
	struct lwip_mem_snapshot before;
	unsigned tcp_chkerr;
	bool tracing;
};
void lwip_test_conn_begin(struct lwip_test_conn *t);

/* Trace points: record lwip_* events into memory (false when tracing is
 * compiled out or the host's trace port is in use: then skip). */
bool lwip_test_trace_start(void);
/* Stop and count the events of trace point name whose first argument is
 * arg0 (any, when any_arg0). */
void lwip_test_trace_stop(void);
unsigned lwip_test_trace_count(const char *name, bool any_arg0, uint64_t arg0);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/alloc.h>
#include <uk/lwip.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/trace.h>
#include "lwip/sys.h"
#include "lwip/priv/tcp_priv.h"
#include "helpers.h"

#define MS 1000000ULL

void lwip_test_snapshot(struct lwip_mem_snapshot *s)
{
	struct uk_alloc_stats st;

	for (int i = 0; i < MEMP_MAX; i++)
		s->memp_used[i] = lwip_stats.memp[i]->used;
	s->mem_used = lwip_stats.mem.used;
	uk_alloc_stats_get(uk_alloc_default(), &st);
	s->alloc_bytes = st.cur_bytes;
}

int lwip_test_snapshot_diff(const struct lwip_mem_snapshot *before,
			    const struct lwip_mem_snapshot *now)
{
	for (int i = 0; i < MEMP_MAX; i++)
		if (before->memp_used[i] != now->memp_used[i])
			return i;
	if (before->mem_used != now->mem_used)
		return -2;
	if (before->alloc_bytes != now->alloc_bytes)
		return -3;
	return -1;
}

bool lwip_test_run_until(bool (*done)(void *arg), void *arg, unsigned timeout_ms)
{
	u32_t start = sys_now();

	while (!done(arg)) {
		if (sys_now() - start > timeout_ms)
			return false;
#if CONFIG_LWIP_RTC
		uk_lwip_poll();
		if (done(arg))
			break;
#endif
		uk_sleep_ns(MS / 2);
	}
	return true;
}

struct released_wait {
	const struct lwip_mem_snapshot *before;
	int diff;
};

static bool released(void *arg)
{
	struct released_wait *w = arg;
	struct lwip_mem_snapshot now;

	lwip_test_snapshot(&now);
	w->diff = lwip_test_snapshot_diff(w->before, &now);
	return w->diff == -1;
}

int lwip_test_wait_released(const struct lwip_mem_snapshot *before)
{
	struct released_wait w = { before, -1 };

	lwip_test_run_until(released, &w, LWIP_TEST_TIME_WAIT_MS);
	return w.diff;
}

void lwip_test_conn_begin(struct lwip_test_conn *t)
{
	uk_lwip_init();
	/* First: the trace buffer is allocated once, at the first start. */
	t->tracing = lwip_test_trace_start();
	lwip_test_snapshot(&t->before);
	t->tcp_chkerr = lwip_stats.tcp.chkerr;
}

/* ---- trace events into memory ------------------------------------------- */

#if CONFIG_LWIP_TRACEPOINTS
#define SINK_BYTES (64 * 1024)

static struct {
	uint8_t buf[SINK_BYTES];
	size_t len;
} sink;

static long sink_write(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (len > SINK_BYTES - sink.len)
		len = SINK_BYTES - sink.len;
	memcpy(sink.buf + sink.len, buf, len);
	sink.len += len;
	return (long)len;
}

bool lwip_test_trace_start(void)
{
	static const struct uk_trace_sink s = { sink_write, NULL };

	if (uk_trace_active())
		return false;	/* the host's port: leave it alone */
	sink.len = 0;
	uk_trace_start(&s);
	uk_trace_set_drain_on_half(false);
	return uk_trace_enable("lwip_*") >= 0;
}

void lwip_test_trace_stop(void)
{
	uk_trace_drain();
	uk_trace_stop();
}

static int tp_id(const char *name)
{
	const struct ut_trace_header *h = (const void *)sink.buf;
	const struct ut_tracepoint_desc *d = (const void *)(sink.buf + h->header_len);

	for (uint32_t i = 0; i < h->ntracepoints; i++)
		if (!strcmp(d[i].name, name))
			return (int)d[i].id;
	return -1;
}

unsigned lwip_test_trace_count(const char *name, bool any_arg0, uint64_t arg0)
{
	const struct ut_trace_header *h = (const void *)sink.buf;
	size_t off = h->header_len + h->ntracepoints * sizeof(struct ut_tracepoint_desc);
	int id = tp_id(name);
	unsigned n = 0;

	while (off + sizeof(struct ut_rec_hdr) <= sink.len) {
		const struct ut_rec_hdr *r = (const void *)(sink.buf + off);
		if (r->magic != UT_REC_MAGIC || r->len < 16 || r->len % 8)
			return 9999; /* a corrupt stream fails the test loudly */
		if (r->type == UT_REC_EVENT) {
			const struct ut_rec_event *ev = (const void *)r;
			const uint64_t *args = (const uint64_t *)(ev + 1);
			if ((int)ev->tp_id == id &&
			    (any_arg0 || (ev->nargs && args[0] == arg0)))
				n++;
		}
		off += r->len;
	}
	return n;
}
#else
bool lwip_test_trace_start(void)
{
	return false;
}

void lwip_test_trace_stop(void)
{
}

unsigned lwip_test_trace_count(const char *name, bool any_arg0, uint64_t arg0)
{
	(void)name, (void)any_arg0, (void)arg0;
	return 0;
}
#endif

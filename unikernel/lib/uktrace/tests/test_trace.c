/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tracer against a memory sink: stream layout, run-time enabling,
 * and that a full buffer loses records loudly (counted, then announced by
 * a LOST record and in the end record's totals).
 */
#include <uk/boot.h>
#include <uk/string.h>
#include <uk/test.h>
#include <uk/trace.h>
#include <uk/trap.h>
#include "../ring.h"

UK_TRACEPOINT(test_probe, 2, UT_ARG_U64, UT_ARG_HEX);

#define SINK_BYTES (CONFIG_UKTRACE_BUFFER_KB * 1024 + 64 * 1024)

static struct {
	uint8_t buf[SINK_BYTES];
	size_t len;
	bool refuse;
} sink;

static long sink_write(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (sink.refuse)
		return 0;
	if (len > SINK_BYTES - sink.len)
		len = SINK_BYTES - sink.len;
	memcpy(sink.buf + sink.len, buf, len);
	sink.len += len;
	return (long)len;
}

static void start(void)
{
	static const struct uk_trace_sink s = { sink_write, NULL };
	sink.len = 0;
	sink.refuse = false;
	uk_trace_start(&s);
	uk_trace_set_drain_on_half(false);
}

/* Walk the records after the header and table; returns how many of type
 * (or all, for 0) and the last one of that type in *last. */
static unsigned count_records(unsigned type, const struct ut_rec_hdr **last)
{
	const struct ut_trace_header *h = (const void *)sink.buf;
	size_t off = h->header_len + h->ntracepoints * sizeof(struct ut_tracepoint_desc);
	unsigned n = 0;

	while (off + sizeof(struct ut_rec_hdr) <= sink.len) {
		const struct ut_rec_hdr *r = (const void *)(sink.buf + off);
		if (r->magic != UT_REC_MAGIC || r->len < 16 || r->len % 8)
			return 9999; /* corrupt: fail loudly */
		if (!type || r->type == type) {
			n++;
			if (last)
				*last = r;
		}
		off += r->len;
	}
	return n;
}

static int has_tracepoint(const char *name)
{
	const struct ut_trace_header *h = (const void *)sink.buf;
	const struct ut_tracepoint_desc *d = (const void *)(sink.buf + h->header_len);

	for (uint32_t i = 0; i < h->ntracepoints; i++)
		if (!strcmp(d[i].name, name))
			return 1;
	return 0;
}

UK_TESTCASE(uktrace, ring_wraps_around)
{
	static uint8_t mem[64];
	struct ut_ring r;
	const uint8_t *p;
	uint8_t data[40];

	ut_ring_init(&r, mem, sizeof(mem));
	for (int i = 0; i < 40; i++)
		data[i] = (uint8_t)i;
	ut_ring_put(&r, data, 40);
	ut_ring_consume(&r, 40);
	ut_ring_put(&r, data, 40); /* 24 bytes at the end, 16 at the start */
	UK_EXPECT_EQ(ut_ring_used(&r), 40);
	UK_EXPECT_EQ(ut_ring_peek(&r, &p), 24);
	UK_EXPECT_EQ(p[0], 0);
	ut_ring_consume(&r, 24);
	UK_EXPECT_EQ(ut_ring_peek(&r, &p), 16);
	UK_EXPECT_EQ(p[0], 24);
	UK_EXPECT_EQ(p[15], 39);
}

UK_TESTCASE(uktrace, stream_header_and_events)
{
	const struct ut_rec_hdr *last = NULL;

	if (uk_trace_active())
		return; /* the real port is in use: leave it alone */
	start();
	uk_tp_test_probe(1, 2); /* not enabled yet: no record */
	UK_ASSERT_TRUE(uk_trace_enable("test_*") == 1);
	uk_tp_test_probe(42, 0xbeef);
	uk_trace_drain();
	const struct ut_trace_header *h = (const void *)sink.buf;
	UK_EXPECT_EQ(h->magic, UT_TRACE_MAGIC);
	UK_EXPECT_EQ(h->version, UT_TRACE_VERSION);
	UK_EXPECT_EQ(h->header_len, sizeof(*h));
	UK_EXPECT(h->build_id_len == 20);
	UK_EXPECT(has_tracepoint("test_probe"));
	UK_EXPECT(has_tracepoint("boot_main") || has_tracepoint("boot_entry"));
	UK_EXPECT_EQ(count_records(UT_REC_EVENT, &last) >= 1, 1);
	const struct ut_rec_event *ev = (const void *)last;
	UK_EXPECT_EQ(ev->nargs, 2);
	UK_EXPECT_EQ(((const uint64_t *)(ev + 1))[0], 42);
	UK_EXPECT_EQ(((const uint64_t *)(ev + 1))[1], 0xbeef);
	uk_trace_enable("0x0");
	uk_trace_stop();
}

/* The names the steps of uk/boot_steps.h carry in the stream. */
#define STEP_NAME(id, name) "boot_" #name,
static const char *const step_names[] = { UK_BOOT_STEPS(STEP_NAME) };

/* The name of the trace point an event record comes from. */
static const char *event_name(const struct ut_rec_hdr *r)
{
	const struct ut_trace_header *h = (const void *)sink.buf;
	const struct ut_tracepoint_desc *d = (const void *)(sink.buf + h->header_len);
	const struct ut_rec_event *ev = (const void *)r;

	return ev->tp_id < h->ntracepoints ? d[ev->tp_id].name : "";
}

/* Each step has its trace point, and the steps reached before tracing
 * starts are sent in the order of the list, each under its own name. */
UK_TESTCASE(uktrace, boot_steps_are_sent_under_their_names)
{
	const struct ut_trace_header *h = (const void *)sink.buf;
	size_t off, nsteps = sizeof(step_names) / sizeof(step_names[0]);
	unsigned reached = 0, sent = 0;

	if (uk_trace_active())
		return;
	UK_EXPECT_EQ(nsteps, UK_BOOT_STEP_COUNT);
	for (unsigned s = 0; s < UK_BOOT_STEP_COUNT; s++)
		reached += uk_boot_step_tsc((enum uk_boot_step)s) != 0;
	UK_EXPECT(reached >= 2);
	start();
	uk_trace_drain();
	for (unsigned s = 0; s < nsteps; s++)
		UK_EXPECT(has_tracepoint(step_names[s]));
	off = h->header_len + h->ntracepoints * sizeof(struct ut_tracepoint_desc);
	while (off + sizeof(struct ut_rec_hdr) <= sink.len) {
		const struct ut_rec_hdr *r = (const void *)(sink.buf + off);

		if (r->len < 16)
			break;
		if (r->type == UT_REC_EVENT && sent < nsteps) {
			UK_EXPECT(!strcmp(event_name(r), step_names[sent]));
			sent++;
		}
		off += r->len;
	}
	UK_EXPECT_EQ(sent, reached);
	uk_trace_stop();
}

UK_TESTCASE(uktrace, full_buffer_counts_and_announces_losses)
{
	const struct ut_rec_hdr *rec = NULL;
	struct uk_trace_stats st;
	unsigned i;

	if (uk_trace_active())
		return;
	start();
	uk_trace_enable("test_probe");
	sink.refuse = true;
	/* Many more events than the ring holds. */
	for (i = 0; i < CONFIG_UKTRACE_BUFFER_KB * 1024 / 32 + 100; i++)
		uk_tp_test_probe(i, 0);
	uk_trace_stats_get(&st);
	UK_EXPECT(st.lost >= 100);
	uint64_t lost = st.lost;
	sink.refuse = false;
	uk_trace_drain();
	uk_tp_test_probe(7, 7); /* the first record that fits again */
	uk_trace_finish(0, false);
	UK_ASSERT_TRUE(count_records(UT_REC_LOST, &rec) == 1);
	const struct ut_rec_lost *l = (const void *)rec;
	UK_EXPECT_EQ(l->lost, lost);
	UK_EXPECT(l->first_tsc <= l->last_tsc);
	UK_ASSERT_TRUE(count_records(UT_REC_END, &rec) == 1);
	const struct ut_rec_end *e = (const void *)rec;
	UK_EXPECT_EQ(e->lost, lost);
	UK_EXPECT_EQ(e->records, count_records(0, NULL));
	UK_EXPECT_EQ(e->exit_status, 0);
	uk_trace_enable("0x0");
	uk_trace_stop();
}

/* A sample carries the sampler windows missed before it; the end record
 * has the total, even of samples that were lost. */
UK_TESTCASE(uktrace, samples_carry_missed_windows)
{
	const struct ut_rec_hdr *rec = NULL;
	struct trap_frame f = { 0 };

	if (uk_trace_active())
		return;
	start();
	f.rip = (uint64_t)(uintptr_t)&count_records;
	uk_trace_sample(&f, 3);
	uk_trace_sample(&f, 0);
	uk_trace_sample(&f, 5);
	uk_trace_finish(0, false);
	UK_ASSERT_TRUE(count_records(UT_REC_SAMPLE, &rec) == 3);
	UK_EXPECT_EQ(((const struct ut_rec_sample *)rec)->missed, 5);
	UK_EXPECT(((const struct ut_rec_sample *)rec)->depth >= 1);
	UK_ASSERT_TRUE(count_records(UT_REC_END, &rec) == 1);
	UK_EXPECT_EQ(rec->len, sizeof(struct ut_rec_end));
	UK_EXPECT_EQ(((const struct ut_rec_end *)rec)->missed, 8);
	UK_EXPECT_EQ(((const struct ut_rec_end *)rec)->samples, 3);
	uk_trace_stop();
}

UK_TESTCASE(uktrace, enable_specs)
{
	UK_EXPECT(uk_trace_enable("all") > 1);
	UK_EXPECT_EQ(uk_trace_enable("0x0"), 0);
	UK_EXPECT_EQ(uk_trace_enable("no_such_point"), -2);
	UK_EXPECT_EQ(uk_trace_enable("0xzz"), -22);
	UK_EXPECT_EQ(uk_trace_enable("boot_main,test_probe"), 2);
	UK_EXPECT_EQ(uk_trace_enable("0x0"), 0);
}

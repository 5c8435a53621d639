/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The tracer: one ring buffer, written by trace points and the sampler,
 * drained to a sink (the virtio-serial port) as a stream in the format of
 * unitune/abi.h. Writers run with interrupts off for the few instructions
 * that reserve and copy a record, so the timer-driven sampler can never
 * interleave with a trace point. Nothing here blocks the traced code: a
 * record that does not fit is dropped and counted.
 */
#include <uk/alloc.h>
#include <uk/boot.h>
#include <uk/print.h>
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/string.h>
#include <uk/switch.h>
#include <uk/trace.h>
#include <uk/trap.h>
#include <uk/x86.h>
#include "ring.h"

#define RING_BYTES ((size_t)CONFIG_UKTRACE_BUFFER_KB * 1024)
#define REC_MAX (sizeof(struct ut_rec_sample) + UT_STACK_MAX * 8)

_Static_assert((RING_BYTES & (RING_BYTES - 1)) == 0,
	       "CONFIG_UKTRACE_BUFFER_KB must be a power of two");

extern struct uk_tracepoint _uk_tracepoints_start[], _uk_tracepoints_end[];
extern const char _build_id_note[];

/* Allocated when tracing starts: an image that is not being recorded
 * does not carry the buffer in its memory footprint. */
static uint8_t *ring_storage;

static struct tracer {
	struct ut_ring ring;
	struct uk_trace_sink sink;
	bool active;
	bool draining;
	bool header_sent;
	bool finished;
	bool drain_on_half;	/* false: only idle, exit and crash drain */
	bool sink_failing;	/* back off half-full drains until one works */
	uint64_t lost_pending, lost_first_tsc, lost_last_tsc;
	struct uk_trace_stats st;
	uint32_t sample_hz;
	uint32_t drain_ms;
} tracer;

static uint32_t tp_id(const struct uk_tracepoint *tp)
{
	return (uint32_t)(tp - _uk_tracepoints_start);
}

/* Copy a whole record in, or count it lost. Interrupts are off. */
static void put_record(const void *rec, size_t len)
{
	struct ut_ring *r = &tracer.ring;
	uint64_t tsc = ((const struct ut_rec_hdr *)rec)->tsc;

	if (tracer.lost_pending) {
		struct ut_rec_lost lost = {
			.hdr = { UT_REC_MAGIC, UT_REC_LOST, 0, sizeof(lost), rdtsc() },
			.lost = tracer.lost_pending,
			.first_tsc = tracer.lost_first_tsc,
			.last_tsc = tracer.lost_last_tsc,
		};
		if (ut_ring_free(r) < sizeof(lost) + len)
			goto drop;
		ut_ring_put(r, &lost, sizeof(lost));
		tracer.st.records++;
		tracer.lost_pending = 0;
	}
	if (ut_ring_free(r) < len)
		goto drop;
	ut_ring_put(r, rec, len);
	tracer.st.records++;
	return;
drop:
	if (!tracer.lost_pending++)
		tracer.lost_first_tsc = tsc;
	tracer.lost_last_tsc = tsc;
	tracer.st.lost++;
}

static void after_put(void)
{
	if (tracer.drain_on_half && !tracer.sink_failing &&
	    ut_ring_used(&tracer.ring) >= tracer.ring.size / 2)
		uk_trace_drain();
}

void uk_trace_emit(struct uk_tracepoint *tp, unsigned nargs, const uint64_t *args)
{
	struct {
		struct ut_rec_event ev;
		uint64_t args[UT_TP_ARGS_MAX];
	} rec;
	unsigned long flags;

	/* After the end record nothing more belongs in the stream; and the
	 * tracer's own port I/O while draining is not the program's. */
	if (!tracer.active || tracer.finished || tracer.draining)
		return;
	if (nargs > UT_TP_ARGS_MAX)
		nargs = UT_TP_ARGS_MAX;
	size_t len = sizeof(rec.ev) + nargs * sizeof(uint64_t);
	rec.ev = (struct ut_rec_event){
		.hdr = { UT_REC_MAGIC, UT_REC_EVENT, 0, (uint32_t)len, rdtsc() },
		.tp_id = tp_id(tp),
		.nargs = nargs,
	};
	for (unsigned i = 0; i < nargs; i++)
		rec.args[i] = args[i];
	flags = arch_irq_save();
	tracer.st.events++;
	put_record(&rec, len);
	after_put();
	arch_irq_restore(flags);
}

void uk_trace_sample(const struct trap_frame *f, uint64_t missed)
{
	struct {
		struct ut_rec_sample s;
		uint64_t pcs[CONFIG_UKTRACE_STACK_DEPTH];
	} rec;
	int truncated = 0;
	unsigned long flags;

	if (!tracer.active || tracer.finished)
		return;
	size_t depth = uk_backtrace_collect_trap(f->rip, f->rsp, f->rbp, rec.pcs,
						 CONFIG_UKTRACE_STACK_DEPTH,
						 &truncated);
	size_t len = sizeof(rec.s) + depth * sizeof(uint64_t);
	rec.s = (struct ut_rec_sample){
		.hdr = { UT_REC_MAGIC, UT_REC_SAMPLE,
			 truncated ? UT_SAMPLE_TRUNCATED : 0, (uint32_t)len, rdtsc() },
		.depth = (uint32_t)depth,
		.missed = missed > UINT32_MAX ? UINT32_MAX : (uint32_t)missed,
	};
	flags = arch_irq_save();
	tracer.st.samples++;
	tracer.st.missed += missed;
	put_record(&rec, len);
	after_put();
	arch_irq_restore(flags);
}

static long sink_write_all(const void *buf, size_t len)
{
	long n = tracer.sink.write(tracer.sink.ctx, buf, len);

	if (n >= 0)
		tracer.st.bytes_out += (uint64_t)n;
	return n;
}

static void send_header(void)
{
	struct ut_trace_header h = {
		.magic = UT_TRACE_MAGIC,
		.version = UT_TRACE_VERSION,
		.header_len = sizeof(h),
		.tsc_hz = plat_tsc_hz(),
		.tsc_boot = uk_boot_tsc_first(),
		.sample_hz = tracer.sample_hz,
		.drain_ms = tracer.drain_ms,
		.ntracepoints = (uint32_t)(_uk_tracepoints_end - _uk_tracepoints_start),
	};
	/* The note is: namesz, descsz, type, "GNU\0", then the id. */
	const uint32_t *note = (const uint32_t *)_build_id_note;
	uint32_t idlen = note[1] < UT_BUILD_ID_MAX ? note[1] : UT_BUILD_ID_MAX;

	memcpy(h.build_id, _build_id_note + 12 + ALIGN_UP(note[0], 4), idlen);
	h.build_id_len = (uint8_t)idlen;
	for (struct uk_tracepoint *tp = _uk_tracepoints_start;
	     tp < _uk_tracepoints_end; tp++)
		if (tp->enabled && tp_id(tp) < 64)
			h.trace_mask |= 1ULL << tp_id(tp);
	sink_write_all(&h, sizeof(h));
	for (struct uk_tracepoint *tp = _uk_tracepoints_start;
	     tp < _uk_tracepoints_end; tp++) {
		struct ut_tracepoint_desc d = { .id = tp_id(tp), .nargs = tp->nargs };
		memcpy(d.arg_types, tp->arg_types, UT_TP_ARGS_MAX);
		size_t n = strlen(tp->name);
		memcpy(d.name, tp->name, n < UT_TP_NAME_MAX - 1 ? n : UT_TP_NAME_MAX - 1);
		sink_write_all(&d, sizeof(d));
	}
	tracer.header_sent = true;
}

void uk_trace_drain(void)
{
	unsigned long flags = arch_irq_save();
	const uint8_t *data;
	size_t n;

	if (!tracer.active || tracer.draining)
		goto out;
	tracer.draining = true;
	if (!tracer.header_sent)
		send_header();
	tracer.sink_failing = false;
	/* Only what was there when the drain began: a sample taken while
	 * it runs waits for the next one instead of prolonging this. */
	uint64_t stop = tracer.ring.head;
	while (tracer.ring.tail < stop && (n = ut_ring_peek(&tracer.ring, &data))) {
		if (n > stop - tracer.ring.tail)
			n = (size_t)(stop - tracer.ring.tail);
		/* A sink that takes nothing leaves the records in the ring:
		 * new ones are then dropped and counted, never silently. */
		long done = sink_write_all(data, n);
		if (done <= 0) {
			tracer.sink_failing = true;
			break;
		}
		ut_ring_consume(&tracer.ring, (size_t)done);
	}
	tracer.draining = false;
out:
	arch_irq_restore(flags);
}

/* The boot steps happened before tracing started; send them now with
 * the TSC at which each was reached. */
static void emit_boot_steps(void);

void uk_trace_start(const struct uk_trace_sink *sink)
{
	if (!ring_storage)
		ring_storage = uk_memalign(uk_alloc_default(), 64, RING_BYTES);
	if (!ring_storage) {
		uk_pr_warn("no memory for the %u KiB trace buffer: not tracing\n",
			   CONFIG_UKTRACE_BUFFER_KB);
		return;
	}
	ut_ring_init(&tracer.ring, ring_storage, RING_BYTES);
	tracer.sink = *sink;
	tracer.drain_on_half = uk_trace_drain_policy_half();
	tracer.st = (struct uk_trace_stats){ 0 };
	tracer.lost_pending = 0;
	tracer.header_sent = tracer.finished = tracer.draining = false;
	tracer.sink_failing = false;
	tracer.active = true;
	emit_boot_steps();
}

void uk_trace_stop(void)
{
	tracer.active = false;
}

bool uk_trace_active(void)
{
	return tracer.active;
}

void uk_trace_stats_get(struct uk_trace_stats *st)
{
	*st = tracer.st;
}

void uk_trace_set_sample_hz(uint32_t hz)
{
	tracer.sample_hz = hz;
}

void uk_trace_set_drain_ms(uint32_t ms)
{
	tracer.drain_ms = ms;
}

void uk_trace_set_drain_on_half(bool on)
{
	tracer.drain_on_half = on;
}

void uk_trace_finish(int exit_status, bool crashed)
{
	unsigned long flags = arch_irq_save();

	if (!tracer.active || tracer.finished)
		goto out;
	tracer.finished = true;
	/* Make room for the end record: it must never be the one lost. */
	uk_trace_drain();
	struct ut_rec_end end = {
		.hdr = { UT_REC_MAGIC, UT_REC_END, crashed ? UT_END_CRASH : 0,
			 sizeof(end), rdtsc() },
		.exit_status = crashed ? -1 : exit_status,
	};
	/* The totals count the end record itself, and the LOST record that
	 * put_record writes first when a gap is pending. The drain above
	 * emptied the ring, so both fit. */
	end.records = tracer.st.records + (tracer.lost_pending ? 1 : 0) + 1;
	end.lost = tracer.st.lost;
	end.samples = tracer.st.samples;
	end.events = tracer.st.events;
	end.missed = tracer.st.missed;
	put_record(&end, sizeof(end));
	uk_trace_drain();
out:
	arch_irq_restore(flags);
}

/* ---- boot steps ----------------------------------------------------------- */

/* One trace point per step of uk/boot_steps.h, named boot_<name>. */
#define BOOT_STEP_TRACEPOINT(id, name) UK_TRACEPOINT(boot_##name, 0, 0);
UK_BOOT_STEPS(BOOT_STEP_TRACEPOINT)

#define BOOT_STEP_SLOT(id, name) [UK_BOOT_STEP_##id] = &uk__tp_boot_##name,
static struct uk_tracepoint *const boot_steps[UK_BOOT_STEP_COUNT] = {
	UK_BOOT_STEPS(BOOT_STEP_SLOT)
};

void uk_trace_boot_step(enum uk_boot_step s)
{
	uint64_t tsc = uk_boot_step_tsc(s);
	unsigned long flags;

	if (!tracer.active || !tsc)
		return;
	struct ut_rec_event ev = {
		.hdr = { UT_REC_MAGIC, UT_REC_EVENT, 0, sizeof(ev), tsc },
		.tp_id = tp_id(boot_steps[s]),
	};
	flags = arch_irq_save();
	tracer.st.events++;
	put_record(&ev, sizeof(ev));
	arch_irq_restore(flags);
}

static void emit_boot_steps(void)
{
	for (int s = 0; s < UK_BOOT_STEP_COUNT; s++)
		uk_trace_boot_step((enum uk_boot_step)s);
}

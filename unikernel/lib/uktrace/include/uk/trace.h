/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Trace points and the sampling profiler.
 *
 * A trace point is declared once, in the one file that fires it:
 *
 *   UK_TRACEPOINT(alloc_malloc, 2, UT_ARG_U64, UT_ARG_HEX);
 *   ...
 *   uk_tp_alloc_malloc(size, (uint64_t)ptr);
 *
 * The descriptor goes to the .uk_tracepoints section, so the table the
 * host receives needs no central list. A library compiles its trace points
 * in or out with its own Kconfig switch (see UK_TRACEPOINT_OFF): out means
 * the call is an empty inline function, no code at all. At run time each
 * point is off until the boot command line enables it (uk.trace=NAMES).
 *
 * Records go to a ring buffer that never blocks and never fails silently:
 * when it is full the record is dropped and counted, and the next record
 * that fits is preceded by a LOST record saying how many and when. The
 * buffer drains to the host (virtio-serial port "unitune.trace") in the
 * idle loop, when it is half full, every uk.trace_drain_ms milliseconds
 * from the timer (so a run killed from outside loses at most about one
 * period), at exit and at a crash. The stream format is in unitune/abi.h.
 */
#ifndef UK_TRACE_H
#define UK_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unitune/abi.h>
#include <uk/compiler.h>

struct uk_tracepoint {
	const char *name;
	uint8_t nargs;
	uint8_t arg_types[UT_TP_ARGS_MAX];
	bool enabled;		/* set from uk.trace= */
};
/* The host reads the table in the image (abi.h: UT_TP_ENTRY_SIZE). */
_Static_assert(sizeof(struct uk_tracepoint) == UT_TP_ENTRY_SIZE &&
		       offsetof(struct uk_tracepoint, name) == 0,
	       "the image's trace-point table layout is part of the ABI");

#if CONFIG_UKTRACE
void uk_trace_emit(struct uk_tracepoint *tp, unsigned nargs, const uint64_t *args);
#else
static inline void uk_trace_emit(struct uk_tracepoint *tp, unsigned nargs,
				 const uint64_t *args)
{
	(void)tp, (void)nargs, (void)args;
}
#endif

#define UK__TP_DESC(name, n, ...)                                              \
	static struct uk_tracepoint uk__tp_##name                              \
		__table_entry(".uk_tracepoints") = { #name, n, { __VA_ARGS__ }, false }

#define UK__TP_ARGS0 void
#define UK__TP_ARGS1 uint64_t a0
#define UK__TP_ARGS2 uint64_t a0, uint64_t a1
#define UK__TP_ARGS3 uint64_t a0, uint64_t a1, uint64_t a2
#define UK__TP_ARGS4 uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3
#define UK__TP_VALS0 0
#define UK__TP_VALS1 a0
#define UK__TP_VALS2 a0, a1
#define UK__TP_VALS3 a0, a1, a2
#define UK__TP_VALS4 a0, a1, a2, a3

/* n: 0..4 arguments; the varargs are their enum ut_arg_type. */
#define UK_TRACEPOINT(name, n, ...)                                            \
	UK__TP_DESC(name, n, __VA_ARGS__);                                     \
	static inline void uk_tp_##name(UK__TP_ARGS##n)                        \
	{                                                                      \
		if (__builtin_expect(uk__tp_##name.enabled, 0)) {              \
			const uint64_t v[] = { UK__TP_VALS##n };               \
			uk_trace_emit(&uk__tp_##name, n, v);                   \
		}                                                              \
	}

#define UK__TP_UNUSED __attribute__((unused))
#define UK__TP_OFF0 void
#define UK__TP_OFF1 uint64_t a0 UK__TP_UNUSED
#define UK__TP_OFF2 UK__TP_OFF1, uint64_t a1 UK__TP_UNUSED
#define UK__TP_OFF3 UK__TP_OFF2, uint64_t a2 UK__TP_UNUSED
#define UK__TP_OFF4 UK__TP_OFF3, uint64_t a3 UK__TP_UNUSED

/* The same trace point compiled out: calls vanish. */
#define UK_TRACEPOINT_OFF(name, n, ...)                                        \
	static inline void uk_tp_##name(UK__TP_OFF##n)                         \
	{                                                                      \
	}

/* A sink takes whole chunks of the stream (tests use a memory sink). */
struct uk_trace_sink {
	long (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
};

/* Find the host's port and start tracing (a no-op without the port). */
void uk_trace_init(void);
/* Start tracing into sink (tests); the header is written first. */
void uk_trace_start(const struct uk_trace_sink *sink);
/* Stop and forget the sink. */
void uk_trace_stop(void);
/* Send what the buffer holds. Safe from any context, the timer interrupt
 * included: it runs with interrupts off, as do the writers, and a drain
 * never starts inside another. */
void uk_trace_drain(void);
/* Write the end record (exit_status, or -1 and crashed) and drain. */
void uk_trace_finish(int exit_status, bool crashed);
bool uk_trace_active(void);

/* Sent as events: boot steps reached before tracing started are sent when
 * it starts, later ones as they happen (lib/ukboot calls this). */
enum uk_boot_step;
void uk_trace_boot_step(enum uk_boot_step s);
/* The frequency the header announces (the sampler sets it). */
void uk_trace_set_sample_hz(uint32_t hz);
/* The periodic drain's period the header announces (0: none). */
void uk_trace_set_drain_ms(uint32_t ms);
/* Drain when the buffer is half full (the default), or only when idle,
 * at exit and at a crash (uk.trace_drain=idle: least perturbation, and
 * records are lost once the buffer is full). The periodic drain is set
 * apart (uk.trace_drain_ms; 0 turns it off). */
void uk_trace_set_drain_on_half(bool on);
bool uk_trace_drain_policy_half(void);
/* Start or stop the sampler at the configured frequency. */
void uk_trace_sampler_configure(void);

struct uk_trace_stats {
	uint64_t records, lost, samples, events, bytes_out;
	uint64_t missed;	/* sampler windows without a sample */
};
void uk_trace_stats_get(struct uk_trace_stats *st);

/* Enable trace points by a comma list of names with '*' globs, "all", or
 * a hex mask by table index ("0x5"). Returns matches, or -EINVAL. */
int uk_trace_enable(const char *spec);

/* Emit a SAMPLE record (the sampler does; tests may), with the sampler
 * windows missed since the previous sample. */
struct trap_frame;
void uk_trace_sample(const struct trap_frame *frame, uint64_t missed);

#endif

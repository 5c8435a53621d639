/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest/host interface of Unitune: one C99 header, shared by the
 * unikernel and the host tools, with nothing in it but constants and
 * fixed-width layouts. Bump UNITUNE_ABI_VERSION on any incompatible change.
 */
#ifndef UNITUNE_ABI_H
#define UNITUNE_ABI_H

/* 2: trace stream version 2 (sampler windows missed, drain period). */
#define UNITUNE_ABI_VERSION 2

/*
 * Shutdown through QEMU's isa-debug-exit device.
 *
 * The guest writes a value V to UNITUNE_EXIT_PORT and QEMU exits with
 * (V << 1) | 1. A process status keeps 8 bits, so V has 7 usable bits, and
 * QEMU's own failures exit with 1 (V = 0) while a reset with -no-reboot
 * (a triple fault, for instance) exits with 0. The guest therefore never
 * writes 0:
 *
 *   V = status + 1            application exit status 0..124
 *   V = UNITUNE_EXIT_WIDE     status 125..255: the guest printed
 *                             UNITUNE_MSG_EXIT "<status>" as its last line
 *   V = UNITUNE_EXIT_CRASH    panic or unhandled exception; the guest printed
 *                             UNITUNE_MSG_CRASH "<reason>" first and
 *                             UNITUNE_MSG_CRASH_STATUS "<status>" last
 *
 * The host decodes a QEMU exit code C: C odd and C > 1 comes from the guest
 * (V = C >> 1); C == 1 is a QEMU failure; C == 0 is a guest reset.
 */
#define UNITUNE_EXIT_PORT 0xf4
#define UNITUNE_EXIT_STATUS_MAX_DIRECT 124
#define UNITUNE_EXIT_WIDE 0x7e
#define UNITUNE_EXIT_CRASH 0x7f

/*
 * Crash statuses: what `unitune run` exits with for each kind of crash.
 * Where Linux would kill a process with a signal, the status is 128 + that
 * signal, as a shell reports it; kinds Linux has no signal for get
 * statuses above the signal range (128 + 64).
 */
#define UNITUNE_CRASH_SIGNAL_BASE 128	/* + N: killed by signal N (1..64),
					 * e.g. kill(getpid(), SIGTERM) */
#define UNITUNE_CRASH_SIGILL 132	/* invalid opcode */
#define UNITUNE_CRASH_SIGTRAP 133	/* breakpoint or debug exception */
#define UNITUNE_CRASH_SIGABRT 134	/* abort() */
#define UNITUNE_CRASH_SIGBUS 135	/* alignment check, machine check */
#define UNITUNE_CRASH_SIGFPE 136	/* divide error, x87 or SIMD error */
#define UNITUNE_CRASH_OOM 137		/* out of memory (SIGKILL, as Linux's
					 * OOM killer sends) */
#define UNITUNE_CRASH_SIGSEGV 139	/* page fault, general protection,
					 * segment, stack or bound faults */
#define UNITUNE_CRASH_PANIC 200		/* kernel panic: an assertion, a
					 * corrupt heap, a deadlock, an
					 * exception with no signal (double
					 * fault, NMI, ...) */
#define UNITUNE_CRASH_STACK_SMASH 201	/* the stack protector fired */
#define UNITUNE_CRASH_RESET 202		/* the guest reset (triple fault);
					 * the host tells, the guest cannot */

/*
 * The guest command line, as QEMU's multiboot loader passes it: the image
 * path, a space, then what the host gave -append (host/cmdline.h has the
 * syntax). The guest keeps at most UNITUNE_CMDLINE_MAX bytes of it, the
 * terminating NUL included, and splits it into at most UNITUNE_ARGC_MAX
 * argv entries (argv[0], the application's name, included) and
 * UNITUNE_ENVC_MAX environment variables. The host refuses before booting
 * a command line that breaks one of these, naming the limit, so none is
 * ever cut or turned into a crash.
 */
#define UNITUNE_CMDLINE_MAX 4096
#define UNITUNE_ARGC_MAX 64
#define UNITUNE_ENVC_MAX 32

/*
 * Console lines the host parses. Every kernel message starts with
 * UNITUNE_MSG_PREFIX so it can be told apart from application output.
 */
#define UNITUNE_MSG_PREFIX "[uk] "
/* "[uk] boot: cycles=<main - first> tsc_first=<n> tsc_main=<n>" (a later
 * field tsc_hz=<n> is optional; readers skip fields they do not know) */
#define UNITUNE_MSG_BOOT "[uk] boot: "
/* "[uk] exit status <n>" (only for statuses above the direct range) */
#define UNITUNE_MSG_EXIT "[uk] exit status "
/*
 * "[uk] mem: need=<bytes>", printed when the application exits (not after
 * a crash), after the exit hooks' output (the ENOSYS report, the trace's
 * end) and before UNITUNE_MSG_EXIT: the least guest memory, counted from address 0, that holds
 * the image, the main stack, the smallest heap the kernel boots with,
 * and the allocator's state and every block it handed out, at the same
 * offsets. Readers skip fields they do not know. It is a prediction of
 * the least --mem that runs, not a promise: an allocator whose choices
 * depend on its pool's length may need more or less in a smaller pool
 * (the tuner checks it with two runs, tuner/measure.c).
 */
#define UNITUNE_MSG_MEM "[uk] mem: "
/* "[uk] crash: <one-line reason>", then registers and a backtrace */
#define UNITUNE_MSG_CRASH "[uk] crash: "
/* "[uk] crash status <n>": a UNITUNE_CRASH_* status, after the report */
#define UNITUNE_MSG_CRASH_STATUS "[uk] crash status "
/*
 * Guest test framework:
 *   "[uktest] <suite>.<test>: ok"
 *   "[uktest] <suite>.<test>: FAIL <file>:<line>: <message>"
 *   "[uktest] summary: <n> passed, <n> failed"
 */
#define UNITUNE_MSG_TEST "[uktest] "
#define UNITUNE_MSG_TEST_SUMMARY "[uktest] summary: "

/*
 * The trace stream: what the guest's trace points and sampling profiler
 * send to the host over the virtio-serial port UNITUNE_TRACE_PORT.
 *
 *   stream  := header tracepoint_desc[ntracepoints] record*
 *
 * Every field is little-endian and fixed-width; every structure and record
 * length is a multiple of 8. Each record starts with struct ut_rec_hdr,
 * whose len covers the whole record, so a reader skips types it does not
 * know. The host treats the stream as hostile: a record that fails its
 * checks is reported with its byte offset and the reader resynchronises at
 * the next 8-byte boundary that holds a valid record header.
 *
 * Records are not in TSC order: boot steps reached before tracing could
 * start are sent when it starts, with the TSC at which they happened.
 *
 * Versions: 1 had no count of missed sampler windows (the sample's and the
 * end record's fields below were reserved, the end record 56 bytes) and
 * no drain period. 2 adds them; a reader takes both.
 *
 * The guest drains the stream when idle, when its buffer is half full, at
 * exit and at a crash, and every drain_ms milliseconds from a timer, so a
 * run stopped from outside (a timeout, a kill) loses at most about one
 * drain period of records, and its stream has no END record.
 */
#include <stdint.h>

#define UNITUNE_TRACE_PORT "unitune.trace"
#define UT_TRACE_MAGIC 0x52545455u /* "UTTR" */
#define UT_TRACE_VERSION 2
#define UT_TRACE_VERSION_MIN 1 /* the oldest a reader must take */
#define UT_REC_MAGIC 0x5554u /* little-endian: the bytes "TU" */
#define UT_BUILD_ID_MAX 20
#define UT_TP_NAME_MAX 48
#define UT_TP_ARGS_MAX 6
#define UT_STACK_MAX 64

struct ut_trace_header {
	uint32_t magic;		/* UT_TRACE_MAGIC */
	uint16_t version;	/* UT_TRACE_VERSION */
	uint16_t header_len;	/* sizeof(struct ut_trace_header) */
	uint64_t tsc_hz;	/* 0: unknown (not calibrated) */
	uint64_t tsc_boot;	/* TSC at the guest's first instruction */
	uint32_t sample_hz;	/* 0: the sampler is off */
	uint32_t ntracepoints;	/* descriptors that follow */
	uint64_t trace_mask;	/* trace points enabled at run time, bit =
				 * id; only ids below 64 can show here */
	uint8_t build_id_len;	/* bytes used in build_id */
	uint8_t reserved[7];
	uint8_t build_id[UT_BUILD_ID_MAX]; /* GNU build-id of the image */
	uint32_t drain_ms;	/* periodic drain, ms; 0: none (v2) */
};

/* Argument kinds of a trace point, for printing. */
enum ut_arg_type {
	UT_ARG_NONE = 0,
	UT_ARG_U64 = 1,
	UT_ARG_S64 = 2,
	UT_ARG_HEX = 3,	/* addresses, flags */
};

/*
 * The image's own trace-point table, which `unitune record --trace`
 * reads before booting to check the names asked for: entries of
 * UT_TP_ENTRY_SIZE bytes, in id order, from the symbol UT_TP_TABLE_START
 * to UT_TP_TABLE_END, each starting with a 64-bit pointer to the trace
 * point's NUL-terminated name (struct uk_tracepoint in uk/trace.h).
 */
#define UT_TP_TABLE_START "_uk_tracepoints_start"
#define UT_TP_TABLE_END "_uk_tracepoints_end"
#define UT_TP_ENTRY_SIZE 16

struct ut_tracepoint_desc {
	uint32_t id;		/* index used in events; bit in trace_mask */
	uint8_t nargs;
	uint8_t arg_types[UT_TP_ARGS_MAX + 1]; /* enum ut_arg_type; padding */
	char name[UT_TP_NAME_MAX]; /* NUL-padded, e.g. "alloc_malloc" */
	uint32_t reserved;
};

enum ut_rec_type {
	UT_REC_SAMPLE = 1,	/* struct ut_rec_sample + pcs */
	UT_REC_EVENT = 2,	/* struct ut_rec_event + args */
	UT_REC_LOST = 3,	/* struct ut_rec_lost: a gap before this point */
	UT_REC_END = 4,		/* struct ut_rec_end: the last record */
};

struct ut_rec_hdr {
	uint16_t magic;		/* UT_REC_MAGIC */
	uint8_t type;		/* enum ut_rec_type */
	uint8_t flags;		/* per type */
	uint32_t len;		/* whole record, multiple of 8, >= 16 */
	uint64_t tsc;		/* when it happened */
};

/*
 * The sampler fires once per window of 1/sample_hz seconds, at a
 * pseudo-random point inside it. A window that ends before its sample
 * could be taken (interrupts were off, the host did not run the guest) is
 * skipped and counted as missed, so the rate achieved is
 * sample_hz * samples / (samples + missed).
 */
#define UT_SAMPLE_TRUNCATED 0x01 /* the stack was deeper than recorded */
#define UT_SAMPLE_IN_KERNEL 0x02 /* interrupted in kernel code (IRQs on) */
struct ut_rec_sample {
	struct ut_rec_hdr hdr;	/* flags: UT_SAMPLE_* */
	uint32_t depth;		/* entries in pcs (>= 1) */
	uint32_t missed;	/* windows missed since the previous sample
				 * (saturates; v2, 0 in v1) */
	/* uint64_t pcs[depth]: pcs[0] is the interrupted RIP, then return
	 * addresses, innermost first. */
};

struct ut_rec_event {
	struct ut_rec_hdr hdr;
	uint32_t tp_id;		/* a ut_tracepoint_desc id */
	uint32_t nargs;
	/* uint64_t args[nargs] */
};

struct ut_rec_lost {
	struct ut_rec_hdr hdr;	/* tsc: when the loss was reported */
	uint64_t lost;		/* records dropped since the previous record */
	uint64_t first_tsc;	/* TSC of the first and last dropped record */
	uint64_t last_tsc;
};

#define UT_END_CRASH 0x01	/* written by the crash path */
struct ut_rec_end {
	struct ut_rec_hdr hdr;	/* flags: UT_END_* */
	uint64_t records;	/* records written to the stream (this one too) */
	uint64_t lost;		/* records dropped in all */
	uint64_t samples;	/* samples taken (written or lost) */
	uint64_t events;	/* events emitted (written or lost) */
	int32_t exit_status;	/* app status, or -1 after a crash */
	uint32_t reserved;
	uint64_t missed;	/* sampler windows missed in all (v2; the
				 * v1 record ends before this field) */
};

#endif /* UNITUNE_ABI_H */

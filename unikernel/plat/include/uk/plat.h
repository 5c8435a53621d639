/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the kernel needs from a platform. One implementation per platform
 * folder (plat/microvm/ today); the rest of the kernel sees only this.
 */
#ifndef UK_PLAT_H
#define UK_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uk/compiler.h>

struct plat_bootinfo {
	const char *cmdline;	/* NUL-terminated, owned by the platform */
	uint64_t heap_start;	/* first free byte after the image */
	uint64_t heap_end;	/* end of the RAM region holding the image */
	uint64_t ram_total;	/* all usable RAM the loader reported */
	unsigned nregions;	/* usable regions in the memory map */
};

/* Serial console, usable from the first line of C. */
void plat_console_init(void);
void plat_console_write(const char *s, size_t len);
/* True when the last byte written was a newline (or nothing was written). */
bool plat_console_at_line_start(void);

/* Parse the loader's boot information; copies what it keeps. */
int plat_bootinfo_parse(uint32_t magic, uint64_t info, struct plat_bootinfo *bi);

/* True when [addr, addr+len) is RAM the kernel may read. */
bool plat_addr_readable(uint64_t addr, size_t len);

/* Interrupt controllers and the timer source. */
void plat_irq_init(void);

/* Calibrate the TSC (bounded; see tsc.c) and start the LAPIC timer. */
void plat_time_init(void);
uint64_t plat_tsc_hz(void);
uint64_t plat_ns_to_tsc(uint64_t ns);

/* Arm the one-shot timer: fn(arg) runs in interrupt context after ns. */
typedef void (*plat_timer_fn)(void *arg);
int plat_timer_oneshot(uint64_t ns, plat_timer_fn fn, void *arg);
void plat_timer_cancel(void);

/*
 * Periodic clients of the same timer (the sampling profiler, the trace
 * drain). Time is cut into windows of period_ns from the start; fn(frame,
 * missed, arg) runs once per window in interrupt context, with the
 * interrupted frame. A jittered client fires at a fresh pseudo-random
 * offset inside each window (fixed seed: deterministic runs repeat), so it
 * cannot lock onto the phase of periodic code; a plain one fires as each
 * window opens. A window that ended before its firing could run
 * (interrupts off, a slow host) is skipped, not replayed, and counted in
 * missed, passed with the next firing.
 *
 * The caller owns struct plat_periodic (static storage, zeroed; its fields
 * are the platform's). Starting a running client restarts it with the new
 * period. 0 or -ENODEV (no usable timer).
 */
struct trap_frame;
typedef void (*plat_periodic_fn)(struct trap_frame *frame, uint64_t missed,
				 void *arg);
struct plat_periodic {
	uint64_t period, window, next, rng, missed;
	bool jitter, running;
	plat_periodic_fn fn;
	void *arg;
	struct plat_periodic *link;
};
int plat_periodic_start(struct plat_periodic *p, uint64_t period_ns,
			bool jitter, plat_periodic_fn fn, void *arg);
/* Stop p (a no-op when it does not run; never calibrates anything). */
void plat_periodic_stop(struct plat_periodic *p);

/*
 * Device interrupt lines (GSIs) through the IOAPIC(s) (plat/microvm/ioapic.c).
 * plat_irq_attach routes gsi, level-triggered and active-high as virtio-mmio
 * lines are, to a vector of its own and installs fn(frame, arg) there; the
 * vector is acknowledged at the LAPIC after fn returns, so fn must first
 * make the device lower its line. 0; -ENODEV when no IOAPIC serves gsi;
 * -EBUSY when the line is already attached.
 */
typedef void (*plat_irq_fn)(struct trap_frame *frame, void *arg);
int plat_irq_attach(unsigned gsi, plat_irq_fn fn, void *arg);

/* The GSI of microvm's virtio-mmio transport number slot (the machine's
 * layout decides it: see ioapic.c), or -ENODEV. */
int plat_virtio_mmio_gsi(unsigned slot);

/* Stop the machine; QEMU exits with (exit_value << 1) | 1. See abi.h. */
__noreturn void plat_shutdown(uint32_t exit_value);

#endif

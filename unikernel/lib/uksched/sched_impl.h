/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to uksched: what both policies share (idle.c). */
#ifndef UKSCHED_IMPL_H
#define UKSCHED_IMPL_H

#include <stdbool.h>
#include <stdint.h>

/* The TSC value ns nanoseconds from now; saturates rather than wraps, so
 * an enormous timeout means "never". */
uint64_t uksched_deadline(uint64_t ns);

/*
 * Halt until the next interrupt, with the one-shot timer armed for
 * deadline (a TSC value; UINT64_MAX arms nothing). Call with interrupts
 * disabled; they are disabled again on return. Any interrupt ends the
 * halt, and the timer is calibrated apart from the TSC and may fire a
 * little early, so callers loop on their own condition. Returns true when
 * something other than this timer may have ended the halt (another
 * interrupt, or no timer could be armed and this was only a pause), false
 * when it was the timer or the deadline had already passed. The timer is
 * cancelled on return, so it never fires into someone else's wait.
 */
bool uksched_halt_until(uint64_t deadline);

/* True while some interrupt handler may wake a waiter. */
bool uksched_irq_wakers(void);

/* True while a wait loop's idle span is open (uk_sched_idle_enter). */
bool uksched_idle_open(void);

#endif

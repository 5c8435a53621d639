/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to plat/microvm. */
#ifndef PLAT_MICROVM_H
#define PLAT_MICROVM_H

#include <stdint.h>

struct tsc_info {
	uint64_t hz;
	const char *source;
};

void tsc_calibrate(struct tsc_info *t);

/* The median of three measurements: the TSC's and the LAPIC timer's
 * calibrations keep it, so that one window spoiled by the vCPU's thread
 * being preempted on the host does not count. */
static inline uint64_t median3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t lo = a < b ? a : b, hi = a < b ? b : a;

	return c < lo ? lo : c > hi ? hi : c;
}

/* The boot CPU's local APIC id, where IOAPIC lines are delivered. */
uint32_t lapic_id(void);

#endif

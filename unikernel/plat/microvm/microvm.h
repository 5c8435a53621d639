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

/* The boot CPU's local APIC id, where IOAPIC lines are delivered. */
uint32_t lapic_id(void);

#endif

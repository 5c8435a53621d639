/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper: an interrupt on demand, from the local APIC to itself. Sent
 * with interrupts disabled it stays pending and arrives at the next halt,
 * which is exactly an early, unrelated wake-up from a sleeper's view.
 * microvm's LAPIC is in xAPIC mode at its default address.
 */
#ifndef UKSCHED_TEST_SELFIPI_H
#define UKSCHED_TEST_SELFIPI_H

#include <stdint.h>
#include <uk/trap.h>

#define SELFIPI_VECTOR 0x41
#define SELFIPI_LAPIC_ICR_LOW 0xfee00300UL
#define SELFIPI_SHORTHAND_SELF (1u << 18)
#define SELFIPI_LEVEL_ASSERT (1u << 14)

static inline void selfipi_send(void)
{
	*(volatile uint32_t *)SELFIPI_LAPIC_ICR_LOW =
		SELFIPI_SHORTHAND_SELF | SELFIPI_LEVEL_ASSERT | SELFIPI_VECTOR;
}

#endif

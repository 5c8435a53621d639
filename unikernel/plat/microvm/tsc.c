/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TSC frequency. Sources in order of trust: the hypervisor timing leaf
 * (0x40000010), the architectural leaf 0x15, then a measurement against
 * PIT channel 0. Channel 2 (Linux's choice) needs port 0x61, which microvm
 * does not have, and a Linux guest there hangs after "Unable to calibrate
 * against PIT"; so every loop here is bounded and the last resort is a
 * configured frequency with a warning.
 */
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/x86.h>
#include "microvm.h"

#define PIT_HZ 1193182ULL
#define PIT_CH0 0x40
#define PIT_CMD 0x43
/* 1 ms of PIT ticks: +-1 tick of quantisation is 0.1%. */
#define PIT_WINDOW_TICKS 1193
#define PIT_MAX_POLLS 200000
#define PIT_STALL_POLLS 2000

static uint16_t pit_read_ch0(void)
{
	outb(PIT_CMD, 0x00); /* latch channel 0 */
	uint8_t lo = inb(PIT_CH0);
	uint8_t hi = inb(PIT_CH0);
	return (uint16_t)(lo | (hi << 8));
}

/*
 * One window of PIT_WINDOW_TICKS: TSC Hz, or 0 when the PIT does not count
 * (absent, or stuck). Under TCG the vCPU's thread can be preempted on the
 * shared host between a PIT read and the TSC read that dates it; the TSC
 * then came out up to 4% high under load. So the first and the last PIT
 * read are each bracketed by TSC reads, a window with a bracket wider
 * than 2% of it is measured again (a few times at most), and the window
 * runs from the midpoint of one bracket to the other's.
 */
static uint64_t tsc_pit_window(void)
{
	uint64_t a, b, c = 0, d = 0, ticks = 0;

	for (int tries = 0; tries < 8; tries++) {
		int stalled = 0;

		a = rdtsc();
		uint16_t prev = pit_read_ch0();
		b = rdtsc();
		ticks = 0;
		for (int i = 0; i < PIT_MAX_POLLS && ticks < PIT_WINDOW_TICKS;
		     i++) {
			c = rdtsc();
			uint16_t cur = pit_read_ch0();
			d = rdtsc();
			uint16_t n = (uint16_t)(prev - cur);
			if (!n && ++stalled > PIT_STALL_POLLS)
				return 0;
			if (n)
				stalled = 0;
			ticks += n;
			prev = cur;
		}
		if (ticks < PIT_WINDOW_TICKS)
			return 0;
		if ((b - a) * 50 <= d - a && (d - c) * 50 <= d - a)
			break;
	}
	/* (c - a) + (d - b): twice the midpoints' distance. */
	return ((c - a) + (d - b)) * PIT_HZ / (2 * ticks);
}

/* The median of three windows; 0 when the PIT does not count. */
static uint64_t tsc_hz_from_pit(void)
{
	uint64_t hz[3];

	/* Channel 0, lobyte/hibyte, mode 2, reload 65536: wraps mod 2^16. */
	outb(PIT_CMD, 0x34);
	outb(PIT_CH0, 0);
	outb(PIT_CH0, 0);
	for (int i = 0; i < 3; i++)
		if (!(hz[i] = tsc_pit_window()))
			return 0;
	return median3(hz[0], hz[1], hz[2]);
}

static uint64_t tsc_hz_from_cpuid(const char **source)
{
	uint32_t a, b, c, d;

	cpuid(0x40000000, 0, &a, &b, &c, &d);
	if (a >= 0x40000010 && a < 0x40010000) {
		cpuid(0x40000010, 0, &a, &b, &c, &d);
		if (a) {
			*source = "cpuid 0x40000010";
			return (uint64_t)a * 1000;
		}
	}
	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c) {
			*source = "cpuid 0x15";
			return (uint64_t)c * b / a;
		}
	}
	return 0;
}

void tsc_calibrate(struct tsc_info *t)
{
	t->hz = tsc_hz_from_cpuid(&t->source);
	if (t->hz)
		return;
	t->hz = tsc_hz_from_pit();
	t->source = "pit";
	if (t->hz)
		return;
	t->hz = (uint64_t)CONFIG_PLAT_MICROVM_TSC_FALLBACK_MHZ * 1000000;
	t->source = "fallback";
	uk_pr_warn("TSC calibration failed; assuming %lu MHz\n",
		   t->hz / 1000000);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Clocks from the TSC. CLOCK_REALTIME is the monotonic clock plus the
 * wall time read once from the CMOS RTC (when the machine has one).
 */
#include <uk/boot.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/syscall_impl.h>
#if CONFIG_UKSIGNAL
#include <uk/signal.h>
#endif
#include <uk/x86.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define NSEC 1000000000ULL

struct timespec_abi {
	long sec, nsec;
};

struct timeval_abi {
	long sec, usec;
};

/* Nanoseconds since boot at TSC value tsc, for a TSC of hz. */
static inline uint64_t tsc_to_ns(uint64_t hz, uint64_t tsc)
{
	uint64_t t = tsc - uk_boot_tsc_first();
	return t / hz * NSEC + t % hz * NSEC / hz;
}

/* hz first: the first call calibrates, and the TSC is read after that. */
uint64_t uk_clock_monotonic_ns(void)
{
	uint64_t hz = plat_tsc_hz();
	return tsc_to_ns(hz, rdtsc());
}

static unsigned cmos_read(unsigned reg)
{
	outb(0x70, (uint8_t)reg);
	return inb(0x71);
}

static unsigned bcd(unsigned v, int binary)
{
	return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* Seconds since the epoch at boot; 0 when there is no RTC. */
static long boot_epoch(void)
{
	static long epoch = -1;

	if (epoch >= 0)
		return epoch;
	epoch = 0;
	/* Wait (bounded) for an update cycle to finish; no RTC reads 0xff. */
	for (int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++)
		cpu_relax();
	unsigned status_b = cmos_read(0x0b);
	if (status_b == 0xff)
		return epoch;
	int binary = status_b & 0x04;
	unsigned sec = bcd(cmos_read(0x00), binary), min = bcd(cmos_read(0x02), binary);
	unsigned hour = bcd(cmos_read(0x04) & 0x7f, binary);
	unsigned day = bcd(cmos_read(0x07), binary), mon = bcd(cmos_read(0x08), binary);
	unsigned year = bcd(cmos_read(0x09), binary);
	if (!(status_b & 0x02) && (cmos_read(0x04) & 0x80))
		hour = (hour % 12) + 12; /* 12-hour mode, PM */
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
		return epoch;
	long t = days_from_civil(2000 + year, mon, day) * 86400L + hour * 3600L +
		 min * 60L + sec;
	epoch = t - (long)(uk_clock_monotonic_ns() / NSEC);
	return epoch;
}

static int clock_ns(long clk, uint64_t *ns)
{
	switch (clk) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = uk_clock_monotonic_ns();
		return 0;
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = uk_clock_monotonic_ns() + (uint64_t)boot_epoch() * NSEC;
		return 0;
	default:
		return -EINVAL;
	}
}

long uk_sys_clock_gettime(long clk, long tsp, long a2, long a3, long a4, long a5)
{
	uint64_t ns;
	int err = clock_ns(clk, &ns);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (err)
		return err;
	*(struct timespec_abi *)tsp = (struct timespec_abi){ (long)(ns / NSEC),
							     (long)(ns % NSEC) };
	return 0;
}

long uk_sys_clock_getres(long clk, long tsp, long a2, long a3, long a4, long a5)
{
	uint64_t ns;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (clock_ns(clk, &ns))
		return -EINVAL;
	if (tsp)
		*(struct timespec_abi *)tsp = (struct timespec_abi){ 0, 1 };
	return 0;
}

long uk_sys_gettimeofday(long tvp, long tz, long a2, long a3, long a4, long a5)
{
	uint64_t ns;

	(void)tz, (void)a2, (void)a3, (void)a4, (void)a5;
	clock_ns(CLOCK_REALTIME, &ns);
	if (tvp)
		*(struct timeval_abi *)tvp = (struct timeval_abi){
			(long)(ns / NSEC), (long)(ns % NSEC / 1000) };
	return 0;
}

/* With signals, a sleep ends early with -EINTR when one can be delivered;
 * a relative one then says in rem how much was left. */
static long sleep_ns(uint64_t want, struct timespec_abi *rem)
{
#if CONFIG_UKSIGNAL
	uint64_t start = uk_clock_monotonic_ns();
	long ret = uk_signal_wait(start + want);

	if (ret == -EINTR && rem) {
		uint64_t done = uk_clock_monotonic_ns() - start;
		uint64_t left = done < want ? want - done : 0;
		*rem = (struct timespec_abi){ (long)(left / NSEC),
					      (long)(left % NSEC) };
	}
	return ret;
#else
	(void)rem;
	uk_sleep_ns(want);
	return 0;
#endif
}

static long sleep_until(long clk, int absolute, const struct timespec_abi *req,
			struct timespec_abi *rem)
{
	uint64_t now, want;

	if (req->sec < 0 || req->nsec < 0 || req->nsec >= (long)NSEC)
		return -EINVAL;
	if (clock_ns(clk, &now))
		return -EINVAL;
	want = (uint64_t)req->sec * NSEC + (uint64_t)req->nsec;
	if (absolute)
		want = want > now ? want - now : 0;
	if (!want)
		return 0;
	return sleep_ns(want, absolute ? NULL : rem);
}

long uk_sys_nanosleep(long req, long rem, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sleep_until(CLOCK_MONOTONIC, 0, (const struct timespec_abi *)req,
			   (struct timespec_abi *)rem);
}

long uk_sys_clock_nanosleep(long clk, long flags, long req, long rem, long a4,
			    long a5)
{
	(void)a4, (void)a5;
	return sleep_until(clk, flags & TIMER_ABSTIME,
			   (const struct timespec_abi *)req,
			   (struct timespec_abi *)rem);
}

long uk_sys_sched_yield(long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	uk_thread_yield();
	return 0;
}

/* sysconf(_SC_CLK_TCK) in musl, as in Linux's USER_HZ. */
#define CLK_TCK 100

struct tms_abi {
	long utime, stime, cutime, cstime;
};

/*
 * musl returns this call's result as the function's value, with no errno
 * path: it must never fail. All time since boot is the one process's
 * user time; there are no children.
 */
long uk_sys_times(long buf, long a1, long a2, long a3, long a4, long a5)
{
	long ticks = (long)(uk_clock_monotonic_ns() / (NSEC / CLK_TCK));

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (buf)
		*(struct tms_abi *)buf = (struct tms_abi){ .utime = ticks };
	return ticks;
}

#if CONFIG_UKVFS
/* CLOCK_REALTIME at an earlier TSC value: lib/ukvfs stamps files with
 * rdtsc() and converts only when a stat reports them, so building the
 * boot tree neither calibrates the TSC nor reads the RTC. */
uint64_t uk_clock_realtime_ns_at(uint64_t tsc)
{
	return tsc_to_ns(plat_tsc_hz(), tsc) + (uint64_t)boot_epoch() * NSEC;
}
#endif

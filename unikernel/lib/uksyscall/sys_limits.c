/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resource limits and usage of the one process, as programs read them at
 * start-up: prlimit64, getrlimit, setrlimit, getrusage, sysinfo.
 *
 * The hard limits are what the image has, not policy: RLIMIT_NOFILE is
 * the descriptor table (CONFIG_UKFD_MAX, so sysconf(_SC_OPEN_MAX) is
 * right), RLIMIT_STACK the main stack (CONFIG_UKBOOT_STACK_KB), RLIMIT_AS
 * and RLIMIT_DATA the heap. Nothing can make these larger, so raising a
 * hard limit is EPERM, even for root (as Linux does for NOFILE above
 * nr_open). Lowering works and is reported back; the kernel enforces only
 * its own sizes (a lowered NOFILE does not shrink the table).
 *
 * Times: all time since boot is the process's user time, as times()
 * says (sys_time.c). maxrss is what is resident at most: the image, the
 * main stack and the allocator's high-water mark.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>

#define UK_PID 1
#define RLIM_NLIMITS 16
#define RLIM_INFINITY (~0UL)
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9
#define RLIMIT_NICE 13
#define RLIMIT_RTPRIO 14
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_SELF 0
#define RUSAGE_THREAD 1
#define NSEC 1000000000ULL

struct rlimit_abi {
	unsigned long cur, max;
};

struct timeval_abi {
	long sec, usec;
};

/* The kernel's struct rusage (musl's has reserved room after it). */
struct rusage_abi {
	struct timeval_abi utime, stime;
	long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock,
		oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

/* The kernel's struct sysinfo on x86_64 (112 bytes). */
struct sysinfo_abi {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram, totalswap,
		freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned mem_unit;
};

extern char _image_start[], _end[]; /* arch/x86_64/link.ld */

uint64_t uk_syscall_resident_base(void)
{
	return (uint64_t)(_end - _image_start) + CONFIG_UKBOOT_STACK_KB * 1024UL;
}

static struct rlimit_abi limits[RLIM_NLIMITS];
static int limits_ready;

static uint64_t heap_bytes(void)
{
	struct uk_alloc_stats st;

	uk_alloc_stats_get(uk_alloc_default(), &st);
	return st.pool_bytes;
}

/* Set on first use: the heap's size is known only once it is up. */
static struct rlimit_abi *limits_get(void)
{
	if (limits_ready)
		return limits;
	for (int r = 0; r < RLIM_NLIMITS; r++)
		limits[r] = (struct rlimit_abi){ RLIM_INFINITY, RLIM_INFINITY };
	limits[RLIMIT_DATA].cur = limits[RLIMIT_DATA].max = heap_bytes();
	limits[RLIMIT_AS] = limits[RLIMIT_DATA];
	limits[RLIMIT_STACK].cur = limits[RLIMIT_STACK].max =
		(unsigned long)CONFIG_UKBOOT_STACK_KB * 1024;
	limits[RLIMIT_NOFILE].cur = limits[RLIMIT_NOFILE].max = CONFIG_UKFD_MAX;
	/* No core dumps, no priorities to raise. */
	limits[RLIMIT_CORE] = (struct rlimit_abi){ 0, 0 };
	limits[RLIMIT_NICE] = (struct rlimit_abi){ 0, 0 };
	limits[RLIMIT_RTPRIO] = (struct rlimit_abi){ 0, 0 };
	limits_ready = 1;
	return limits;
}

/* new may be NULL (a read); old receives the limit before any change. */
static long rlimit_swap(long resource, const struct rlimit_abi *new,
			struct rlimit_abi *old)
{
	struct rlimit_abi *l;

	if (resource < 0 || resource >= RLIM_NLIMITS)
		return -EINVAL;
	l = &limits_get()[resource];
	if (new && new->cur > new->max)
		return -EINVAL;
	if (new && new->max > l->max)
		return -EPERM;
	if (old)
		*old = *l;
	if (new)
		*l = *new;
	return 0;
}

long uk_sys_prlimit64(long pid, long resource, long new, long old, long a4,
		      long a5)
{
	(void)a4, (void)a5;
	if (pid != 0 && pid != UK_PID)
		return -ESRCH;
	return rlimit_swap(resource, (const struct rlimit_abi *)new,
			   (struct rlimit_abi *)old);
}

long uk_sys_getrlimit(long resource, long rlim, long a2, long a3, long a4,
		      long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return rlimit_swap(resource, NULL, (struct rlimit_abi *)rlim);
}

long uk_sys_setrlimit(long resource, long rlim, long a2, long a3, long a4,
		      long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return rlimit_swap(resource, (const struct rlimit_abi *)rlim, NULL);
}

long uk_sys_getrusage(long who, long usage, long a2, long a3, long a4, long a5)
{
	struct rusage_abi *ru = (struct rusage_abi *)usage;
	struct uk_alloc_stats st;
	uint64_t ns;

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (who != RUSAGE_SELF && who != RUSAGE_THREAD && who != RUSAGE_CHILDREN)
		return -EINVAL;
	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_CHILDREN)
		return 0; /* there are none */
	ns = uk_clock_monotonic_ns();
	ru->utime = (struct timeval_abi){ (long)(ns / NSEC),
					  (long)(ns % NSEC / 1000) };
	uk_alloc_stats_get(uk_alloc_default(), &st);
	ru->maxrss = (long)((uk_syscall_resident_base() + st.max_bytes) / 1024);
	return 0;
}

long uk_sys_sysinfo(long info, long a1, long a2, long a3, long a4, long a5)
{
	struct sysinfo_abi *si = (struct sysinfo_abi *)info;
	struct uk_alloc_stats st;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	uk_alloc_stats_get(uk_alloc_default(), &st);
	memset(si, 0, sizeof(*si));
	si->uptime = (long)(uk_clock_monotonic_ns() / NSEC);
	si->totalram = st.pool_bytes;
	si->freeram = st.free_bytes;
	si->procs = 1;
	si->mem_unit = 1;
	return 0;
}

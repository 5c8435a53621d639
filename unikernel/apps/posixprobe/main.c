/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posixprobe: the calls programs make at start-up, checked the same way
 * in the guest and natively under Linux (built with musl-gcc, issue 14).
 * Each check prints "posixprobe: <name>: PASS" or "... FAIL <why>", and
 * "posixprobe: info <key>=<value>" lines give values that differ by
 * nature (limits, memory); tests/system/test_posix.sh compares the two
 * runs. The checks assert Linux's behaviour, not our values, so a FAIL on
 * either side is a difference to explain. The exit status is the number
 * of failures.
 *
 * "posixprobe enosys" (in the guest only: natively these would be real
 * calls) instead makes one call to each of many syscalls the unikernel
 * does not implement, printing "posixprobe: enosys-call <name>" for each,
 * so the test can find every name in the exit report.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#define PG 4096L

static int failures;

static void check(const char *name, int ok, const char *why)
{
	printf("posixprobe: %s: %s%s\n", name, ok ? "PASS" : "FAIL ", ok ? "" : why);
	failures += !ok;
}

/* -1 with this errno: how every failing call below is checked. */
static int fails_with(long ret, int err)
{
	return ret == -1 && errno == err;
}

static void probe_rlimits(void)
{
	struct rlimit orig, l;
	long open_max = sysconf(_SC_OPEN_MAX);

	check("getrlimit_nofile", getrlimit(RLIMIT_NOFILE, &orig) == 0 &&
					  orig.rlim_cur > 0 && orig.rlim_cur <= orig.rlim_max,
	      "no sensible RLIMIT_NOFILE");
	printf("posixprobe: info open_max=%ld\n", open_max);
	check("sysconf_open_max", open_max > 0 && (rlim_t)open_max == orig.rlim_cur,
	      "sysconf(_SC_OPEN_MAX) is not RLIMIT_NOFILE's soft limit");
	l = (struct rlimit){ 64, orig.rlim_max };
	check("setrlimit_round_trip",
	      setrlimit(RLIMIT_NOFILE, &l) == 0 && getrlimit(RLIMIT_NOFILE, &l) == 0 &&
		      l.rlim_cur == 64 && sysconf(_SC_OPEN_MAX) == 64 &&
		      setrlimit(RLIMIT_NOFILE, &orig) == 0 &&
		      getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur == orig.rlim_cur,
	      "a lowered soft limit did not read back, or was not restored");
	/* Above the table (Linux: above nr_open) even root may not go. */
	l = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	errno = 0;
	check("setrlimit_raise_eperm", fails_with(setrlimit(RLIMIT_NOFILE, &l), EPERM),
	      "raising RLIMIT_NOFILE to infinity was not EPERM");
	l = (struct rlimit){ 2, 1 };
	errno = 0;
	check("setrlimit_cur_above_max", fails_with(setrlimit(RLIMIT_NOFILE, &l), EINVAL),
	      "soft above hard was not EINVAL");
	errno = 0;
	check("getrlimit_unknown", fails_with(getrlimit(999, &l), EINVAL),
	      "an unknown resource was not EINVAL");
	check("getrlimit_stack", getrlimit(RLIMIT_STACK, &l) == 0 && l.rlim_cur > 0,
	      "no stack limit");
	printf("posixprobe: info stack_limit=%llu\n", (unsigned long long)l.rlim_cur);
	check("getrlimit_as", getrlimit(RLIMIT_AS, &l) == 0 && l.rlim_cur > 0,
	      "RLIMIT_AS is 0");
}

static void probe_usage(void)
{
	struct rusage ru;
	struct sysinfo si;
	struct tms t;
	clock_t c0 = clock(), t0, t1;

	/* Some CPU time to see, natively (the guest counts time since boot). */
	while (clock() - c0 < CLOCKS_PER_SEC / 50)
		;
	check("getrusage", getrusage(RUSAGE_SELF, &ru) == 0 &&
				   ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec +
						   ru.ru_stime.tv_sec * 1000000L +
						   ru.ru_stime.tv_usec >= 10000 &&
				   ru.ru_maxrss > 0,
	      "no CPU time or no maxrss");
	errno = 0;
	check("getrusage_einval", fails_with(getrusage(99, &ru), EINVAL),
	      "an unknown who was not EINVAL");
	check("sysinfo", sysinfo(&si) == 0 && si.totalram > 0 &&
				 si.freeram <= si.totalram && si.procs >= 1,
	      "sysinfo's memory or process count");
	printf("posixprobe: info totalram=%llu\n",
	       (unsigned long long)si.totalram * si.mem_unit);
	check("sysconf_phys_pages", sysconf(_SC_PHYS_PAGES) > 0 &&
					    (unsigned long long)sysconf(_SC_PHYS_PAGES) ==
						    (unsigned long long)si.totalram *
							    si.mem_unit / (unsigned long)PG,
	      "_SC_PHYS_PAGES is not sysinfo's totalram");
	t0 = times(&t);
	t1 = times(NULL);
	check("times", t0 != (clock_t)-1 && t1 >= t0 && t.tms_utime + t.tms_stime > 0,
	      "times() failed or counted no time");
}

static void probe_task(void)
{
	cpu_set_t set, none;
	char name[16] = "";
	int prio;
	mode_t old;

	CPU_ZERO(&set);
	CPU_ZERO(&none);
	check("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set) == 0 &&
					   CPU_COUNT(&set) >= 1 &&
					   sysconf(_SC_NPROCESSORS_ONLN) == CPU_COUNT(&set),
	      "no CPU, or not as many as _SC_NPROCESSORS_ONLN");
	check("sched_setaffinity", sched_setaffinity(0, sizeof(set), &set) == 0,
	      "setting the mask just read failed");
	errno = 0;
	check("sched_setaffinity_empty",
	      fails_with(sched_setaffinity(0, sizeof(none), &none), EINVAL),
	      "an empty mask was not EINVAL");
	check("sched_yield", sched_yield() == 0, "sched_yield failed");

	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	check("priority", errno == 0 && prio < 19 &&
				  setpriority(PRIO_PROCESS, 0, prio + 1) == 0 &&
				  getpriority(PRIO_PROCESS, 0) == prio + 1,
	      "the nice value did not read back");
	errno = 0;
	check("priority_einval", fails_with(getpriority(42, 0), EINVAL),
	      "an unknown which was not EINVAL");

	check("prctl_get_name", prctl(PR_GET_NAME, name) == 0 &&
					!strcmp(name, "posixprobe"),
	      "the task is not named posixprobe");
	check("prctl_name_round_trip",
	      prctl(PR_SET_NAME, "probe-name-longer") == 0 &&
		      prctl(PR_GET_NAME, name) == 0 && !strcmp(name, "probe-name-long"),
	      "the name was not set, or not cut at 15 bytes");
	errno = 0;
	check("prctl_unknown", fails_with(prctl(0x7fff0000, 0, 0, 0, 0), EINVAL),
	      "an unknown option was not EINVAL");

	old = umask(027);
	check("umask", umask(old) == 027, "umask did not return the previous mask");
}

static void fill(char *p, long len, int seed)
{
	for (long i = 0; i < len; i += 512)
		p[i] = (char)(seed + i / 512);
}

static int same(const char *p, long len, int seed)
{
	for (long i = 0; i < len; i += 512)
		if (p[i] != (char)(seed + i / 512))
			return 0;
	return 1;
}

static int all_zero(const char *p, long len)
{
	for (long i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

static char *map(long len)
{
	void *p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void probe_mremap(void)
{
	char *p = map(2 * PG), *q, *gone = map(PG);

	if (!p || !gone) {
		check("mremap", 0, "mmap failed");
		return;
	}
	fill(p, 2 * PG, 7);
	q = mremap(p, 2 * PG, 16 * PG, MREMAP_MAYMOVE);
	check("mremap_grow", q != MAP_FAILED && same(q, 2 * PG, 7) &&
				     all_zero(q + 2 * PG, 14 * PG),
	      "grown mapping lost its content or has dirty new pages");
	if (q == MAP_FAILED)
		return;
	check("mremap_shrink", mremap(q, 16 * PG, 4 * PG, 0) == q && same(q, 2 * PG, 7),
	      "shrinking did not stay in place");
	errno = 0;
	check("mremap_unaligned", mremap(q + 1, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
					  errno == EINVAL,
	      "an unaligned address was not EINVAL");
	errno = 0;
	check("mremap_bad_flags", mremap(q, PG, 2 * PG, 0x100) == MAP_FAILED && errno == EINVAL,
	      "unknown flags were not EINVAL");
	munmap(gone, PG);
	errno = 0;
	check("mremap_unmapped", mremap(gone, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED &&
					 errno == EFAULT,
	      "an unmapped address was not EFAULT");

	check("msync", msync(q, 4 * PG, MS_SYNC) == 0 && msync(q, 10, MS_ASYNC) == 0,
	      "msync of a mapping failed");
	errno = 0;
	check("msync_unmapped", fails_with(msync(gone, PG, MS_SYNC), ENOMEM),
	      "msync of an unmapped page was not ENOMEM");
	errno = 0;
	check("msync_einval", fails_with(msync(q + 1, PG, MS_SYNC), EINVAL) &&
				      fails_with(msync(q, PG, MS_SYNC | MS_ASYNC), EINVAL),
	      "bad msync arguments were not EINVAL");
	check("mlock", mlock(q, PG) == 0 && munlock(q, PG) == 0 && munlockall() == 0,
	      "mlock, munlock or munlockall failed");
	errno = 0;
	check("mlockall_einval", fails_with(mlockall(0), EINVAL), "mlockall(0) was not EINVAL");
	munmap(q, 4 * PG);
}

static void probe_munmap(void)
{
	char *p = map(4 * PG), *gone = map(2 * PG);

	if (!p || !gone) {
		check("munmap", 0, "mmap failed");
		return;
	}
	fill(p, 4 * PG, 1);
	check("munmap_partial", munmap(p + PG, 2 * PG) == 0 && same(p, PG, 1) &&
					same(p + 3 * PG, PG, 1 + 24),
	      "unmapping the middle lost the pages around it");
	fill(p + 3 * PG, PG, 5);
	check("munmap_partial_rest", same(p + 3 * PG, PG, 5) && munmap(p, 4 * PG) == 0,
	      "the rest was not usable or not unmapped");
	munmap(gone, 2 * PG);
	check("munmap_never_mapped", munmap(gone, 2 * PG) == 0,
	      "unmapping nothing mapped failed");
	errno = 0;
	check("munmap_einval", fails_with(munmap(gone + 1, PG), EINVAL) &&
				       fails_with(munmap(gone, 0), EINVAL),
	      "an unaligned or empty munmap was not EINVAL");
}

#define ENOSYS_CALL(n) { SYS_##n, #n }
static const struct {
	long nr;
	const char *name;
} not_for_a_unikernel[] = {
	ENOSYS_CALL(acct),	   ENOSYS_CALL(swapon),	   ENOSYS_CALL(swapoff),
	ENOSYS_CALL(reboot),	   ENOSYS_CALL(pivot_root), ENOSYS_CALL(kexec_load),
	ENOSYS_CALL(init_module),  ENOSYS_CALL(delete_module),
	ENOSYS_CALL(finit_module), ENOSYS_CALL(quotactl),  ENOSYS_CALL(iopl),
	ENOSYS_CALL(ioperm),	   ENOSYS_CALL(ptrace),	   ENOSYS_CALL(syslog),
	ENOSYS_CALL(vhangup),	   ENOSYS_CALL(mount),	   ENOSYS_CALL(umount2),
	ENOSYS_CALL(sethostname),  ENOSYS_CALL(setdomainname),
	ENOSYS_CALL(adjtimex),	   ENOSYS_CALL(personality), ENOSYS_CALL(ustat),
	ENOSYS_CALL(sysfs),	   ENOSYS_CALL(uselib),	   ENOSYS_CALL(lookup_dcookie),
	ENOSYS_CALL(kexec_file_load), ENOSYS_CALL(bpf),	   ENOSYS_CALL(perf_event_open),
	ENOSYS_CALL(fanotify_init), ENOSYS_CALL(name_to_handle_at),
	ENOSYS_CALL(open_by_handle_at), ENOSYS_CALL(process_vm_readv),
	ENOSYS_CALL(process_vm_writev), ENOSYS_CALL(kcmp),   ENOSYS_CALL(userfaultfd),
	ENOSYS_CALL(mbind),	   ENOSYS_CALL(set_mempolicy), ENOSYS_CALL(migrate_pages),
	ENOSYS_CALL(move_pages),   ENOSYS_CALL(add_key),   ENOSYS_CALL(request_key),
	ENOSYS_CALL(keyctl),	   ENOSYS_CALL(io_setup),  ENOSYS_CALL(io_destroy),
	ENOSYS_CALL(setns),	   ENOSYS_CALL(unshare),   ENOSYS_CALL(vmsplice),
};

/* Guest only (see the header): every call fails with ENOSYS, or the
 * status says how many did not. */
static int call_unimplemented(void)
{
	int wrong = 0;

	for (size_t i = 0; i < sizeof(not_for_a_unikernel) / sizeof(not_for_a_unikernel[0]); i++) {
		printf("posixprobe: enosys-call %s\n", not_for_a_unikernel[i].name);
		errno = 0;
		wrong += !fails_with(syscall(not_for_a_unikernel[i].nr, -1L, -1L, -1L, -1L),
				     ENOSYS);
	}
	return wrong;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "enosys"))
		return call_unimplemented();
	probe_rlimits();
	probe_usage();
	probe_task();
	probe_mremap();
	probe_munmap();
	printf("posixprobe: %d failures\n", failures);
	return failures;
}

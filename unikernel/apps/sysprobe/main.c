/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sysprobe: checks what libc needs from the kernel, one line per check
 * ("probe: <name>: ok" or "probe: <name>: FAIL <why>"), and exits with the
 * number of failures. It deliberately calls pipe(), which the kernel does
 * not implement, to show ENOSYS and the exit report naming it.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;
static __thread int tls_initialised = 42;
static __thread long tls_zeroed;
/* An over-aligned .tbss after a small .tdata: the TLS block must hold the
 * padding between them. */
static __thread _Alignas(64) char tls_aligned_zeroed[64];

static void check(const char *name, int ok, const char *why)
{
	printf("probe: %s: %s%s\n", name, ok ? "ok" : "FAIL ", ok ? "" : why);
	failures += !ok;
}

int main(void)
{
	int fds[2];
	struct timespec a, b, nap = { 0, 2000000 };
	struct utsname u;
	char buf[64];

	check("tls_template", tls_initialised == 42 && tls_zeroed == 0,
	      "__thread values not set up from the TLS template");
	tls_initialised++;
	check("tls_write", tls_initialised == 43, "__thread write lost");
	check("tls_align", ((uintptr_t)tls_aligned_zeroed & 63) == 0,
	      "_Alignas(64) __thread variable is misaligned");
	int zero = 1;
	for (size_t i = 0; i < sizeof(tls_aligned_zeroed); i++)
		zero &= tls_aligned_zeroed[i] == 0;
	check("tls_align_values", zero && tls_initialised == 43 && tls_zeroed == 0,
	      "aligned .tbss overlaps .tdata or is not zeroed");
	/* Writes through one variable must not show through another: each
	 * has its own bytes in the block. */
	memset(tls_aligned_zeroed, 0x5a, sizeof(tls_aligned_zeroed));
	tls_zeroed = -1;
	check("tls_align_apart", tls_initialised == 43 && tls_aligned_zeroed[0] == 0x5a &&
					 tls_aligned_zeroed[63] == 0x5a && tls_zeroed == -1,
	      "__thread variables overlap");

	errno = 0;
	check("enosys", pipe(fds) == -1 && errno == ENOSYS,
	      "pipe() did not fail with ENOSYS");

	check("pthread_self", pthread_self() != 0, "no thread structure");

	void *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap", m != MAP_FAILED && ((uintptr_t)m & 4095) == 0 &&
			      ((char *)m)[12287] == 0,
	      "anonymous mmap failed or not zeroed");
	/* Linux's rules: part of a mapping, or a range never mapped, unmaps
	 * fine; a misaligned address or an empty length does not. */
	errno = 0;
	check("munmap_einval", m != MAP_FAILED && munmap((char *)m + 1, 4096) == -1 &&
				       errno == EINVAL && munmap(m, 0) == -1,
	      "misaligned or empty munmap did not fail with EINVAL");
	check("munmap_part", m != MAP_FAILED && munmap((char *)m + 4096, 4096) == 0,
	      "unmapping the middle page failed");
	check("munmap", m != MAP_FAILED && munmap(m, 3 * 4096) == 0 &&
				munmap(m, 3 * 4096) == 0,
	      "munmap of the rest, then of nothing mapped, failed");

	/* musl's sbrk only answers sbrk(0) (brk belongs to malloc there),
	 * so move the break with the raw syscall. */
	long brk0 = syscall(SYS_brk, 0);
	check("brk", brk0 > 0 && syscall(SYS_brk, brk0 + 8192) == brk0 + 8192 &&
			     ((volatile char *)brk0)[8191] == 0 &&
			     syscall(SYS_brk, brk0) == brk0,
	      "the break did not move");

	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
	check("nanosleep", ns >= 2000000, "slept less than asked");

	check("uname", uname(&u) == 0 && !strcmp(u.sysname, "Unitune") &&
			       !strcmp(u.machine, "x86_64"),
	      "uname fields");
	check("getpid", getpid() == 1, "pid is not 1");

	/* musl returns these calls' results as they come, with no errno
	 * path: an unimplemented call would read as a mask or a tick count. */
	mode_t old_mask = umask(077);
	check("umask", old_mask == 022 && umask(old_mask) == 077,
	      "umask did not return the previous mask");
	struct tms tms = { -1, -1, -1, -1 };
	clock_t ticks = times(&tms);
	check("times", ticks >= 0 && tms.tms_utime == ticks && tms.tms_stime == 0 &&
			       tms.tms_cutime == 0 && tms.tms_cstime == 0,
	      "times() failed or filled struct tms wrongly");
	check("getpgrp", getpgrp() == 1, "process group is not 1");

	unsigned char rnd[32] = { 0 };
	int nonzero = 0;
	check("getrandom", getentropy(rnd, sizeof(rnd)) == 0, "getentropy");
	for (size_t i = 0; i < sizeof(rnd); i++)
		nonzero += rnd[i] != 0;
	check("random_bytes", nonzero > 8, "random bytes are mostly zero");

	snprintf(buf, sizeof(buf), "%.3f %s %d", 3.14159, "x", -7);
	check("snprintf_float", !strcmp(buf, "3.142 x -7"), buf);
	check("strtod", strtod("2.5e3", NULL) == 2500.0, "strtod");

	char *p = malloc(100), *q = realloc(p, 5000);
	check("malloc_realloc", p && q && malloc_usable_size(q) >= 5000, "realloc");
	free(q);
	errno = 0;
	check("malloc_enomem", malloc((size_t)1 << 46) == NULL && errno == ENOMEM,
	      "huge malloc did not fail with ENOMEM");

	printf("probe: %d failures\n", failures);
	return failures;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* One process, one address space: identity, exit and the thread pointer. */
#include <uk/errno.h>
#include <uk/exit.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include <uk/x86.h>

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define UK_PID 1

struct utsname_abi {
	char sysname[65], nodename[65], release[65], version[65], machine[65],
		domainname[65];
};

/* exit, gettid and set_tid_address answer for one thread; lib/uksched's
 * clone.c replaces them (they are weak) when it makes threads. */
__attribute__((weak)) long uk_sys_exit(long status, long a1, long a2, long a3,
				       long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	uk_exit((int)status);
}

long uk_sys_exit_group(long status, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	uk_exit((int)status);
}

long uk_sys_getpid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return UK_PID;
}

__attribute__((weak)) long uk_sys_gettid(long a0, long a1, long a2, long a3,
					 long a4, long a5)
{
	return uk_sys_getpid(a0, a1, a2, a3, a4, a5);
}

/* The one process leads its own group and session. musl's getpgrp()
 * returns getpgid(0)'s result as is, so these never fail for ourselves. */
static long own_pid_or_esrch(long pid)
{
	return pid == 0 || pid == UK_PID ? UK_PID : -ESRCH;
}

long uk_sys_getpgid(long pid, long a1, long a2, long a3, long a4, long a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return own_pid_or_esrch(pid);
}

long uk_sys_getsid(long pid, long a1, long a2, long a3, long a4, long a5)
{
	return uk_sys_getpgid(pid, a1, a2, a3, a4, a5);
}

/* Kept and reported, as Linux does; file creation (sys_path.c) clears
 * its bits from the modes it is given. */
static long file_mode_mask = 022;

#if CONFIG_UKVFS
unsigned int uk_umask_get(void)
{
	return (unsigned int)file_mode_mask;
}
#endif

long uk_sys_umask(long mask, long a1, long a2, long a3, long a4, long a5)
{
	long old = file_mode_mask;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	file_mode_mask = mask & 0777;
	return old;
}

long uk_sys_getppid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

/* Every uid and gid is root's: there is nobody else. */
long uk_sys_getuid(long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

static void copy_field(char *dst, const char *src)
{
	size_t n = strlen(src);
	if (n > 64)
		n = 64;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

long uk_sys_uname(long buf, long a1, long a2, long a3, long a4, long a5)
{
	struct utsname_abi *u = (struct utsname_abi *)buf;

	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	memset(u, 0, sizeof(*u));
	copy_field(u->sysname, "Unitune");
	copy_field(u->nodename, CONFIG_UK_APPNAME);
	copy_field(u->release, "1");
	copy_field(u->version, "unikernel");
	copy_field(u->machine, "x86_64");
	return 0;
}

__attribute__((weak)) long uk_sys_set_tid_address(long addr, long a1,
						  long a2, long a3, long a4,
						  long a5)
{
	(void)addr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return UK_PID;
}

/* musl points FS at its thread structure: errno, the stack-protector
 * canary and __thread variables are all reached through it. */
long uk_sys_arch_prctl(long code, long addr, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	switch (code) {
	case ARCH_SET_FS:
		wrmsr(MSR_FS_BASE, (uint64_t)addr);
		return 0;
	case ARCH_GET_FS:
		*(uint64_t *)addr = rdmsr(MSR_FS_BASE);
		return 0;
	default:
		return -EINVAL;
	}
}

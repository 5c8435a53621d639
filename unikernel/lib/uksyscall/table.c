/* SPDX-License-Identifier: BSD-3-Clause */
/* Which numbers have a handler. Everything else is -ENOSYS, counted,
 * including the calls of lib/ukfd options left out of the image. */
#include <uk/syscall_impl.h>
#if CONFIG_UKSIGNAL
#include <uk/signal.h>
#endif

#define ENTRY(name) [SYS_##name] = uk_sys_##name

const uk_syscall_fn uk_syscall_table[UK_SYSCALL_MAX] = {
	ENTRY(read),
	ENTRY(write),
	ENTRY(readv),
	ENTRY(writev),
	ENTRY(ioctl),
	ENTRY(close),
	ENTRY(lseek),
	ENTRY(fcntl),
	ENTRY(dup),
	ENTRY(dup2),
	ENTRY(dup3),
#if CONFIG_UKFD_POLL
	ENTRY(poll),
	ENTRY(ppoll),
	ENTRY(select),
	ENTRY(pselect6),
#endif
#if CONFIG_UKFD_EPOLL
	ENTRY(epoll_create),
	ENTRY(epoll_create1),
	ENTRY(epoll_ctl),
	ENTRY(epoll_wait),
	ENTRY(epoll_pwait),
#endif
#if CONFIG_UKFD_EVENTFD
	ENTRY(eventfd),
	ENTRY(eventfd2),
#endif
#if CONFIG_LWIP_SOCKETS
	ENTRY(socket),
	ENTRY(bind),
	ENTRY(listen),
	ENTRY(accept),
	ENTRY(accept4),
	ENTRY(connect),
	ENTRY(getsockname),
	ENTRY(getpeername),
	ENTRY(setsockopt),
	ENTRY(getsockopt),
	ENTRY(shutdown),
	ENTRY(sendto),
	ENTRY(recvfrom),
	ENTRY(sendmsg),
	ENTRY(recvmsg),
#endif
	ENTRY(brk),
	ENTRY(mmap),
	ENTRY(munmap),
	ENTRY(mprotect),
	ENTRY(madvise),
	ENTRY(clock_gettime),
	ENTRY(clock_getres),
	ENTRY(gettimeofday),
	ENTRY(nanosleep),
	ENTRY(clock_nanosleep),
	ENTRY(sched_yield),
	ENTRY(exit),
	ENTRY(exit_group),
	ENTRY(getpid),
	ENTRY(gettid),
	ENTRY(getppid),
	ENTRY(getpgid),
	ENTRY(getsid),
	ENTRY(umask),
	ENTRY(times),
	[SYS_getuid] = uk_sys_getuid,
	[SYS_geteuid] = uk_sys_getuid,
	[SYS_getgid] = uk_sys_getuid,
	[SYS_getegid] = uk_sys_getuid,
	ENTRY(uname),
	ENTRY(set_tid_address),
	ENTRY(arch_prctl),
	ENTRY(rt_sigprocmask),
	ENTRY(kill),
	ENTRY(tkill),
	ENTRY(tgkill),
	ENTRY(getrandom),
#if CONFIG_UKSCHED_THREADS
	ENTRY(clone),
	ENTRY(futex),
#endif
#if CONFIG_UKSIGNAL
	ENTRY(rt_sigaction),
	ENTRY(rt_sigpending),
	ENTRY(rt_sigsuspend),
	ENTRY(rt_sigreturn),
	ENTRY(sigaltstack),
	ENTRY(pause),
	ENTRY(setitimer),
	ENTRY(getitimer),
	ENTRY(alarm),
	ENTRY(timer_create),
	ENTRY(timer_settime),
	ENTRY(timer_gettime),
	ENTRY(timer_getoverrun),
	ENTRY(timer_delete),
#endif
#if CONFIG_UKSYSCALL_STARTUP
	/* What programs probe at start-up. */
	ENTRY(prlimit64),
	ENTRY(getrlimit),
	ENTRY(setrlimit),
	ENTRY(getrusage),
	ENTRY(sysinfo),
	ENTRY(sched_getaffinity),
	ENTRY(sched_setaffinity),
	ENTRY(getpriority),
	ENTRY(setpriority),
	ENTRY(prctl),
	ENTRY(mremap),
	ENTRY(msync),
	ENTRY(mlock),
	ENTRY(munlock),
	ENTRY(mlockall),
	ENTRY(munlockall),
#endif
};

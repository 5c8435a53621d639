/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * syscallbench [SCALE]: the price of the syscall shim, one result line per
 * pattern (apps/common/bench.h).
 *   function_call  a call to an empty function that is not inlined
 *   syscall_raw    the `syscall` instruction (getpid) round trip
 *   syscall_libc   getpid() through musl's wrapper
 */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../common/bench.h"

__attribute__((noinline)) static long empty_function(long x)
{
	__asm__ volatile("" : : "r"(x) : "memory");
	return x;
}

static inline long raw_getpid(void)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"((long)SYS_getpid)
			 : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char *argv[])
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	uint64_t n = 100000ULL * (scale ? scale : 1);
	struct bench_phase ph;
	long sink = 0;

	bench_begin(&ph, "syscall", "function_call");
	for (uint64_t i = 0; i < n; i++)
		sink += empty_function((long)i);
	bench_end(&ph, n);

	bench_begin(&ph, "syscall", "syscall_raw");
	for (uint64_t i = 0; i < n; i++)
		sink += raw_getpid();
	bench_end(&ph, n);

	bench_begin(&ph, "syscall", "syscall_libc");
	for (uint64_t i = 0; i < n; i++)
		sink += getpid();
	bench_end(&ph, n);

	return sink == 0;
}

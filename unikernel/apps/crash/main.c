/* SPDX-License-Identifier: BSD-3-Clause */
/* crash [null|divide|abort|smash] [BUSY]: fails on purpose, so tests can
 * check what a crashing guest reports. BUSY rounds of work first give a
 * profiler samples to deliver from just before the crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* noinline: the backtrace must show these frames by name. */
__attribute__((noinline)) static int crash_null_deref(volatile int *p)
{
	return *p;
}

__attribute__((noinline)) static int crash_divide(volatile int d)
{
	return 100 / d;
}

/* Writes past a local array: the stack protector must notice. */
__attribute__((noinline)) static int crash_smash(const char *src, size_t n)
{
	char buf[16];
	volatile size_t len = n;

	memcpy(buf, src, len);
	return buf[0];
}

__attribute__((noinline)) static unsigned long crash_busy_work(unsigned long rounds)
{
	volatile unsigned long acc = 0;

	for (unsigned long i = 0; i < rounds * 1000; i++)
		acc += i;
	return acc;
}

int main(int argc, char *argv[])
{
	const char *how = argc > 1 ? argv[1] : "null";
	static char junk[256];

	if (argc > 2)
		crash_busy_work(strtoul(argv[2], NULL, 10));
	printf("crash: about to fail (%s)\n", how);
	fflush(stdout);
	if (!strcmp(how, "abort"))
		abort();
	if (!strcmp(how, "divide"))
		return crash_divide(0);
	if (!strcmp(how, "smash")) {
		memset(junk, 'A', sizeof(junk));
		return crash_smash(junk, sizeof(junk));
	}
	return crash_null_deref((volatile int *)0);
}

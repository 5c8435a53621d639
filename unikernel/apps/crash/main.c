/* SPDX-License-Identifier: BSD-3-Clause */
/* crash [null|panic|divide]: fails on purpose, so tests can check what a
 * crashing guest reports. */
#include <uk/debug.h>
#include <uk/print.h>

/* noinline: the backtrace must show these frames by name. */
__attribute__((noinline)) static int crash_null_deref(volatile int *p)
{
	return *p;
}

__attribute__((noinline)) static int crash_divide(volatile int d)
{
	return 100 / d;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int main(int argc, char *argv[])
{
	const char *how = argc > 1 ? argv[1] : "null";

	uk_printk("crash: about to fail (%s)\n", how);
	if (streq(how, "panic"))
		uk_panic("deliberate panic from main");
	if (streq(how, "divide"))
		return crash_divide(0);
	return crash_null_deref((volatile int *)0);
}

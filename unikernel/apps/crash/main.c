/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crash [MODE] [BUSY]: fails on purpose, so tests can check what a
 * crashing guest reports and the status `unitune run` exits with:
 *
 *   null        reads address 0 (page fault: 139)
 *   divide      divides by zero (136)
 *   abort       calls abort() (134)
 *   smash       overflows a stack buffer (stack protector: 201)
 *   ill         executes ud2 (invalid opcode: 132)
 *   doublefree  frees a block twice (the allocator panics: 200)
 *
 * No MODE is null. An unknown MODE is a usage error: exit status 2, no
 * crash. BUSY rounds of work first give a profiler samples to deliver from
 * just before the crash.
 */
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

__attribute__((noinline)) static void crash_ill(void)
{
	__builtin_trap();
}

__attribute__((noinline)) static void crash_double_free(void)
{
	void *volatile p = malloc(64);

	free(p);
	free(p);
}

enum mode { NULL_DEREF, DIVIDE, ABORT, SMASH, ILL, DOUBLE_FREE, NMODES };
static const char *const mode_names[NMODES] = {
	[NULL_DEREF] = "null", [DIVIDE] = "divide",  [ABORT] = "abort",
	[SMASH] = "smash",     [ILL] = "ill",	      [DOUBLE_FREE] = "doublefree",
};

static int mode_of(const char *name)
{
	for (int m = 0; m < NMODES; m++)
		if (!strcmp(name, mode_names[m]))
			return m;
	return -1;
}

static void print_modes(FILE *f)
{
	for (int m = 0; m < NMODES; m++)
		fprintf(f, "%s%s", m ? " " : "", mode_names[m]);
}

int main(int argc, char *argv[])
{
	const char *how = argc > 1 ? argv[1] : "null";
	int mode = mode_of(how);
	static char junk[256];

	if (mode < 0) {
		fprintf(stderr, "crash: unknown mode '%s' (modes: ", how);
		print_modes(stderr);
		fprintf(stderr, ")\n");
		return 2;
	}
	if (argc > 2)
		crash_busy_work(strtoul(argv[2], NULL, 10));
	printf("crash: about to fail (%s)\n", how);
	fflush(stdout);
	/* Direct calls, so each crash_* frame sits right under main. */
	switch ((enum mode)mode) {
	case ABORT:
		abort();
	case DIVIDE:
		return crash_divide(0);
	case SMASH:
		memset(junk, 'A', sizeof(junk));
		return crash_smash(junk, sizeof(junk));
	case ILL:
		crash_ill();
		break;
	case DOUBLE_FREE:
		crash_double_free();
		break;
	case NULL_DEREF:
	case NMODES:
		break;
	}
	return crash_null_deref((volatile int *)0);
}

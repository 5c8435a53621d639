/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixed image fuzz_views symbolizes against: a static ELF with DWARF,
 * a GNU build-id, functions that inline others, and two static functions
 * of one name in spirit (same name, different files is what profiles tell
 * apart; here one file suffices for the look-up paths). It is linked with
 * .text at 0x100000 so the PCs of tests/corpus (0x100100..0x101234) fall
 * inside its functions. It is never run.
 */
#define PAD(n) __asm__ volatile(".skip " #n ", 0x90")

int views_leaf(int x);
int views_middle(int x);
void views_entry(void);

static inline __attribute__((always_inline)) int views_inlined(int x)
{
	PAD(512);
	return x * 3 + 1;
}

__attribute__((noinline)) int views_leaf(int x)
{
	PAD(1024);
	return views_inlined(x) ^ 5;
}

__attribute__((noinline)) int views_middle(int x)
{
	int s = views_leaf(x);

	PAD(2048);
	return views_inlined(s) + views_leaf(s);
}

void views_entry(void)
{
	volatile int sink = views_middle(7);

	(void)sink;
	PAD(4096);
	for (;;)
		;
}

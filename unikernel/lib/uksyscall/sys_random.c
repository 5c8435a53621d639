/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * getrandom from RDRAND when the CPU has it, else from a generator seeded
 * by the TSC. Under deterministic runs RDRAND is still random; the seeded
 * generator is not, and a run that needs repeatable output can rely on it
 * by using a CPU model without RDRAND.
 */
#include <uk/errno.h>
#include <uk/random.h>
#include <uk/syscall_impl.h>
#include <uk/x86.h>

#define CPUID1_ECX_RDRAND (1u << 30)
#define RDRAND_RETRIES 10

static int rdrand64(uint64_t *v)
{
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

long uk_sys_getrandom(long buf, long len, long flags, long a3, long a4, long a5)
{
	static int have_rdrand = -1;
	static uint64_t state;
	unsigned char *p = (unsigned char *)buf;

	(void)flags, (void)a3, (void)a4, (void)a5;
	if (len < 0)
		return -EINVAL;
	if (have_rdrand < 0) {
		uint32_t a, b, c, d;
		cpuid(1, 0, &a, &b, &c, &d);
		have_rdrand = !!(c & CPUID1_ECX_RDRAND);
		state = rdtsc();
	}
	for (long i = 0; i < len; i += 8) {
		uint64_t v;
		if (!have_rdrand || !rdrand64(&v))
			v = splitmix64(&state);
		for (long j = 0; j < 8 && i + j < len; j++)
			p[i + j] = (unsigned char)(v >> (8 * j));
	}
	return len;
}

#if CONFIG_UKVFS
/* /dev/random and /dev/urandom (lib/ukvfs) read this same source. */
void uk_random_fill(void *buf, size_t len)
{
	uk_sys_getrandom((long)buf, (long)len, 0, 0, 0, 0);
}
#endif

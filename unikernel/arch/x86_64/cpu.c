/* SPDX-License-Identifier: BSD-3-Clause */
/* CPU features beyond what boot.S turns on: AVX state through XSAVE. */
#include <uk/cpu.h>
#include <uk/x86.h>

#define CPUID1_ECX_XSAVE (1u << 26)
#define CPUID1_ECX_AVX (1u << 28)
#define XCR0_X87 1
#define XCR0_SSE 2
#define XCR0_AVX 4

void uk_cpu_init(struct uk_cpu_features *feat)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	feat->xsave = !!(c & CPUID1_ECX_XSAVE);
	feat->avx = 0;
	if (feat->xsave) {
		uint64_t cr4;
		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
		uint64_t xcr0 = XCR0_X87 | XCR0_SSE;
		if (c & CPUID1_ECX_AVX) {
			xcr0 |= XCR0_AVX;
			feat->avx = 1;
		}
		__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)));
	}
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	feat->rdtscp = !!(d & (1u << 27));
}

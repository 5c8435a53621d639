/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef UK_CPU_H
#define UK_CPU_H

struct uk_cpu_features {
	unsigned xsave : 1;
	unsigned avx : 1;
	unsigned rdtscp : 1;
};

/* Enable the extended state the CPU offers (AVX through XSAVE). */
void uk_cpu_init(struct uk_cpu_features *feat);

/* Run fn(arg) on the stack ending at top; fn must not return. */
void arch_call_on_stack(void *top, void (*fn)(void *), void *arg)
	__attribute__((noreturn));

#endif

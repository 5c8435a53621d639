/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef UK_COMPILER_H
#define UK_COMPILER_H

#define __noreturn __attribute__((noreturn))
#define __printf_like(f, a) __attribute__((format(printf, f, a)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
/* For descriptors collected in a section and walked as an array: without
 * it the compiler may align each one to 16 or 32 bytes, leaving gaps. */
#define __table_entry(s) __attribute__((used, section(s), aligned(8)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))

/*
 * IS_ENABLED(CONFIG_FOO) is 1 when the option is set, 0 otherwise, as an
 * expression: options steer ordinary if-statements, and the compiler drops
 * the dead branch. A set bool expands to 1, which pastes into a name that
 * inserts an extra argument.
 */
#define UK__SET_1 ,
#define UK__SECOND(a, b, ...) b
#define UK__PICK(junk_or_comma) UK__SECOND(junk_or_comma 1, 0, 0)
#define UK__IS_SET(v) UK__PICK(UK__SET_##v)
#define IS_ENABLED(option) UK__IS_SET(option)

#endif

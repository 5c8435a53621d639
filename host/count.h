/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one parser of numbers written as text on the host: counts as users
 * type them on the command line (--jobs, --limit, --top), sizes,
 * durations, .config values, kconfig ranges, console lines, crash
 * backtrace frames and the files workers write. The integer functions
 * take digits only: no leading space, no '+'; errors are -EINVAL (no
 * digit, a stray character) or -ERANGE (a value above the limit), and
 * *out is untouched on error. Real numbers (benchmark results, measured
 * values, --min-delta) go through count_parse_real(), the one wrapper of
 * strtod().
 */
#ifndef UNITUNE_COUNT_H
#define UNITUNE_COUNT_H

#include <stddef.h>
#include <stdint.h>

/* The decimal digits at the start of s[0..len), up to the first other
 * character (a NUL included): at least one, value at most max. *used
 * gets how many digits were read. */
int count_scan(const char *s, size_t len, uint64_t max, uint64_t *out,
	       size_t *used);

/* All of s is decimal digits, value at most max. */
int count_parse_range(const char *s, uint64_t max, uint64_t *out);

/* All of s is decimal digits after an optional '-', value within
 * int64_t. Leading zeros are the caller's business. */
int count_parse_signed(const char *s, int64_t *out);

/* count_scan() for hex digits (either case, no 0x): at least one, value
 * within uint64_t. */
int count_scan_hex(const char *s, size_t len, uint64_t *out, size_t *used);

/* All of s is hex digits (either case, no 0x), value within uint64_t;
 * leading zeros are fine. */
int count_parse_hex(const char *s, uint64_t *out);

/* count_parse_range() with every error as -EINVAL: for options whose
 * message is the same for any bad value. */
int count_parse(const char *s, unsigned long max, unsigned long *out);

/* The longest text count_parse_real() reads: far more digits than a
 * double holds. */
#define COUNT_REAL_MAX 127

/* All of s[0..len) is a finite real number in strtod()'s syntax ("42",
 * "-1.5", "2e-3"), without leading white space, at most COUNT_REAL_MAX
 * characters; else -EINVAL (inf and nan too). The results of benchmarks,
 * the worker's measured values, --min-delta. */
int count_parse_real(const char *s, size_t len, double *out);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parsers for the lines the guest prints on its console (formats in
 * include/unitune/abi.h). A line is given as pointer and length, without
 * its terminator; a trailing '\r' (serial consoles send "\r\n") is
 * ignored. Console text is untrusted: every parser rejects anything that
 * does not match exactly and never reads past len.
 */
#ifndef UNITUNE_CONSOLE_H
#define UNITUNE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Iterate over the lines of buf: *pos starts at 0. Returns false at the end.
 * The last line need not end with '\n'.
 */
bool console_next_line(const char *buf, size_t len, size_t *pos,
		       const char **line, size_t *line_len);

/*
 * Find the last occurrence of marker in buf and return the rest of its
 * line (without marker, '\r' or '\n'). The marker need not start the line:
 * application output without a trailing newline may precede it.
 */
bool console_find_last(const char *buf, size_t len, const char *marker,
		       const char **rest, size_t *rest_len);

/* "[uk] boot: cycles=<n> tsc_first=<n> tsc_main=<n> [tsc_hz=<n>]";
 * tsc_hz is 0 when the line does not carry it. */
struct console_boot {
	uint64_t cycles;
	uint64_t tsc_first;
	uint64_t tsc_main;
	uint64_t tsc_hz;
};

/*
 * Keys may come in any order and unknown key=value fields are skipped so
 * the guest can add fields; all four keys are required, each once.
 * 0 or -EINVAL.
 */
int console_parse_boot(const char *line, size_t len, struct console_boot *out);

/* The last boot line of a console, parsed. 0, or -ENOENT (none), or
 * -EINVAL (the last one is malformed). */
int console_find_boot(const char *console, size_t len,
		      struct console_boot *out);

/*
 * "[uk] mem: need=<bytes>" (the guest's prediction of the least memory it
 * runs with, include/unitune/abi.h). Like the boot line: any order,
 * unknown fields skipped, need required once. 0 or -EINVAL.
 */
int console_parse_mem(const char *line, size_t len, uint64_t *need);

/* The last mem line of a console, parsed. 0, or -ENOENT (none), or
 * -EINVAL (the last one is malformed). */
int console_find_mem(const char *console, size_t len, uint64_t *need);

/* The status that follows UNITUNE_MSG_EXIT: 0..255. 0 or -EINVAL. */
int console_parse_exit_status(const char *text, size_t len, int *status);

/*
 * "[uktest] <suite>.<test>: ok" or
 * "[uktest] <suite>.<test>: FAIL <file>:<line>: <message>".
 * Pointers point into line. suite is [A-Za-z0-9_-]+, test is
 * [A-Za-z0-9_.-]+ (it may contain dots). detail is what follows "FAIL "
 * (possibly empty). 0 or -EINVAL.
 */
struct console_test {
	const char *suite;
	size_t suite_len;
	const char *test;
	size_t test_len;
	bool ok;
	const char *detail;
	size_t detail_len;
};
int console_parse_test(const char *line, size_t len, struct console_test *out);

/* "[uktest] summary: <n> passed, <n> failed". 0 or -EINVAL. */
int console_parse_summary(const char *line, size_t len, unsigned *passed,
			  unsigned *failed);

/*
 * "result: bench=<b> pattern=<p> key=value ..." (docs/result-lines.md):
 * bench and pattern are letters, digits, '_' and '-'; the other fields
 * come in line order, the first CONSOLE_RESULT_FIELDS of them (later
 * ones are skipped). Values are non-empty and hold no spaces; nothing is
 * interpreted. Pointers point into line. 0 or -EINVAL.
 */
#define CONSOLE_RESULT_PREFIX "result: "
#define CONSOLE_RESULT_FIELDS 16
struct console_kv {
	const char *key;
	size_t key_len;
	const char *val;
	size_t val_len;
};
struct console_result {
	const char *bench;
	size_t bench_len;
	const char *pattern;
	size_t pattern_len;
	struct console_kv f[CONSOLE_RESULT_FIELDS];
	size_t n;
};
int console_parse_result(const char *line, size_t len,
			 struct console_result *out);

/* A result field's value as a finite number (count_parse_real(): strtod
 * syntax, the whole value); 0, or -EINVAL for text such as
 * failed=out_of_memory. */
int console_field_number(const char *val, size_t len, double *out);

/* The unit of a result field by its name (docs/result-lines.md):
 * "cycles", "cycles/op", "B" or "ns"; "" for a count such as ops. */
const char *console_field_unit(const char *key, size_t len);

#endif

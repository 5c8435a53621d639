/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Source lines added to a guest's crash backtrace on its way to the
 * terminal, against a real ELF: this test program (symbols and DWARF),
 * addressed as a static image would be (link-time addresses).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btlines.h"
#include "link_addr.h"

#define SELF "/proc/self/exe"

int btlines_test_function(volatile int *p);

enum { FUNCTION_LINE = __LINE__ + 1 };
__attribute__((noinline)) int btlines_test_function(volatile int *p)
{
	return *p + 1;
}

/* Write text through a btlines stream in chunks of chunk bytes; return
 * what came out (free it). */
static char *filter(const char *text, size_t chunk)
{
	char *out = NULL;
	size_t outlen = 0, len = strlen(text), i;
	FILE *dest = open_memstream(&out, &outlen);
	FILE *f;

	assert_non_null(dest);
	f = btlines_open(SELF, dest);
	assert_non_null(f);
	for (i = 0; i < len; i += chunk) {
		fwrite(text + i, 1, len - i < chunk ? len - i : chunk, f);
		fflush(f);
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(fclose(dest), 0);
	return out;
}

static void expect_source_line(const char *out, const char *frame_start)
{
	const char *at = strstr(out, frame_start);
	int line = 0;

	assert_non_null(at);
	at = strstr(at, " at ");
	assert_non_null(at);
	at = strstr(at, "test_prof_btlines.c:");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "test_prof_btlines.c:%d", &line), 1);
	assert_true(line >= FUNCTION_LINE && line <= FUNCTION_LINE + 2);
}

/* The first frame is looked up as it is; a later one (a return address)
 * at pc - 1, so pass the function's address + 1 there. */
static void test_frames_get_file_and_line(void **state)
{
	uint64_t a = link_addr((const void *)btlines_test_function);
	char text[512];
	char *out;
	size_t chunk;

	(void)state;
	snprintf(text, sizeof(text),
		 "app output\n[uk] crash: page fault\n[uk] backtrace:\n"
		 "  #0 0x%016" PRIx64 " btlines_test_function+0x0\n"
		 "  #1 0x%016" PRIx64 " btlines_test_function+0x1\n"
		 "  ... (deeper frames not shown)\n"
		 "[uk] crash status 139\n",
		 a, a + 1);
	/* However the console arrives, byte by byte or at once. */
	for (chunk = 1; chunk <= sizeof(text); chunk *= 7) {
		out = filter(text, chunk);
		expect_source_line(out, "  #0 0x");
		expect_source_line(out, "  #1 0x");
		assert_non_null(strstr(out, "app output\n[uk] crash: page fault\n"
					    "[uk] backtrace:\n  #0 0x"));
		assert_non_null(strstr(out, "\n  ... (deeper frames not shown)\n"
					    "[uk] crash status 139\n"));
		free(out);
	}
}

/* Outside a backtrace nothing changes, a frame-like line included, and
 * an unfinished last line still comes out. */
static void test_other_lines_pass_unchanged(void **state)
{
	static const char *const texts[] = {
		"  #0 0x0000000000001000 not_after_a_header\n",
		"[uk] backtrace:\n  #0 0x0000000000000010 ?\n  #1 trailing",
		"[uk] backtrace:\nnot a frame\n  #0 0x0000000000001000 x\n",
		"partial line without newline",
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *out = filter(texts[i], 5);

		assert_string_equal(out, texts[i]);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_get_file_and_line),
		cmocka_unit_test(test_other_lines_pass_unchanged),
	};

	return cmocka_run_group_tests_name("prof_btlines", tests, NULL, NULL);
}

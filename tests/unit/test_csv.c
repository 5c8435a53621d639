/* SPDX-License-Identifier: BSD-3-Clause */
/* CSV records (host/csv.c): RFC 4180 quoting, CRLF, empty and numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "csv.h"

static void test_records(void **state)
{
	struct csv c;
	size_t len;
	char *buf;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	csv_init(&c, f);
	csv_field(&c, "plain");
	csv_field(&c, "a,b");
	csv_field(&c, "say \"hi\"");
	csv_field(&c, "two\nlines");
	csv_field(&c, NULL);
	csv_end_record(&c);
	csv_number(&c, 84213);
	csv_number(&c, 0.5);
	csv_number(&c, NAN);
	csv_end_record(&c);
	fclose(f);
	assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
				 "\r\n84213,0.5,\r\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

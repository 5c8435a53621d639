/* SPDX-License-Identifier: BSD-3-Clause */
/* SHA-256 in hex (host/digest.c) and the config hash of a resolved
 * configuration (host/config.c): comments and blank lines do not change
 * it, a value does, and a build directory's .config hashes as its
 * parsed assignments. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "digest.h"
#include "why.h"

static void test_sha256_of_abc(void **state)
{
	char hex[DIGEST_SHA256_HEX + 1];

	(void)state;
	digest_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
}

static void hash_text(const char *text, char out[65])
{
	struct config_set set = { 0 };

	assert_int_equal(config_parse_text(text, strlen(text), "t", &set, NULL),
			 0);
	assert_int_equal(config_set_hash(&set, out), 0);
	config_set_release(&set);
}

static void test_config_hash_is_of_the_assignments(void **state)
{
	char a[65], b[65], c[65], f[65], why[UNITUNE_WHY_MAX];
	const char *text = "# a comment\nCONFIG_A=y\n\n# CONFIG_B is not set\n";
	char path[] = "/tmp/unitune-digest-XXXXXX";
	FILE *fp;
	int fd;

	(void)state;
	hash_text(text, a);
	hash_text("CONFIG_A=y\nCONFIG_B=n\n", b);
	hash_text("CONFIG_A=n\n# CONFIG_B is not set\n", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(config_file_hash(path, f, why, sizeof(why)), 0);
	assert_string_equal(a, f);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("CONFIG_A=y\nnot a line\n", fp);
	fclose(fp);
	assert_int_equal(config_file_hash(path, f, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, path));
	unlink(path);
	assert_int_equal(config_file_hash(path, f, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_of_abc),
		cmocka_unit_test(test_config_hash_is_of_the_assignments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

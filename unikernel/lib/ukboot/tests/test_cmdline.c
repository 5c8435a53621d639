/* SPDX-License-Identifier: BSD-3-Clause */
#include <uk/boot.h>
#include <uk/errno.h>
#include <uk/test.h>

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* v holds exactly want's strings, then NULL (want ends with NULL). */
static int vec_is(char *const *v, const char *const *want)
{
	for (; *want; v++, want++)
		if (!*v || !streq(*v, *want))
			return 0;
	return *v == NULL;
}

static char *envp[4];

static int parse(const char *line, char **argv, int max, const char **bad)
{
	static char buf[256];
	struct uk_cmdline c = { argv, max, envp, 4, NULL };
	int i = 0, n;

	for (; line[i] && i < (int)sizeof(buf) - 1; i++)
		buf[i] = line[i];
	buf[i] = '\0';
	n = uk_boot_parse_cmdline(buf, "app", &c);
	*bad = c.bad;
	return n;
}

UK_TESTCASE(ukboot, cmdline_drops_image_path)
{
	char *argv[8];
	const char *bad;

	UK_ASSERT_TRUE(parse("/path/img.elf -- a b", argv, 8, &bad) == 3);
	UK_EXPECT(vec_is(argv, (const char *const[]){ "app", "a", "b", NULL }));
	UK_EXPECT(bad == NULL);
}

UK_TESTCASE(ukboot, cmdline_quotes_and_escapes)
{
	char *argv[8];
	const char *bad;

	UK_ASSERT_TRUE(parse("img -- \"two words\" \"\" a\\\"b \"c\\\\d\"", argv, 8,
			     &bad) == 5);
	UK_EXPECT(vec_is(argv, (const char *const[]){ "app", "two words", "",
						     "a\"b", "c\\d", NULL }));
}

UK_TESTCASE(ukboot, cmdline_kernel_words_before_dashes)
{
	char *argv[8];
	const char *bad;

	UK_ASSERT_TRUE(parse("img uk.nosuch=1 virtio_mmio.device=512@0xfeb00000:12"
			     " -- uk.x --", argv, 8, &bad) == 3);
	UK_EXPECT(bad && streq(bad, "uk.nosuch=1"));
	UK_EXPECT(vec_is(argv, (const char *const[]){ "app", "uk.x", "--", NULL }));
}

UK_TESTCASE(ukboot, cmdline_limits)
{
	char *argv[4];
	const char *bad;

	UK_EXPECT_EQ(parse("img -- a b c", argv, 4, &bad), -E2BIG);
	UK_EXPECT_EQ(parse("img -- a b", argv, 4, &bad), 3);
	UK_EXPECT_EQ(parse("img -- \"open", argv, 4, &bad), -EINVAL);
	UK_EXPECT_EQ(parse("img", argv, 4, &bad), 1);
	UK_EXPECT_EQ(parse("", argv, 4, &bad), 1);
}

UK_TESTCASE(ukboot, cmdline_environment)
{
	char *argv[8];
	const char *bad;

	UK_ASSERT_TRUE(parse("img HOME=/ x_1=a=b 9X=no -- K=v", argv, 8, &bad) == 3);
	UK_EXPECT(vec_is(envp, (const char *const[]){ "HOME=/", "x_1=a=b", NULL }));
	UK_EXPECT(vec_is(argv, (const char *const[]){ "app", "9X=no", "K=v", NULL }));
	UK_EXPECT_EQ(parse("img A=1 B=2 C=3 D=4", argv, 8, &bad), -E2BIG);
}

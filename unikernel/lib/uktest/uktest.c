/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdarg.h>
#include <unitune/abi.h>
#include <uk/print.h>
#include <uk/test.h>

extern const struct uktest_case _uktest_start[], _uktest_end[];

static unsigned failed_cases;

int uktest_check(struct uktest_ctx *ctx, int cond, const char *file, int line,
		 const char *fmt, ...)
{
	ctx->checks++;
	if (cond)
		return 1;
	if (!ctx->failures++) {
		va_list ap;
		ctx->file = file;
		ctx->line = line;
		va_start(ap, fmt);
		uk_vsnprintf(ctx->message, sizeof(ctx->message), fmt, ap);
		va_end(ap);
	}
	return 0;
}

unsigned uktest_run_case(const struct uktest_case *c, struct uktest_ctx *ctx)
{
	*ctx = (struct uktest_ctx){ 0 };
	c->fn(ctx);
	return ctx->failures;
}

unsigned uktest_run_all(void)
{
	unsigned passed = 0;

	failed_cases = 0;
	for (const struct uktest_case *c = _uktest_start; c < _uktest_end; c++) {
		struct uktest_ctx ctx;
		if (!uktest_run_case(c, &ctx)) {
			passed++;
			uk_printk("%s%s.%s: ok\n", UNITUNE_MSG_TEST, c->suite, c->name);
			continue;
		}
		failed_cases++;
		uk_printk("%s%s.%s: FAIL %s:%d: %s\n", UNITUNE_MSG_TEST, c->suite,
			  c->name, ctx.file, ctx.line, ctx.message);
	}
	uk_printk("%s%u passed, %u failed\n", UNITUNE_MSG_TEST_SUMMARY, passed,
		  failed_cases);
	return failed_cases;
}

unsigned uktest_failed_cases(void)
{
	return failed_cases;
}

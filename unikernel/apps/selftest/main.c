/* SPDX-License-Identifier: BSD-3-Clause */
/* selftest: every library's guest tests run before main(); the exit status
 * says whether any failed. */
#include <uk/test.h>

int main(void)
{
	return uktest_failed_cases() ? 1 : 0;
}

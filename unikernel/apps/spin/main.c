/* SPDX-License-Identifier: BSD-3-Clause */
/* spin: never returns, so tests can check the host's timeout. */
#include <stdio.h>

int main(void)
{
	volatile unsigned long n = 0;

	printf("spin: looping forever\n");
	for (;;)
		n++;
}

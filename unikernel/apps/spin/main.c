/* SPDX-License-Identifier: BSD-3-Clause */
/* spin: never returns, so tests can check the host's timeout. */
#include <uk/print.h>

int main(void)
{
	uk_printk("spin: looping forever\n");
	for (;;)
		__asm__ volatile("pause");
}

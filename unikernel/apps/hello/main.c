/* SPDX-License-Identifier: BSD-3-Clause */
/* hello [STATUS]: greets, lists its arguments, exits with STATUS (0). */
#include <uk/print.h>

static int parse_status(const char *s)
{
	int v = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

int main(int argc, char *argv[])
{
	uk_printk("Hello from Unitune!\n");
	for (int i = 0; i < argc; i++)
		uk_printk("argv[%d] = \"%s\"\n", i, argv[i]);
	return argc > 1 ? parse_status(argv[1]) : 0;
}

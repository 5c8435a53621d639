/* SPDX-License-Identifier: BSD-3-Clause */
/* hello [STATUS [ARGS...]]: greets, shows its arguments and environment,
 * exits with STATUS (default 0). Plain POSIX C. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char *argv[])
{
	printf("Hello from Unitune!\n");
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env: %s\n", *e);
	return argc > 1 ? atoi(argv[1]) : 0;
}

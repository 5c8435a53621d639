/* SPDX-License-Identifier: BSD-3-Clause */
#include "output.h"

#include <errno.h>
#include <string.h>

int output_flush(FILE *f)
{
	errno = 0;
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

int output_finish_stdout(const char *prog)
{
	int e = output_flush(stdout);

	if (!e)
		return 0;
	fprintf(stderr, "%s: cannot write standard output: %s\n", prog,
		strerror(-e));
	return 1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sigprobe: POSIX signals through musl's own wrappers (lib/uksignal).
 *   sigprobe         every check (checks.c, timers.c), one line each;
 *                    the exit status is the number that failed
 *   sigprobe term    kill(getpid(), SIGTERM) with SIGTERM's default
 *                    action: the guest ends as Linux's process would (143)
 *   sigprobe pipe    a send on a shut socket with SIGPIPE's default
 *                    action: the guest ends with 141
 * Modes that should have ended the guest say so and return 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "checks.h"

static int die_by_term(void)
{
	reset_signal(SIGTERM);
	printf("sigprobe: sending SIGTERM to myself\n");
	fflush(stdout);
	kill(getpid(), SIGTERM);
	printf("sigprobe: still alive after SIGTERM\n");
	return 1;
}

static int die_by_pipe(void)
{
	int fd = broken_socket();

	if (fd < 0)
		return 1;
	reset_signal(SIGPIPE);
	printf("sigprobe: writing to a shut socket\n");
	fflush(stdout);
	long n = send(fd, "x", 1, 0);
	printf("sigprobe: still alive after SIGPIPE (send: %ld, %s)\n", n,
	       strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int failed;

	if (argc > 1 && !strcmp(argv[1], "term"))
		return die_by_term();
	if (argc > 1 && !strcmp(argv[1], "pipe"))
		return die_by_pipe();
	if (argc > 1) {
		printf("sigprobe: unknown mode '%s' (modes: term pipe)\n", argv[1]);
		return 2;
	}
	failed = checks_delivery() + checks_timers();
	printf("sigprobe: %d failed\n", failed);
	return failed;
}

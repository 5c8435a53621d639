/* SPDX-License-Identifier: BSD-3-Clause */
/* sigprobe's checks: each prints "ok NAME" or "FAIL NAME: why" and
 * returns 0 or 1 (a failure). */
#ifndef SIGPROBE_CHECKS_H
#define SIGPROBE_CHECKS_H

#include <signal.h>

int check(int ok, const char *name, const char *why);
/* A UDP socket whose sending side is shut: its send gives EPIPE. */
int broken_socket(void);
/* Reset sig to SIG_DFL with nothing blocked. */
void reset_signal(int sig);

int checks_delivery(void);
int checks_timers(void);

#endif

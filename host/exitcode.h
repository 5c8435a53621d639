/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one place that maps between a guest application's exit status and
 * the exit code QEMU reports after the guest wrote to isa-debug-exit. The
 * protocol itself is defined in include/unitune/abi.h.
 */
#ifndef UNITUNE_EXITCODE_H
#define UNITUNE_EXITCODE_H

#include <stdbool.h>

enum exitcode_kind {
	EXITCODE_APP,		/* status is the application's exit status */
	EXITCODE_APP_WIDE,	/* status >= 125: read it from the console */
	EXITCODE_CRASH,		/* guest panic or unhandled exception; the
				 * status is on the console */
	EXITCODE_RESET,		/* QEMU exit 0: reset with -no-reboot
				 * (UNITUNE_CRASH_RESET) */
	EXITCODE_QEMU_ERROR,	/* QEMU exit 1: QEMU itself failed */
	EXITCODE_INVALID,	/* anything else: not a code QEMU produces */
};

/*
 * Decode the exit code of a QEMU process that exited normally (not by a
 * signal). *status is set only for EXITCODE_APP.
 */
enum exitcode_kind exitcode_decode(int qemu_code, int *status);

/*
 * The value V the guest writes to UNITUNE_EXIT_PORT for an application
 * exit status (0..255): status + 1, or UNITUNE_EXIT_WIDE above the direct
 * range. -1 for a status outside 0..255.
 */
int exitcode_port_value(int status);

/* The QEMU exit code that a port value V produces: (V << 1) | 1. */
int exitcode_qemu_code(int port_value);

/* Is status one the guest may report for a crash (UNITUNE_CRASH_*, or
 * 128 + a signal number 1..64)? */
bool exitcode_crash_status_valid(int status);

/*
 * The status of a crash: printed, the value of the guest's
 * UNITUNE_MSG_CRASH_STATUS line (-1 when it printed none), when it is
 * valid; UNITUNE_CRASH_PANIC otherwise (an image older than crash
 * statuses, or a garbled line).
 */
int exitcode_crash_status(int printed);

#endif

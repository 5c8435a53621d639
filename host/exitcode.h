/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one place that maps between a guest application's exit status and
 * the exit code QEMU reports after the guest wrote to isa-debug-exit. The
 * protocol itself is defined in include/unitune/abi.h.
 */
#ifndef UNITUNE_EXITCODE_H
#define UNITUNE_EXITCODE_H

enum exitcode_kind {
	EXITCODE_APP,		/* status is the application's exit status */
	EXITCODE_APP_WIDE,	/* status >= 125: read it from the console */
	EXITCODE_CRASH,		/* guest panic or unhandled exception */
	EXITCODE_RESET,		/* QEMU exit 0: reset with -no-reboot */
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

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
#include "exitcode.h"

#include <unitune/abi.h>

enum exitcode_kind exitcode_decode(int qemu_code, int *status)
{
	int v;

	if (qemu_code == 0)
		return EXITCODE_RESET;
	if (qemu_code == 1)
		return EXITCODE_QEMU_ERROR;
	/* A process exit code has 8 bits; QEMU never exits with an even
	 * code above 1, so those mean something else ran. */
	if (qemu_code < 0 || qemu_code > 255 || !(qemu_code & 1))
		return EXITCODE_INVALID;
	v = qemu_code >> 1;
	if (v == UNITUNE_EXIT_CRASH)
		return EXITCODE_CRASH;
	if (v == UNITUNE_EXIT_WIDE)
		return EXITCODE_APP_WIDE;
	if (v - 1 > UNITUNE_EXIT_STATUS_MAX_DIRECT)
		return EXITCODE_INVALID;
	if (status)
		*status = v - 1;
	return EXITCODE_APP;
}

int exitcode_port_value(int status)
{
	if (status < 0 || status > 255)
		return -1;
	if (status <= UNITUNE_EXIT_STATUS_MAX_DIRECT)
		return status + 1;
	return UNITUNE_EXIT_WIDE;
}

int exitcode_qemu_code(int port_value)
{
	return ((port_value << 1) | 1) & 0xff;
}

bool exitcode_crash_status_valid(int status)
{
	if (status > UNITUNE_CRASH_SIGNAL_BASE &&
	    status <= UNITUNE_CRASH_SIGNAL_BASE + 64)
		return true;
	return status == UNITUNE_CRASH_PANIC ||
	       status == UNITUNE_CRASH_STACK_SMASH ||
	       status == UNITUNE_CRASH_RESET;
}

int exitcode_crash_status(int printed)
{
	return exitcode_crash_status_valid(printed) ? printed
						    : UNITUNE_CRASH_PANIC;
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include "outcome.h"

#include "exitcode.h"

const char *outcome_name(enum runner_outcome o)
{
	switch (o) {
	case RUNNER_EXITED:
		return "exited";
	case RUNNER_CRASHED:
		return "crashed";
	case RUNNER_TIMEOUT:
		return "timeout";
	case RUNNER_QEMU_FAILED:
		return "qemu failed";
	case RUNNER_IMAGE_BAD:
		return "bad image";
	case RUNNER_NO_QEMU:
		return "qemu not installed";
	}
	return "unknown";
}

int outcome_exit_status(enum runner_outcome o, int status)
{
	switch (o) {
	case RUNNER_EXITED:
		return status & 0xff;
	case RUNNER_CRASHED:
		return exitcode_crash_status(status);
	case RUNNER_TIMEOUT:
		return UNITUNE_EXIT_TIMEOUT;
	case RUNNER_QEMU_FAILED:
		return UNITUNE_EXIT_QEMU_FAILED;
	case RUNNER_IMAGE_BAD:
		return UNITUNE_EXIT_IMAGE_BAD;
	case RUNNER_NO_QEMU:
		return UNITUNE_EXIT_NO_QEMU;
	}
	return UNITUNE_EXIT_QEMU_FAILED;
}

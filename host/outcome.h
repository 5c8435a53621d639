/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What became of one boot of an image, and the exit status `unitune run`
 * gives each outcome. The statuses follow timeout(1) and the shell
 * (124 timed out, 126 cannot execute, 127 not found, 128+6 aborted) so
 * scripts can tell them apart from an application's own status; an
 * application exiting with one of these values is indistinguishable by
 * status alone, which is why the runner API reports the outcome itself.
 *
 *   0..255  the guest application's exit status (RUNNER_EXITED)
 *   2       usage error (bad option or option value)
 *   124     timed out (RUNNER_TIMEOUT)
 *   125     QEMU failed: exit 1, unexpected code, or killed by a signal
 *           the runner did not send (RUNNER_QEMU_FAILED)
 *   126     image missing, unreadable or not an ELF (RUNNER_IMAGE_BAD)
 *   127     QEMU not installed (RUNNER_NO_QEMU)
 *   134     guest crashed: panic, exception or reset (RUNNER_CRASHED)
 */
#ifndef UNITUNE_OUTCOME_H
#define UNITUNE_OUTCOME_H

enum runner_outcome {
	RUNNER_EXITED,
	RUNNER_CRASHED,
	RUNNER_TIMEOUT,
	RUNNER_QEMU_FAILED,
	RUNNER_IMAGE_BAD,
	RUNNER_NO_QEMU,
};

#define UNITUNE_EXIT_USAGE 2
#define UNITUNE_EXIT_TIMEOUT 124
#define UNITUNE_EXIT_QEMU_FAILED 125
#define UNITUNE_EXIT_IMAGE_BAD 126
#define UNITUNE_EXIT_NO_QEMU 127
#define UNITUNE_EXIT_CRASHED 134

/* Short stable name ("exited", "crashed", "timeout", ...), for messages and
 * for the results store. */
const char *outcome_name(enum runner_outcome o);

/* Exit status for `unitune run`; app_status is used only for EXITED. */
int outcome_exit_status(enum runner_outcome o, int app_status);

#endif

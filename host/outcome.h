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
 *   126     image missing, unreadable, or not an image QEMU's multiboot
 *           loader boots (image_check) (RUNNER_IMAGE_BAD)
 *   127     QEMU not installed (RUNNER_NO_QEMU)
 *   129-202 guest crashed (RUNNER_CRASHED): 128 + the signal Linux would
 *           send for the kind of crash (139 page fault, 136 divide error,
 *           134 abort, ...), 200 kernel panic, 201 stack smashing,
 *           202 reset; the UNITUNE_CRASH_* list in unitune/abi.h
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

/* Short stable name ("exited", "crashed", "timeout", ...), for messages and
 * for the results store. */
const char *outcome_name(enum runner_outcome o);

/*
 * Exit status for `unitune run`. status is the application's exit status
 * for EXITED, the crash status for CRASHED (exitcode_crash_status), and
 * unused otherwise.
 */
int outcome_exit_status(enum runner_outcome o, int status);

#endif

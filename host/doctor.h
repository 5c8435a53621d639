/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What this host has of the tools Unitune uses, and what each missing one
 * disables: the checks behind `unitune doctor`. Each check looks the tool
 * up in PATH (or at its fixed path), asks its version with a short
 * deadline, and says what it is needed for. The accelerator check runs
 * the KVM calibration (accel.h), cached like --accel auto's.
 */
#ifndef UNITUNE_DOCTOR_H
#define UNITUNE_DOCTOR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct doctor_check {
	const char *piece;	/* "QEMU", "kconfig-frontends", ... */
	bool found;
	/* Needed by build and run: doctor fails without it. */
	bool required;
	/* The version line, the path, or the accelerator decision. */
	char detail[PATH_MAX + 128];
	const char *disables;	/* what its absence turns off */
	/* Set for the accelerator, which is never missing: "KVM" or "TCG"
	 * (disables then says what TCG means). NULL for the tools. */
	const char *choice;
	const char *package;	/* the Debian package that brings it */
};

/*
 * Run every check into out (up to max entries; DOCTOR_CHECKS_MAX is
 * enough). qemu: the QEMU binary to check (NULL: RUNNER_QEMU_DEFAULT).
 * accel_cache: as accel_resolve()'s cache_path. Returns the count.
 */
#define DOCTOR_CHECKS_MAX 12
size_t doctor_run(struct doctor_check *out, size_t max, const char *qemu,
		  const char *accel_cache);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unitune doctor: which of the tools Unitune uses this host has, their
 * versions, the accelerator runs will use, and what each missing piece
 * disables (doctor.c does the checks).
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_cmds.h"
#include "doctor.h"
#include "run_args.h"

#define PROG "unitune doctor"

struct doctor_args {
	const char *qemu;
};

static const struct argp_option options[] = {
	{ "qemu", 'Q', "PATH", 0,
	  "QEMU binary to check (default: $UNITUNE_QEMU, else "
	  "qemu-system-x86_64 in PATH), as for unitune run.", 0 },
	{ 0 }
};

static const char doc[] =
	"Check the tools Unitune needs: QEMU, the accelerator (KVM is used "
	"only when a short calibration shows it is fast, as --accel auto "
	"does), musl, kconfig-frontends, make and the C compiler; and those "
	"it can do without: gnuplot, ccache, clang, wrk. One row each: found or "
	"missing, the version or path, and for a missing piece what it "
	"disables and the Debian package that brings it (scripts/deps.sh "
	"installs them all)."
	"\v"
	"Exit status: 0 everything build and run need is there (optional "
	"pieces may be missing); 1 a piece build or run needs is missing; "
	"2 usage.\n"
	"\n"
	"Examples:\n"
	"  unitune doctor\n"
	"  unitune doctor --qemu /usr/bin/qemu-system-x86_64";

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct doctor_args *a = state->input;

	switch (key) {
	case 'Q':
		a->qemu = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const char *state_word(const struct doctor_check *c)
{
	if (c->choice)
		return c->choice;
	if (c->found)
		return c->required ? "ok" : "found";
	return c->required ? "MISSING" : "missing";
}

int cmd_doctor(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL, doc,
					  NULL, NULL, NULL };
	struct doctor_args a = { NULL };
	struct doctor_check checks[DOCTOR_CHECKS_MAX];
	size_t n, i;
	int status = 0;

	run_args_parse_verb(&argp, argc, argv, PROG, &a);
	if (!a.qemu || !*a.qemu)
		a.qemu = getenv("UNITUNE_QEMU");
	if (a.qemu && !*a.qemu)
		a.qemu = NULL;
	n = doctor_run(checks, DOCTOR_CHECKS_MAX, a.qemu, NULL);
	printf("%-18s %-8s %s\n", "piece", "state", "details");
	for (i = 0; i < n; i++) {
		const struct doctor_check *c = &checks[i];

		printf("%-18s %-8s %s\n", c->piece, state_word(c), c->detail);
		if (c->choice && !c->found)
			printf("%-18s %-8s without KVM: %s\n", "", "",
			       c->disables);
		else if (!c->found)
			printf("%-18s %-8s without it: %s (Debian package "
			       "%s)\n", "", "", c->disables, c->package);
		if (c->required && !c->found)
			status = 1;
	}
	printf("%s\n", status ? "doctor: something build or run needs is "
	       "missing; scripts/deps.sh installs it"
	       : "doctor: build and run have what they need");
	return status;
}

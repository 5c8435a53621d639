/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runner's policy: which images may boot, in how much memory, with
 * which QEMU and accelerator. The boot itself is qemu.c's.
 */
#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "accel.h"
#include "image.h"
#include "paths.h"
#include "why.h"

/* The boot runner_opts ask for, once the accelerator is concrete. */
static struct qemu_cfg qemu_cfg_of(const struct runner_opts *o,
				   enum runner_accel accel)
{
	return (struct qemu_cfg){
		.image = o->image,
		.qemu = o->qemu,
		.mem_kib = o->mem_kib,
		.accel = accel,
		.deterministic = o->deterministic,
		.timeout_ns = o->timeout_ns,
		.kill_grace_ns = o->kill_grace_ns,
		.kernel_opts = o->kernel_opts,
		.app_argv = o->app_argv,
		.app_argc = o->app_argc,
		.ports = o->ports,
		.nports = o->nports,
		.qemu_extra = o->qemu_extra,
		.qemu_extra_n = o->qemu_extra_n,
		.echo = o->echo,
		.console_max = o->console_max,
		.log = o->log,
	};
}

int runner_qemu_argv(const struct runner_opts *o, enum runner_accel accel,
		     char ***argv)
{
	struct qemu_cfg c = qemu_cfg_of(o, accel);

	return qemu_argv(&c, argv);
}

int runner_exit_status(const struct runner_result *r)
{
	return outcome_exit_status(r->outcome, r->outcome == RUNNER_CRASHED
						       ? r->crash_status
						       : r->app_status);
}

/*
 * Would QEMU boot o->image in the memory asked for? true, or false with
 * RUNNER_IMAGE_BAD and the reason in r.
 */
static bool image_fits(const struct runner_opts *o, struct runner_result *r)
{
	uint64_t load_end = 0, mem_kib;
	char why[UNITUNE_WHY_MAX];

	if (image_check(o->image, why, sizeof(why)) ||
	    image_load_end(o->image, &load_end, why, sizeof(why))) {
		r->outcome = RUNNER_IMAGE_BAD;
		qemu_set_reason(r, "%s", why);
		return false;
	}
	/* Below its own end the guest cannot even start to say so. */
	mem_kib = o->mem_kib ? o->mem_kib : RUNNER_MEM_DEFAULT_KIB;
	if (load_end > mem_kib * 1024) {
		r->outcome = RUNNER_IMAGE_BAD;
		qemu_set_reason(r, "%s does not fit in %llu KiB of guest "
				"memory: it loads up to %llu KiB; raise --mem",
				o->image, (unsigned long long)mem_kib,
				(unsigned long long)((load_end + 1023) / 1024));
		return false;
	}
	return true;
}

/*
 * The accelerator to boot with: TCG for deterministic runs, auto resolved
 * through accel.c (which may calibrate), the rest as asked. 0 or -ENOMEM.
 */
static int choose_accel(const struct runner_opts *o, const char *qemu,
			enum runner_accel *accel)
{
	const char *why = o->deterministic ? "deterministic mode" : "requested";
	char resolved[256];
	int err;

	*accel = o->deterministic ? RUNNER_ACCEL_TCG : o->accel;
	if (*accel == RUNNER_ACCEL_AUTO) {
		err = accel_resolve(qemu, o->accel_cache, accel, resolved,
				    sizeof(resolved));
		if (err)
			return err;
		why = resolved;
	}
	if (o->log)
		fprintf(o->log, "unitune: accelerator: %s (%s)\n",
			runner_accel_name(*accel), why);
	return 0;
}

int runner_run(const struct runner_opts *o, struct runner_result *r)
{
	const char *qemu = o->qemu ? o->qemu : RUNNER_QEMU_DEFAULT;
	char qemu_path[PATH_MAX];
	enum runner_accel accel;
	struct qemu_cfg c;
	int err;

	err = qemu_result_init(r);
	if (err)
		return err;
	if (!o->image || (o->deterministic && o->accel == RUNNER_ACCEL_KVM) ||
	    qemu_ports_check(o->ports, o->nports))
		return -EINVAL;
	if (!image_fits(o, r))
		return 0;
	if (paths_which(qemu, qemu_path, sizeof(qemu_path))) {
		qemu_missing(r, qemu);
		return 0;
	}
	err = choose_accel(o, qemu, &accel);
	if (err)
		return err;
	c = qemu_cfg_of(o, accel);
	return qemu_boot(&c, r);
}

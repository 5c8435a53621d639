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
#include <unistd.h>

#include "accel.h"
#include "image.h"
#include "linux_boot.h"
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
		.real_idle = o->real_idle,
		.timeout_ns = o->timeout_ns,
		.kill_grace_ns = o->kill_grace_ns,
		.kernel_opts = o->kernel_opts,
		.app_argv = o->app_argv,
		.app_argc = o->app_argc,
		.initrd = o->initrd,
		.ports = o->ports,
		.nports = o->nports,
		.net = o->net,
		.publish = o->publish,
		.npublish = o->npublish,
		.on_published = o->on_published,
		.on_published_ctx = o->on_published_ctx,
		.qemu_extra = o->qemu_extra,
		.qemu_extra_n = o->qemu_extra_n,
		.echo = o->echo,
		.console_max = o->console_max,
		.log = o->log,
		.stop_fd = o->stop_fd,
	};
}

int runner_qemu_argv(const struct runner_opts *o, enum runner_accel accel,
		     char ***argv)
{
	struct qemu_cfg c = qemu_cfg_of(o, accel);

	if (o->initrd)
		c.linux_tsc_khz = linux_boot_tsc_khz();
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

	if (o->initrd) {
		/* Linux says itself when the memory is too small. */
		if (!linux_boot_check(o->image, o->initrd, why, sizeof(why)))
			return true;
		r->outcome = RUNNER_IMAGE_BAD;
		qemu_set_reason(r, "%s", why);
		return false;
	}
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

/* The ports of one try: the caller's, each 0 replaced by a port held in
 * fds[i] (-1 for the others). 0 or -errno, nothing held then. */
static int pick_ports(const struct runner_opts *o,
		      struct runner_publish *ports, int *fds)
{
	size_t i;
	int err = 0;

	for (i = 0; i < o->npublish; i++) {
		ports[i] = o->publish[i];
		fds[i] = -1;
		if (!err && !ports[i].host)
			err = publish_reserve(&ports[i].host, &fds[i]);
	}
	if (err)
		for (i = 0; i < o->npublish; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	return err;
}

/* The published port QEMU could not listen on, by its host port. */
static size_t failed_index(const struct runner_result *r)
{
	size_t i;

	for (i = 0; i < r->npublished; i++)
		if (r->published[i].host == r->publish_failed)
			return i;
	return r->npublished;
}

/* Say why QEMU could not listen on a port the caller named (asked) or
 * on each port picked for it (taken: QEMU's tries). */
static void explain_publish(struct runner_result *r,
			    const struct runner_publish *asked,
			    uint16_t port, unsigned tries)
{
	int why;

	if (!asked->host) {
		qemu_set_reason(r, "QEMU could not listen on any of %u free "
				"ports picked in turn for publish 0:%u (the "
				"last " PUBLISH_ADDRESS ":%u): another program "
				"took each one first",
				tries, asked->guest, port);
		return;
	}
	why = publish_probe(port);
	if (why == -EADDRINUSE)
		qemu_set_reason(r, PUBLISH_ADDRESS ":%u is already in use "
				"(publish %u:%u): stop what listens there, or "
				"publish another host port (0 picks a free "
				"one)", port, port, asked->guest);
	else if (why == -EACCES)
		qemu_set_reason(r, "no permission to listen on "
				PUBLISH_ADDRESS ":%u (publish %u:%u): ports "
				"below 1024 need privileges; publish a higher "
				"host port", port, port, asked->guest);
	else if (why)
		qemu_set_reason(r, "QEMU could not listen on " PUBLISH_ADDRESS
				":%u (publish %u:%u): %s", port, port,
				asked->guest, strerror(-why));
	else
		qemu_set_reason(r, "QEMU could not listen on " PUBLISH_ADDRESS
				":%u (publish %u:%u), though it is free now: "
				"another program held it then", port, port,
				asked->guest);
}

/*
 * Boot c with its published ports picked, picking again while QEMU
 * fails on a picked one (RUNNER_PUBLISH_TRIES boots in all).
 */
static int boot_published(const struct runner_opts *o, struct qemu_cfg *c,
			  struct runner_result *r)
{
	struct runner_publish ports[PUBLISH_MAX];
	int fds[PUBLISH_MAX];
	unsigned tries;
	size_t i, bad;
	int err;

	for (tries = 1;; tries++) {
		err = pick_ports(o, ports, fds);
		if (err)
			return err;
		c->publish = ports;
		err = qemu_boot(c, r);
		/* Held until now, so nothing else could take them. */
		for (i = 0; i < o->npublish; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		if (err || r->outcome != RUNNER_QEMU_FAILED ||
		    !r->publish_failed)
			return err;
		bad = failed_index(r);
		if (bad == r->npublished)
			return 0;	/* QEMU's own words stay the reason */
		if (o->publish[bad].host || tries == RUNNER_PUBLISH_TRIES) {
			explain_publish(r, &o->publish[bad], ports[bad].host,
					tries);
			return 0;
		}
		if (o->log)
			fprintf(o->log, "unitune: " PUBLISH_ADDRESS ":%u was "
				"taken before QEMU listened on it; picking "
				"another port for guest port %u\n",
				ports[bad].host, ports[bad].guest);
		runner_result_free(r);
		err = qemu_result_init(r);
		if (err)
			return err;
	}
}

/* The options no boot could take: refused before anything runs. */
static bool opts_valid(const struct runner_opts *o)
{
	char why[UNITUNE_WHY_MAX];

	if (!o->image || (o->deterministic && o->accel == RUNNER_ACCEL_KVM) ||
	    (o->real_idle && !o->deterministic) ||
	    qemu_ports_check(o->ports, o->nports))
		return false;
	if (o->net != RUNNER_NET_NONE && o->net != RUNNER_NET_USER)
		return false;
	return !o->npublish ||
	       (o->publish && o->net == RUNNER_NET_USER &&
		!publish_check_list(o->publish, o->npublish, why, sizeof(why)));
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
	if (!opts_valid(o))
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
	if (o->initrd)
		c.linux_tsc_khz = linux_boot_tsc_khz();
	return o->npublish ? boot_published(o, &c, r) : qemu_boot(&c, r);
}

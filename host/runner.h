/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot one image under QEMU and say what became of it: the policy.
 *
 * The runner checks that the image is one QEMU's multiboot loader boots
 * and fits the memory asked for, that QEMU is installed, and chooses the
 * accelerator (resolving --accel auto through accel.h); then it boots
 * through the mechanics of qemu.h, which start QEMU on the microvm machine
 * with the console on a pipe, a deadline and isa-debug-exit, and classify
 * the end into an outcome (see outcome.h) with a one-line reason. It holds
 * no global state: each call is independent, and several may run in
 * parallel processes.
 *
 * Usage:
 *	struct runner_opts o = { .image = "build/hello/hello.elf",
 *				 .accel = RUNNER_ACCEL_TCG,
 *				 .timeout_ns = 30 * 1000000000LL,
 *				 .echo = stdout };
 *	struct runner_result r;
 *	if (runner_run(&o, &r) < 0) ... internal error ...
 *	... r.outcome, r.app_status, r.reason, r.console ...
 *	runner_result_free(&r);
 */
#ifndef UNITUNE_RUNNER_H
#define UNITUNE_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outcome.h"
#include "qemu.h"

/* What struct qemu_cfg holds, with an accelerator that may be AUTO and
 * where to cache its resolution. */
struct runner_opts {
	const char *image;		/* IN: required */
	const char *qemu;		/* IN: NULL: RUNNER_QEMU_DEFAULT in PATH */
	uint64_t mem_kib;		/* IN: 0: RUNNER_MEM_DEFAULT_KIB */
	enum runner_accel accel;	/* IN */
	bool deterministic;		/* IN: -icount shift=0,sleep=off; TCG */
	/* IN, with deterministic only: sleep=on, so that idle time passes
	 * as the host's instead of jumping to the guest's next timer. */
	bool real_idle;
	int64_t timeout_ns;		/* IN: 0: no limit */
	int64_t kill_grace_ns;		/* IN: SIGTERM to SIGKILL; 0: 1 s */
	const char *kernel_opts;	/* IN: NULL or verbatim options */
	const char *const *app_argv;	/* IN: app_argc arguments */
	size_t app_argc;
	/* IN: NULL, or image is a Linux kernel (bzImage) to boot with this
	 * initramfs (linux_boot.h): checked with linux_boot_check() instead
	 * of as a multiboot image, the TSC's frequency measured on the host
	 * and given on its command line. */
	const char *initrd;
	const struct runner_port *ports;/* IN: nports virtio-serial ports */
	size_t nports;
	enum runner_net net;		/* IN: NONE (no NIC) or USER */
	const struct runner_publish *publish; /* IN: npublish forwards, in
					 * order; host 0: a free port, picked
					 * (result.published has it) */
	size_t npublish;
	runner_published_fn on_published;/* IN: or NULL (qemu.h) */
	void *on_published_ctx;
	const char *const *qemu_extra;	/* IN: appended to QEMU's argv */
	size_t qemu_extra_n;
	FILE *echo;			/* IN: console copy, or NULL */
	size_t console_max;		/* IN: 0: RUNNER_CONSOLE_MAX_DEFAULT */
	const char *accel_cache;	/* IN: for AUTO; NULL: default, "": none */
	FILE *log;			/* IN: diagnostics (accelerator choice
					 * and why, QEMU command) or NULL */
	int stop_fd;			/* IN: > 0: readable = stop the guest
					 * (qemu_cfg.stop_fd); 0: none */
};

/*
 * Boot opts->image and fill *r (always initialised, free it with
 * runner_result_free() even on error). Checks come first and in this
 * order: the image (RUNNER_IMAGE_BAD), QEMU in PATH (RUNNER_NO_QEMU), then
 * AUTO is resolved (accel.h), so a typo never costs a calibration.
 * Every way the guest or QEMU can end is an outcome, not an error: the
 * return value is 0, or a negative errno for invalid options (-EINVAL: no
 * image, deterministic with KVM, real_idle without deterministic, a "--"
 * word in kernel_opts, a NULL argument, a port runner_port_check
 * refuses, two ports with one name, publish with RUNNER_NET_NONE or a
 * list publish_check_list refuses) or
 * internal failures (-ENOMEM, pipe/fork errors).
 *
 * Published ports: each host port 0 is picked (publish_reserve) and held
 * until QEMU ends. When QEMU cannot listen on one, a picked port is
 * picked again, up to RUNNER_PUBLISH_TRIES boots in all; a port the
 * caller named is not. Either way the outcome is RUNNER_QEMU_FAILED
 * with publish_failed set and a reason saying why the port could not be
 * used (in use, privileged, or taken each time it was picked).
 */
int runner_run(const struct runner_opts *opts, struct runner_result *r);

#define RUNNER_PUBLISH_TRIES 3

/* The exit status of `unitune run` for *r (outcome.h). */
int runner_exit_status(const struct runner_result *r);

/*
 * QEMU's argv for opts with a concrete accelerator (TCG or KVM): what
 * qemu_argv() gives for the boot runner_run() would start. Free with
 * runner_argv_free(); errors as qemu_argv().
 */
int runner_qemu_argv(const struct runner_opts *opts, enum runner_accel accel,
		     char ***argv);

#endif

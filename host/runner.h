/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot one image under QEMU and say what became of it.
 *
 * The runner starts QEMU on the microvm machine with the image as a
 * multiboot/PVH kernel, its console on a pipe (echoed live to a FILE and
 * kept in memory), a deadline, and isa-debug-exit for the guest's exit
 * status; then it classifies the end into an outcome (see outcome.h) with
 * a one-line reason. It holds no global state: each call is independent,
 * and several may run in parallel processes.
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

enum runner_accel {
	RUNNER_ACCEL_AUTO,	/* KVM if calibration says it is fast, else TCG */
	RUNNER_ACCEL_TCG,
	RUNNER_ACCEL_KVM,
};

#define RUNNER_QEMU_DEFAULT "qemu-system-x86_64"
#define RUNNER_MEM_DEFAULT_KIB (32 * 1024)
#define RUNNER_CONSOLE_MAX_DEFAULT (16u << 20)
#define RUNNER_STDERR_MAX (1u << 20)

/*
 * QEMU gets the image as its descriptor RUNNER_KERNEL_FD and the path
 * RUNNER_KERNEL_PATH after -kernel. QEMU's multiboot loader copies that
 * path to the front of the guest's command line, and the guest reads it
 * character by character before main(): a text that never varies keeps
 * deterministic figures independent of where the image lies.
 */
#define RUNNER_KERNEL_FD 3
#define RUNNER_KERNEL_PATH "/proc/self/fd/3"

/*
 * A named virtio-serial port: what the guest writes to the port NAME
 * (uk_vcon_port_find(NAME)) lands in the host file PATH, which QEMU
 * creates or truncates. Names are letters, digits, '.', '_' and '-', at
 * most RUNNER_PORT_NAME_MAX bytes (the guest keeps 63).
 */
struct runner_port {
	const char *name;
	const char *path;
};
#define RUNNER_PORT_NAME_MAX 63

struct runner_opts {
	const char *image;		/* IN: required */
	const char *qemu;		/* IN: NULL: RUNNER_QEMU_DEFAULT in PATH */
	uint64_t mem_kib;		/* IN: 0: RUNNER_MEM_DEFAULT_KIB */
	enum runner_accel accel;	/* IN */
	bool deterministic;		/* IN: -icount shift=0,sleep=off; TCG */
	int64_t timeout_ns;		/* IN: 0: no limit */
	int64_t kill_grace_ns;		/* IN: SIGTERM to SIGKILL; 0: 1 s */
	const char *kernel_opts;	/* IN: NULL or verbatim options */
	const char *const *app_argv;	/* IN: app_argc arguments */
	size_t app_argc;
	const struct runner_port *ports;/* IN: nports virtio-serial ports */
	size_t nports;
	const char *const *qemu_extra;	/* IN: appended to QEMU's argv */
	size_t qemu_extra_n;
	FILE *echo;			/* IN: console copy, or NULL */
	size_t console_max;		/* IN: 0: RUNNER_CONSOLE_MAX_DEFAULT */
	const char *accel_cache;	/* IN: for AUTO; NULL: default, "": none */
	FILE *log;			/* IN: diagnostics (accelerator choice
					 * and why, QEMU command) or NULL */
};

struct runner_result {
	enum runner_outcome outcome;
	int app_status;		/* application exit status, when EXITED */
	int crash_status;	/* when CRASHED: a UNITUNE_CRASH_* status
				 * (unitune/abi.h) saying which kind */
	char reason[256];	/* one line; empty when EXITED */
	enum runner_accel accel;/* the accelerator actually used */
	bool qemu_ran;		/* QEMU was started (wstatus is valid) */
	int wstatus;		/* QEMU's wait status */
	int64_t wall_ns;	/* from spawning QEMU to its exit */
	char *console;		/* NUL-terminated; may contain NULs */
	size_t console_len;
	size_t console_dropped;	/* oldest bytes dropped past console_max */
	char *qemu_stderr;	/* NUL-terminated, at most RUNNER_STDERR_MAX */
	size_t qemu_stderr_len;
};

/*
 * Boot opts->image and fill *r (always initialised, free it with
 * runner_result_free() even on error). Checks come first and in this
 * order: the image (RUNNER_IMAGE_BAD), QEMU in PATH (RUNNER_NO_QEMU), then
 * AUTO is resolved (accel.h), so a typo never costs a calibration.
 * Every way the guest or QEMU can end is an outcome, not an error: the
 * return value is 0, or a negative errno for invalid options (-EINVAL: no
 * image, deterministic with KVM, a "--" word in kernel_opts, a NULL
 * argument, a port runner_port_check refuses, two ports with one name) or
 * internal failures (-ENOMEM, pipe/fork errors).
 */
int runner_run(const struct runner_opts *opts, struct runner_result *r);

void runner_result_free(struct runner_result *r);

/* The exit status of `unitune run` for *r (outcome.h). */
int runner_exit_status(const struct runner_result *r);

/*
 * QEMU's argv for opts with a concrete accelerator (TCG or KVM),
 * NULL-terminated; free with runner_argv_free(). The kernel is
 * RUNNER_KERNEL_PATH: whoever starts QEMU opens opts->image as its
 * descriptor RUNNER_KERNEL_FD. 0, -EINVAL (also for a
 * port runner_port_check refuses, or two ports with one name) or -ENOMEM.
 * With ports, the guest gets a modern virtio-mmio virtio-serial device
 * (`-global virtio-mmio.force-legacy=false -device virtio-serial-device`)
 * and, per port, `-chardev file,id=utportN,path=PATH
 * -device virtserialport,chardev=utportN,name=NAME`.
 */
int runner_qemu_argv(const struct runner_opts *opts, enum runner_accel accel,
		     char ***argv);
void runner_argv_free(char **argv);

/*
 * Split a "NAME=FILE" argument in place (the '=' becomes a NUL) into *p,
 * then check it with runner_port_check. 0, or -EINVAL with a one-line
 * reason in why (which names the argument).
 */
int runner_port_parse(char *arg, struct runner_port *p, char *why,
		      size_t why_len);

/*
 * Check a port: the name's characters and length, a non-empty path that
 * is not a directory, in a directory that exists. 0, or -EINVAL with a
 * one-line reason in why.
 */
int runner_port_check(const struct runner_port *p, char *why, size_t why_len);

/*
 * Turn how QEMU ended into outcome, app_status, crash_status and reason of
 * *r (the rest of *r is left alone). Pure; exposed for tests and for tools that run
 * QEMU some other way.
 */
void runner_classify(int wstatus, bool timed_out, int64_t timeout_ns,
		     const char *console, size_t console_len,
		     const char *qemu_stderr, size_t stderr_len,
		     struct runner_result *r);

const char *runner_accel_name(enum runner_accel a);

#endif

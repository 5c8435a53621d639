/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mechanics of one boot under QEMU, with no policy: build QEMU's
 * command line (microvm, memory, accelerator, devices, virtio-serial
 * ports, the image passed as descriptor RUNNER_KERNEL_FD), spawn it with
 * the console on a pipe (echoed live to a FILE and kept in memory), wait
 * with a deadline, and classify the end into an outcome (outcome.h) with a
 * one-line reason.
 *
 * Whoever calls qemu_boot() has made the choices: the accelerator is
 * concrete (TCG or KVM) and the image is assumed to be one QEMU boots.
 * runner.c adds that policy (image check, --accel auto through accel.c);
 * accel.c boots its calibration guest here directly.
 *
 * The types and the port and classification functions keep the runner_
 * names they had when all of this lived in runner.h, so their callers
 * (the verbs, the profiler, the tuner) did not change.
 *
 * Usage:
 *	struct qemu_cfg c = { .image = path, .accel = RUNNER_ACCEL_TCG,
 *			      .timeout_ns = 1000000000LL };
 *	struct runner_result r;
 *	if (qemu_result_init(&r) || qemu_boot(&c, &r) < 0) ... error ...
 *	... r.outcome, r.app_status, r.wall_ns, r.console ...
 *	runner_result_free(&r);
 */
#ifndef UNITUNE_QEMU_H
#define UNITUNE_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outcome.h"
#include "publish.h"

enum runner_accel {
	RUNNER_ACCEL_AUTO,	/* KVM if calibration says it is fast, else TCG
				 * (resolved by runner.c, never seen here) */
	RUNNER_ACCEL_TCG,
	RUNNER_ACCEL_KVM,
};

/* "auto", "tcg", "kvm": QEMU's -accel names and the JSON/cache spelling. */
const char *runner_accel_name(enum runner_accel a);

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

/* Every port passes runner_port_check and no two share a name (ports may
 * be NULL when n is 0). 0 or -EINVAL. */
int qemu_ports_check(const struct runner_port *ports, size_t n);

/*
 * The guest's network. NONE: no network device at all. USER: one
 * virtio-net device (virtio-mmio, found by the guest's probe like every
 * other device: the command line lists none) on QEMU's user networking
 * (slirp) with restrict=on, so the guest reaches nothing outside QEMU;
 * the published ports are the only way in.
 */
enum runner_net {
	RUNNER_NET_NONE,
	RUNNER_NET_USER,
};

/* "none", "user": the --net spelling. */
const char *runner_net_name(enum runner_net n);

/* The id of the RUNNER_NET_USER netdev. */
#define QEMU_NETDEV_ID "net0"

/* Told, once, that the published ports accept connections (see
 * qemu_cfg.on_published). */
typedef void (*runner_published_fn)(void *ctx,
				     const struct runner_publish *p, size_t n);

/* One boot, every choice made. */
struct qemu_cfg {
	const char *image;		/* required */
	const char *qemu;		/* NULL: RUNNER_QEMU_DEFAULT in PATH */
	uint64_t mem_kib;		/* 0: RUNNER_MEM_DEFAULT_KIB */
	enum runner_accel accel;	/* TCG or KVM */
	bool deterministic;		/* -icount shift=0,sleep=off; TCG */
	bool real_idle;			/* with deterministic: sleep=on */
	int64_t timeout_ns;		/* 0: no limit */
	int64_t kill_grace_ns;		/* SIGTERM to SIGKILL; 0: 1 s */
	const char *kernel_opts;	/* NULL or verbatim options */
	const char *const *app_argv;	/* app_argc arguments */
	size_t app_argc;
	/* NULL, or the image is a Linux kernel (bzImage) booted with this
	 * initramfs, the command line linux_boot.h's (with linux_tsc_khz;
	 * the app arguments go to its init). */
	const char *initrd;
	uint64_t linux_tsc_khz;
	const struct runner_port *ports;/* nports virtio-serial ports */
	size_t nports;
	enum runner_net net;		/* RUNNER_NET_NONE: no NIC */
	const struct runner_publish *publish; /* npublish forwards (USER);
					 * host ports concrete, not 0 */
	size_t npublish;
	/* With publish: called once, from the first console output, when
	 * QEMU runs the guest and so listens on every published port
	 * (QEMU sets its netdevs up before the guest's first instruction;
	 * every Unitune image prints its boot line before main). */
	runner_published_fn on_published;
	void *on_published_ctx;
	const char *const *qemu_extra;	/* appended to QEMU's argv */
	size_t qemu_extra_n;
	FILE *echo;			/* console copy, or NULL */
	size_t console_max;		/* 0: RUNNER_CONSOLE_MAX_DEFAULT */
	FILE *log;			/* the QEMU command, or NULL */
	/* > 0: a descriptor that, once readable (a byte written to a pipe,
	 * an eventfd), ends QEMU as a deadline would (SIGTERM, then SIGKILL
	 * after kill_grace_ns): how a caller that measures a guest from
	 * another thread stops it. The result says stopped. 0: none. */
	int stop_fd;
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
	/* The forwards QEMU was given (host ports as picked), in order. */
	struct runner_publish published[PUBLISH_MAX];
	size_t npublished;
	/* QEMU_FAILED because QEMU could not set up the forwarding rule of
	 * this host port (QEMU names only the first it could not); else 0. */
	uint16_t publish_failed;
	/* QEMU was ended through qemu_cfg.stop_fd. The outcome is what that
	 * end looked like (usually QEMU_FAILED, "stopped on request"), unless
	 * the guest had exited or crashed by itself first. */
	bool stopped;
};

/* An empty result (no outcome yet, empty console and stderr). 0 or
 * -ENOMEM; free it with runner_result_free() either way. */
int qemu_result_init(struct runner_result *r);

void runner_result_free(struct runner_result *r);

/*
 * Set r's reason to one line made from fmt (control characters become
 * spaces, whatever the guest sent).
 */
void qemu_set_reason(struct runner_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* RUNNER_NO_QEMU, with the reason naming qemu and how to install it. */
void qemu_missing(struct runner_result *r, const char *qemu);

/*
 * QEMU's argv for c, NULL-terminated; free with runner_argv_free(). The
 * kernel is RUNNER_KERNEL_PATH: whoever starts QEMU opens c->image as its
 * descriptor RUNNER_KERNEL_FD. 0, -EINVAL (no image, an accelerator other
 * than TCG or KVM, deterministic with KVM, real_idle without
 * deterministic, a "--" word in kernel_opts, a NULL argument, ports
 * qemu_ports_check refuses, publish with NET_NONE, a host port 0, or a
 * list publish_check_list refuses) or -ENOMEM.
 * With ports, the guest gets a modern virtio-mmio virtio-serial device
 * (`-global virtio-mmio.force-legacy=false -device virtio-serial-device`)
 * and, per port, `-chardev file,id=utportN,path=PATH
 * -device virtserialport,chardev=utportN,name=NAME`.
 * With RUNNER_NET_USER, `-netdev user,id=net0,restrict=on` plus
 * `,hostfwd=tcp:127.0.0.1:HOST-:GUEST` per published port, and
 * `-device virtio-net-device,netdev=net0` (modern virtio-mmio too).
 * With initrd, `-initrd FILE` and linux_boot_cmdline()'s command line.
 */
int qemu_argv(const struct qemu_cfg *c, char ***argv);
void runner_argv_free(char **argv);

/*
 * Boot c->image under QEMU and fill r, which comes from
 * qemu_result_init(). Every way the guest or QEMU can end is an outcome:
 * the image cannot be opened (RUNNER_IMAGE_BAD), QEMU is missing
 * (RUNNER_NO_QEMU) or cannot be executed (RUNNER_QEMU_FAILED), and the
 * ends runner_classify() tells apart. The return value is 0, or a negative
 * errno for invalid options (as qemu_argv) or internal failures (-ENOMEM,
 * pipe/fork errors).
 */
int qemu_boot(const struct qemu_cfg *c, struct runner_result *r);

/*
 * Turn how QEMU ended into outcome, app_status, crash_status and reason of
 * *r (the rest of *r is left alone). Pure; exposed for tests and for tools
 * that run QEMU some other way.
 */
void runner_classify(int wstatus, bool timed_out, int64_t timeout_ns,
		     const char *console, size_t console_len,
		     const char *qemu_stderr, size_t stderr_len,
		     struct runner_result *r);

#endif

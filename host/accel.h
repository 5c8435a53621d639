/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Choosing between KVM and TCG.
 *
 * "/dev/kvm exists" does not mean "KVM is fast": under a nested, software
 * hypervisor KVM runs guest code hundreds of times slower than TCG. So
 * --accel auto boots a tiny calibration guest under KVM that counts a
 * loop of ACCEL_CALIB_ITERS iterations and exits with ACCEL_CALIB_STATUS;
 * on real hardware that takes tens of milliseconds, on a slow nested
 * hypervisor many seconds. KVM is chosen only when the guest exits within
 * ACCEL_CALIB_LIMIT_NS with the right status. The decision is cached per
 * host boot and QEMU binary, so the calibration runs once.
 *
 * The calibration guest boots through the mechanics of qemu.h directly:
 * the runner (runner.h) calls accel_resolve(), never the other way round.
 */
#ifndef UNITUNE_ACCEL_H
#define UNITUNE_ACCEL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qemu.h"
#include "strbuf.h"

#define ACCEL_CALIB_ITERS 50000000u
#define ACCEL_CALIB_STATUS 42
#define ACCEL_CALIB_LIMIT_NS 1500000000LL
#define ACCEL_KVM_DEV "/dev/kvm"

/*
 * The decision, pure: KVM only if it is usable and the calibration guest
 * finished (was not killed at the limit), exited with the expected status,
 * and took at most ACCEL_CALIB_LIMIT_NS from spawn to exit.
 */
enum runner_accel accel_decide(bool kvm_usable, bool finished,
			       int64_t elapsed_ns, bool exit_ok);

/* Can this process create a KVM VM through dev? */
bool accel_kvm_usable(const char *dev);

/*
 * Write the calibration guest into buf: an ELF32 file whose first bytes
 * also hold a multiboot v1 header with the a.out kludge (flags bit 16), so
 * QEMU loads it flat at 1 MiB and enters 32-bit protected mode at the
 * loop. It counts iters down, writes exitcode_port_value(status) to
 * UNITUNE_EXIT_PORT and halts. status must be 0..124.
 * Returns the image size, or -ENOSPC / -EINVAL.
 */
#define ACCEL_GUEST_MAX 256
int accel_guest_image(uint32_t iters, int status, unsigned char *buf,
		      size_t cap);

/* What a cached decision is valid for. */
struct accel_key {
	char boot_id[64];	/* /proc/sys/kernel/random/boot_id */
	char qemu[PATH_MAX];	/* absolute path of the QEMU binary */
	long long mtime_sec;	/* its modification time */
	long mtime_nsec;
};

/* Fill *k for the QEMU binary at absolute path qemu. 0 or -errno. */
int accel_key_current(const char *qemu, struct accel_key *k);

/*
 * Parse a cache file's text: 0 and *a (and the note, if why is not NULL)
 * when it holds a decision for exactly key k; -ENOENT when it is for
 * another key; -EINVAL when it is malformed.
 */
int accel_cache_parse(const char *text, const struct accel_key *k,
		      enum runner_accel *a, char *why, size_t why_len);

/* Append the cache file text for (k, a, why) to sb. 0 or -ENOMEM. */
int accel_cache_format(const struct accel_key *k, enum runner_accel a,
		       const char *why, struct strbuf *sb);

/* ${XDG_CACHE_HOME:-$HOME/.cache}/unitune/accel. 0, -ENOENT (no HOME)
 * or -ENAMETOOLONG. */
int accel_cache_default_path(char *buf, size_t len);

/*
 * Resolve --accel auto to TCG or KVM for the QEMU binary qemu (a name in
 * PATH or a path). cache_path NULL uses the default location, "" disables
 * the cache. why receives a one-line explanation. Never fails for lack of
 * KVM or cache: any doubt means TCG. 0 or -ENOMEM.
 */
int accel_resolve(const char *qemu, const char *cache_path,
		  enum runner_accel *out, char *why, size_t why_len);

#endif

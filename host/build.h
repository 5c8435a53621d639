/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building one image: the steps `unitune build` and the tuner share.
 *
 *   1. build_app_config(): the app's defconfig, then the caller's
 *      assignments (later wins), as one config set;
 *   2. build_resolve(): write it as DIR/.config, let kconfig resolve
 *      dependencies (make olddefconfig) and read back what it kept;
 *      build_changes() lists every requested value kconfig did not keep;
 *   3. build_make(): make in DIR (out-of-tree, O=DIR);
 *   4. build_image_path(): DIR/<CONFIG_UK_APPNAME>.elf.
 *
 * make's output goes to our stderr (the tuner points that at a log
 * file). Errors come back as a negative errno with one line in why.
 */
#ifndef UNITUNE_BUILD_H
#define UNITUNE_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "kconfig.h"
#include "strbuf.h"

/* The Kconfig tree's root file, relative to the unikernel directory. */
#define BUILD_KCONFIG_ROOT "Config.uk"

/* CPUs this process may run on (at least 1): make's default -j. */
long build_cpu_count(void);

/*
 * unikernel/apps/APP/defconfig parsed into *merged. -ENOENT when the app
 * does not exist (why lists the apps there are), -EINVAL for an invalid
 * app name or a defconfig that cannot be read (not a regular file, more
 * than STRBUF_TEXT_MAX; why says which), -ENOMEM. Lines of the defconfig that do not parse are
 * skipped and listed in warnings (may be NULL).
 */
int build_app_config(const char *unikernel, const char *app,
		     struct config_set *merged, struct strbuf *warnings,
		     char *why, size_t why_len);

/*
 * Run make -C unikernel O=dir, for target (NULL: the image, with jobs
 * parallel jobs). timeout_ns 0: none. 0, or -ETIMEDOUT, -ECHILD (make
 * failed), -ENOENT (no make), -errno; why says which.
 */
int build_make(const char *unikernel, const char *dir, const char *target,
	       long jobs, int64_t timeout_ns, char *why, size_t why_len);

/*
 * Write merged as dir/.config (dir is created), run olddefconfig (its
 * output is kept back, and only its last line shown in why if it fails)
 * and parse the result into *resolved; the resolved text goes to *text
 * when text is not NULL. 0 or a negative errno with why.
 */
int build_resolve(const char *unikernel, const char *dir,
		  const struct config_set *merged, int64_t timeout_ns,
		  struct config_set *resolved, struct strbuf *text,
		  char *why, size_t why_len);

/*
 * Is symbol name (without CONFIG_) dead by dependency in resolved: left
 * out of it because a symbol it depends on is off there (set to n, or
 * itself left out)? Then 1, with those symbols appended to off as
 * "CONFIG_Y=n" (", " between several); else 0 and off untouched (the
 * symbol is there, or none of its dependencies is plainly off: a
 * comparison or a negation decided). -ENOMEM.
 */
int build_dead_reason(const struct kconfig *kc, const char *name,
		      const struct config_set *resolved, struct strbuf *off);

/*
 * One line per requested value kconfig did not keep: "CONFIG_X: asked
 * for A, resolved to B; depends on: ...". With dead not NULL, a value
 * dead by dependency (build_dead_reason) is expected rather than
 * surprising: it goes to dead instead, as "X\tCONFIG_Y=n\n", for the
 * caller to summarise. Returns how many lines went to out, or -ENOMEM.
 */
int build_changes(const struct kconfig *kc, const struct config_set *req,
		  const struct config_set *resolved, struct strbuf *out,
		  struct strbuf *dead);

/*
 * dir/<app>.elf from the resolved CONFIG_UK_APPNAME; it must exist.
 * 0, -EINVAL (no valid app name) or -errno, with why.
 */
int build_image_path(const char *dir, const struct config_set *resolved,
		     char *buf, size_t len, char *why, size_t why_len);

/*
 * Is dir usable as O=DIR (make splits on whitespace)? 0 or -EINVAL.
 */
int build_dir_check(const char *dir);

#endif

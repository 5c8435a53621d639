/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sidecar FILE.meta that `unitune record` writes next to a trace FILE,
 * so `unitune report FILE` finds the image without --image. The stream
 * itself carries only the build-id (abi.h); the image path is a host fact
 * and stays on the host.
 *
 * Format: text lines "key=value"; '#' starts a comment; unknown keys are
 * ignored (newer writers may add some). Keys written:
 *   image=/absolute/path/to/image.elf
 *   build_id=<hex>          the image's build-id when it was recorded
 *   outcome=<name>          how the run ended (outcome.h names)
 *   clock=deterministic|wall  whether the run counted instructions
 *                           (--deterministic: the trace repeats exactly)
 *                           or ran on wall-clock time (noisy)
 * A sidecar without clock= (older recordings) is taken as wall-clock.
 */
#ifndef UNITUNE_PROF_META_H
#define UNITUNE_PROF_META_H

#include <stdbool.h>
#include <stddef.h>

/* "<trace>.meta" into buf. 0 or -ENAMETOOLONG. */
int meta_path(const char *trace, char *buf, size_t len);

#define META_CLOCK_DETERMINISTIC "deterministic"
#define META_CLOCK_WALL "wall"

/* Write the sidecar of trace. image is made absolute; clock is one of
 * the META_CLOCK_* values. 0 or -errno. */
int meta_write(const char *trace, const char *image, const char *build_id_hex,
	       const char *outcome, const char *clock);

/* The value of key (the first key= line) in trace's sidecar. 0, -ENOENT
 * (no sidecar, no such key, or an empty value), -ENAMETOOLONG, -EINVAL
 * (the sidecar is not a regular file), -EFBIG (more than STRBUF_TEXT_MAX
 * bytes), or -errno. */
int meta_read(const char *trace, const char *key, char *val, size_t len);

/* meta_read(trace, "image", ...). */
int meta_read_image(const char *trace, char *image, size_t len);

/* Whether trace was recorded with --deterministic (clock=deterministic);
 * false when the sidecar or the key is missing. */
bool meta_deterministic(const char *trace);

#endif

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
 */
#ifndef UNITUNE_PROF_META_H
#define UNITUNE_PROF_META_H

#include <stddef.h>

/* "<trace>.meta" into buf. 0 or -ENAMETOOLONG. */
int meta_path(const char *trace, char *buf, size_t len);

/* Write the sidecar of trace. image is made absolute. 0 or -errno. */
int meta_write(const char *trace, const char *image, const char *build_id_hex,
	       const char *outcome);

/* The image= value of trace's sidecar. 0, -ENOENT (no sidecar or no
 * image key), -ENAMETOOLONG, or -errno. */
int meta_read_image(const char *trace, char *image, size_t len);

#endif

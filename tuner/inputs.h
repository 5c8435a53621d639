/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a sweep's points are resolved from besides the space file: the
 * space's base_config, the app's defconfig and the Kconfig tree. A
 * point's variant (its resolved config) depends on all three, so an
 * experiment records their SHA-256 when it begins and a resumed sweep
 * refuses to go on when any changed: the points already recorded were
 * resolved from the old inputs, the new ones would be resolved from the
 * new, and the results would mix both without saying so.
 */
#ifndef UNITUNE_INPUTS_H
#define UNITUNE_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#include "kconfig.h"
#include "space.h"
#include "store.h"

/*
 * Hash sp's inputs into *out: the base_config's bytes (base_config ""
 * when sp has none), unikernel/apps/APP/defconfig's bytes, and for the
 * Kconfig tree every file kc was parsed from (kc->files, named relative
 * to unikernel so the hash does not depend on where the tree is): its
 * name, its size and its bytes. 0, or -errno with why naming the file
 * that could not be read.
 */
int inputs_hash(const char *unikernel, const struct space *sp,
		const struct kconfig *kc, struct store_inputs *out, char *why,
		size_t why_len);

/*
 * Which of recorded and now differ, as a phrase for a message ("its
 * base_config, the app's defconfig and the Kconfig tree"); "" when none.
 * A base_config added or removed counts as changed.
 */
void inputs_describe_changes(const struct store_inputs *recorded,
			     const struct store_inputs *now, char *buf,
			     size_t len);

#endif

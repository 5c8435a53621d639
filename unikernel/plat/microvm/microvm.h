/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to plat/microvm. */
#ifndef PLAT_MICROVM_H
#define PLAT_MICROVM_H

#include <stdint.h>

struct tsc_info {
	uint64_t hz;
	const char *source;
};

void tsc_calibrate(struct tsc_info *t);

#endif

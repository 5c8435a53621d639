/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Little-endian fields in a byte buffer (ELF and multiboot headers are
 * little-endian on x86, whatever the host's order): the images the host
 * writes (accel_guest.c, the unit tests' fixtures) and the headers it
 * reads (image.c).
 */
#ifndef UNITUNE_LE_H
#define UNITUNE_LE_H

#include <stdint.h>

static inline void le_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void le_put32(unsigned char *p, uint32_t v)
{
	le_put16(p, (uint16_t)v);
	le_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void le_put64(unsigned char *p, uint64_t v)
{
	le_put32(p, (uint32_t)v);
	le_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t le_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

#endif

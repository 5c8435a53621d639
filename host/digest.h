/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SHA-256 digests as 64 lowercase hex digits (nettle): what names a
 * resolved configuration (a tuner variant, the image a bench measured)
 * and what the tuner's inputs check compares.
 */
#ifndef UNITUNE_DIGEST_H
#define UNITUNE_DIGEST_H

#include <stddef.h>

#include <nettle/sha2.h>

#define DIGEST_SHA256_HEX (SHA256_DIGEST_SIZE * 2)

/* The SHA-256 of len bytes at data. */
void digest_sha256_hex(const void *data, size_t len,
		       char out[DIGEST_SHA256_HEX + 1]);

/* Finish a hash fed with sha256_update() into hex (c is reset). */
void digest_sha256_finish_hex(struct sha256_ctx *c,
			      char out[DIGEST_SHA256_HEX + 1]);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SHA-256 in hex (host/digest.h).
 */
#include "digest.h"

#include <stdint.h>

void digest_sha256_finish_hex(struct sha256_ctx *c,
			      char out[DIGEST_SHA256_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];
	size_t i;

	sha256_digest(c, sizeof(d), d);
	for (i = 0; i < sizeof(d); i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[DIGEST_SHA256_HEX] = '\0';
}

void digest_sha256_hex(const void *data, size_t len,
		       char out[DIGEST_SHA256_HEX + 1])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, len, data);
	digest_sha256_finish_hex(&c, out);
}

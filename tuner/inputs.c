/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hashes of a sweep's inputs. See inputs.h.
 */
#include "inputs.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "strbuf.h"

/* The whole file into the hash (with its name and size when name is not
 * NULL, so files cannot trade bytes unseen). */
static int hash_file(struct sha256_ctx *c, const char *path,
		     const char *name, char *why, size_t why_len)
{
	struct strbuf sb = STRBUF_INIT;
	char head[PATH_MAX + 32];
	int err, n;

	err = strbuf_read_file(&sb, path, STRBUF_TEXT_MAX, why, why_len);
	if (!err && name) {
		n = snprintf(head, sizeof(head), "%s%c%zu\n", name, '\0',
			     sb.len);
		sha256_update(c, (size_t)n, (const uint8_t *)head);
	}
	if (!err)
		sha256_update(c, sb.len, (const uint8_t *)(sb.buf ? sb.buf
							       : ""));
	strbuf_release(&sb);
	return err;
}

/* One file's hash, or "" for no file. */
static int hash_one(const char *path, char out[STORE_HASH_HEX + 1],
		    char *why, size_t why_len)
{
	struct sha256_ctx c;
	int err;

	out[0] = '\0';
	if (!path)
		return 0;
	sha256_init(&c);
	err = hash_file(&c, path, NULL, why, why_len);
	if (!err)
		digest_sha256_finish_hex(&c, out);
	return err;
}

static int hash_kconfig(const char *unikernel, const struct kconfig *kc,
			char out[STORE_HASH_HEX + 1], char *why,
			size_t why_len)
{
	size_t i, n = strlen(unikernel);
	char path[PATH_MAX];
	struct sha256_ctx c;
	int err = 0;

	sha256_init(&c);
	for (i = 0; !err && i < kc->n_files; i++) {
		const char *name = kc->files[i];

		if (!strncmp(name, unikernel, n) && name[n] == '/')
			name += n + 1;
		if (name[0] == '/')
			snprintf(path, sizeof(path), "%s", name);
		else if (snprintf(path, sizeof(path), "%s/%s", unikernel,
				  name) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		err = hash_file(&c, path, name, why, why_len);
	}
	if (!err && !kc->n_files) {
		snprintf(why, why_len, "the Kconfig parser named no files");
		err = -EINVAL;
	}
	if (!err)
		digest_sha256_finish_hex(&c, out);
	return err;
}

int inputs_hash(const char *unikernel, const struct space *sp,
		const struct kconfig *kc, struct store_inputs *out, char *why,
		size_t why_len)
{
	char defconfig[PATH_MAX];
	int err;

	memset(out, 0, sizeof(*out));
	if (snprintf(defconfig, sizeof(defconfig), "%s/apps/%s/defconfig",
		     unikernel, sp->app) >= (int)sizeof(defconfig))
		return -ENAMETOOLONG;
	err = hash_one(sp->base_config, out->base_config, why, why_len);
	if (!err)
		err = hash_one(defconfig, out->defconfig, why, why_len);
	if (!err)
		err = hash_kconfig(unikernel, kc, out->kconfig, why, why_len);
	return err;
}

void inputs_describe_changes(const struct store_inputs *recorded,
			     const struct store_inputs *now, char *buf,
			     size_t len)
{
	const char *what[3];
	size_t n = 0, i;
	int used = 0;

	if (strcmp(recorded->base_config, now->base_config))
		what[n++] = "its base_config";
	if (strcmp(recorded->defconfig, now->defconfig))
		what[n++] = "the app's defconfig";
	if (strcmp(recorded->kconfig, now->kconfig))
		what[n++] = "the Kconfig tree";
	buf[0] = '\0';
	for (i = 0; i < n && used >= 0 && (size_t)used < len; i++)
		used += snprintf(buf + used, len - (size_t)used, "%s%s",
				 i == 0 ? "" : i + 1 == n ? " and " : ", ",
				 what[i]);
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include "intern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing, linear probing, power-of-two capacity, at most half
 * full so probes stay short. */
struct intern {
	char **slots;
	size_t cap;
	size_t n;
};

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

struct intern *intern_new(void)
{
	struct intern *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->cap = 256;
	in->slots = calloc(in->cap, sizeof(*in->slots));
	if (!in->slots) {
		free(in);
		return NULL;
	}
	return in;
}

static int grow(struct intern *in)
{
	size_t cap = in->cap * 2, i, j;
	char **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i < in->cap; i++) {
		if (!in->slots[i])
			continue;
		j = hash(in->slots[i], strlen(in->slots[i])) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = in->slots[i];
	}
	free(in->slots);
	in->slots = slots;
	in->cap = cap;
	return 0;
}

const char *intern_strn(struct intern *in, const char *s, size_t n)
{
	size_t i;
	char *copy;

	if ((in->n + 1) * 2 > in->cap && grow(in))
		return NULL;
	i = hash(s, n) & (in->cap - 1);
	while (in->slots[i]) {
		if (!strncmp(in->slots[i], s, n) && in->slots[i][n] == '\0')
			return in->slots[i];
		i = (i + 1) & (in->cap - 1);
	}
	copy = malloc(n + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	in->slots[i] = copy;
	in->n++;
	return copy;
}

const char *intern_str(struct intern *in, const char *s)
{
	return intern_strn(in, s, strlen(s));
}

void intern_free(struct intern *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->cap; i++)
		free(in->slots[i]);
	free(in->slots);
	free(in);
}

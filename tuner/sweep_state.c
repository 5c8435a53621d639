/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep's messages and its variants in memory: found by point or
 * hash, scored once finished, told to the strategy.
 */
#include "sweep_int.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>

#include "score.h"

/* The signal that interrupted the sweep, 0 when none: a handler can only
 * set a flag. */
static volatile sig_atomic_t interrupted;

void sw_on_signal(int sig)
{
	interrupted = sig;
}

bool sw_interrupted(void)
{
	return interrupted != 0;
}

void sw_interrupt_clear(void)
{
	interrupted = 0;
}

void sw_say(struct sweep *s, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	progress_say(&s->prog, PROG ": %s", line);
}

int sw_oom(struct sweep *s)
{
	sw_say(s, "error: out of memory");
	return -ENOMEM;
}

int sw_db_fail(struct sweep *s, int err, const char *what)
{
	sw_say(s, "error: %s: %s: %s", s->o->db_path, what,
	       store_errmsg(s->st));
	return err;
}

/*
 * "UKALLOC_TLSF UKALLOC_TLSF_SL_LOG2=3": one value per option (NULL ones
 * left out), short, for messages.
 */
void sw_options_label(const struct space *sp, char *const *vals,
			  char *buf, size_t len)
{
	size_t i, pos = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < sp->n_options && pos < len; i++) {
		const struct space_option *o = &sp->options[i];

		if (!vals[i]) /* dropped by kconfig */
			continue;
		n = snprintf(buf + pos, len - pos, "%s%s%s%s", pos ? " " : "",
			     o->kind == SPACE_OPT_CHOICE ? "" : o->symbol,
			     o->kind == SPACE_OPT_CHOICE ? "" : "=", vals[i]);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
}

/* The same for a point: every option's requested value. */
void sw_point_label(const struct space *sp, const size_t *idx, char *buf,
			size_t len)
{
	char *vals[sp->n_options ? sp->n_options : 1];
	size_t i;

	for (i = 0; i < sp->n_options; i++)
		vals[i] = sp->options[i].values[idx[i]];
	sw_options_label(sp, vals, buf, len);
}

/* ---- variants in memory ------------------------------------------------ */

struct variant *sw_find_variant(struct sweep *s, const char *requested,
				    const char *hash)
{
	size_t i;

	for (i = 0; requested && i < s->n_aliases; i++)
		if (!strcmp(s->aliases[i].requested, requested))
			return s->aliases[i].v;

	for (i = 0; i < s->n_vars; i++) {
		struct variant *v = s->vars[i];

		if ((requested && !strcmp(v->requested, requested)) ||
		    (hash && !strcmp(v->hash, hash)))
			return v;
	}
	return NULL;
}

struct variant *sw_add_variant(struct sweep *s, int64_t id,
				   const char *hash, const char *requested,
				   const char *resolved,
				   enum store_status status)
{
	struct variant **vv, *v;

	vv = realloc(s->vars, (s->n_vars + 1) * sizeof(*vv));
	if (!vv)
		return NULL;
	s->vars = vv;
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->requested = strdup(requested);
	v->resolved = strdup(resolved);
	if (!v->requested || !v->resolved) {
		free(v->requested);
		free(v->resolved);
		free(v);
		return NULL;
	}
	v->id = id;
	snprintf(v->hash, sizeof(v->hash), "%s", hash);
	v->status = status;
	snprintf(v->dir, sizeof(v->dir), "%s/%.*s", s->work, DIR_HASH_DIGITS,
		 hash);
	s->vars[s->n_vars++] = v;
	return v;
}

int sw_add_alias(struct sweep *s, const char *requested,
		     struct variant *v)
{
	struct alias *a = realloc(s->aliases,
				  (s->n_aliases + 1) * sizeof(*a));

	if (!a)
		return -ENOMEM;
	s->aliases = a;
	a[s->n_aliases].requested = strdup(requested);
	if (!a[s->n_aliases].requested)
		return -ENOMEM;
	a[s->n_aliases++].v = v;
	return 0;
}

int sw_load_point(void *ctx, const struct store_point *p)
{
	struct sweep *s = ctx;
	size_t i;

	for (i = 0; i < s->n_vars; i++)
		if (s->vars[i]->id == p->variant_id)
			return sw_add_alias(s, p->requested, s->vars[i]);
	return 0;
}

void sw_free_variants(struct sweep *s)
{
	size_t i;

	for (i = 0; i < s->n_aliases; i++)
		free(s->aliases[i].requested);
	free(s->aliases);
	for (i = 0; i < s->n_vars; i++) {
		free(s->vars[i]->requested);
		free(s->vars[i]->resolved);
		free(s->vars[i]->waiters);
		free(s->vars[i]);
	}
	free(s->vars);
}

bool sw_finished(enum store_status st)
{
	return st != STORE_PENDING && st != STORE_BUILT;
}

int sw_load_one(void *ctx, const struct store_variant *sv)
{
	struct sweep *s = ctx;

	if (!sw_add_variant(s, sv->id, sv->hash, sv->requested, sv->resolved,
			    sv->status))
		return -ENOMEM;
	if (sw_finished(sv->status))
		s->started++;
	return 0;
}

/* The strategy's score of a variant (score_variant()), read once a
 * variant is finished: its results never change. */
int sw_variant_score(struct sweep *s, struct variant *v, double *score,
			 bool *failed)
{
	int err;

	if (!v->scored) {
		err = score_variant(s->st, s->space, v->id, v->status,
				    &v->score, &v->no_score);
		if (err)
			return sw_db_fail(s, err, "reading runs");
		v->scored = sw_finished(v->status);
	}
	*failed = v->no_score;
	*score = v->score;
	return 0;
}

int sw_tell(struct sweep *s, const size_t *idx, struct variant *v)
{
	double score;
	bool failed;
	int err = sw_variant_score(s, v, &score, &failed);

	if (!err)
		err = strategy_tell(s->strat, idx, score, failed);
	if (err)
		sw_say(s, "error: the strategy refused a result: %s",
		       strerror(-err));
	return err;
}

int sw_add_waiter(struct sweep *s, struct variant *v, const size_t *idx)
{
	size_t n = s->space->n_options;
	size_t *w = realloc(v->waiters, (v->n_waiters + 1) * n * sizeof(*w));

	if (!w)
		return sw_oom(s);
	memcpy(w + v->n_waiters * n, idx, n * sizeof(*w));
	v->waiters = w;
	v->n_waiters++;
	return 0;
}

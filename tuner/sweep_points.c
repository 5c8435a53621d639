/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sweep's points: each one the strategy proposes resolved by
 * Kconfig to a variant, an existing one reused, a new one started.
 */
#include "sweep_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "digest.h"
#include "inputs.h"
#include "strbuf.h"
#include "why.h"

/* ---- points -------------------------------------------------------------- */

/*
 * What kconfig changed of a point's request, with the dependencies as
 * they stand in this variant (a symbol table loaded with its config, as
 * `unitune build` does), into changes.
 */
static int report_changes(struct sweep *s, const struct config_set *merged,
			  const struct config_set *req,
			  const struct config_set *resolved,
			  struct strbuf *changes)
{
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;
	struct strbuf dead = STRBUF_INIT;
	struct kconfig *kc = NULL;
	int err;

	/* Whether a value changed (and whether it is dead by dependency)
	 * does not depend on the variant: ask the table at hand, and load
	 * the variant's only to explain a surprising change. */
	err = build_changes(s->kc, req, resolved, changes, &dead);
	if (err >= 0 && dead.len && dead_tally_add_lines(&s->dead, dead.buf))
		err = -ENOMEM;
	strbuf_release(&dead);
	if (err <= 0)
		return err < 0 ? sw_oom(s) : 0;
	strbuf_release(changes);
	err = config_set_write(merged, &text);
	if (!err)
		err = kconfig_load(s->unikernel, BUILD_KCONFIG_ROOT,
				   text.buf ? text.buf : "", &kc, &msg);
	if (err == -ENOMEM)
		err = sw_oom(s);
	else if (err)
		sw_say(s, "error: %s", msg.len ? msg.buf : strerror(-err));
	else if (build_changes(kc, req, resolved, changes, &dead) < 0)
		err = sw_oom(s);
	strbuf_release(&dead);
	kconfig_free(kc);
	strbuf_release(&text);
	strbuf_release(&msg);
	return err;
}

/*
 * Resolve a point nobody asked for before: requested options over the
 * base, olddefconfig, hash. Reports what kconfig changed. *out is the
 * (possibly existing) variant.
 */
static int resolve_point(struct sweep *s, const size_t *idx,
			 const char *requested, struct variant **out)
{
	struct config_set merged = { 0 }, req = { 0 }, resolved = { 0 };
	struct strbuf changes = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT;
	char hash[HASH_HEX + 1], label[512], why[UNITUNE_WHY_MAX];
	enum store_status status;
	struct variant *v;
	bool unresolved = false, created = false;
	int64_t id;
	size_t i;
	int err;

	*out = NULL;
	err = config_parse_text(requested, strlen(requested), "point", &req,
				NULL) < 0 ? -ENOMEM : 0;
	for (i = 0; !err && i < s->base.n; i++)
		err = config_set_put_copy(&merged, &s->base.v[i]);
	for (i = 0; !err && i < req.n; i++)
		err = config_set_put_copy(&merged, &req.v[i]);
	if (err) {
		err = sw_oom(s);
		goto out;
	}
	sw_point_label(s->space, idx, label, sizeof(label));
	err = build_resolve(s->unikernel, s->resolve_dir, &merged,
			    s->o->resolve_timeout_ns, &resolved, &text, why,
			    sizeof(why));
	if (err == -ENOMEM) {
		err = sw_oom(s);
		goto out;
	}
	if (err && sw_interrupted()) { /* make died of the user's Ctrl-C */
		err = -EINTR;
		goto out;
	}
	if (err) {
		/* Unresolvable: a build failure keyed by what was asked. */
		sw_say(s, "%s: kconfig cannot resolve it: %s", label, why);
		digest_sha256_hex(requested, strlen(requested), hash);
		unresolved = true;
	} else {
		err = config_set_hash(&resolved, hash);
		if (err) {
			err = sw_oom(s);
			goto out;
		}
		err = report_changes(s, &merged, &req, &resolved, &changes);
		if (err)
			goto out;
	}
	if (changes.len) {
		char *line = changes.buf, *nl;

		for (; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			*nl = '\0';
			sw_say(s, "note: %s: %s (variant %.12s)", label, line, hash);
		}
	}
	/* The variant (new or not) and the point, in one transaction. */
	v = sw_find_variant(s, NULL, hash);
	id = v ? v->id : 0;
	status = v ? v->status : STORE_PENDING;
	err = store_begin(s->st);
	if (!err && !v) {
		err = store_variant_upsert(s->st, s->exp, hash, requested,
					   unresolved ? "" : text.buf ? text.buf
								: "",
					   &id, &status);
		created = err == 1;
		err = err < 0 ? err : 0;
		if (!err && created && unresolved) {
			err = store_variant_set_status(s->st, id,
						       STORE_BUILD_FAILED, why);
			status = STORE_BUILD_FAILED;
		}
	}
	if (!err) {
		err = store_point_add(s->st, s->exp, requested, id);
		err = err < 0 ? err : 0;
	}
	if (!err)
		err = store_commit(s->st);
	if (err) {
		store_rollback(s->st);
		goto db;
	}
	if (!v) {
		v = sw_add_variant(s, id, hash, requested,
				   unresolved || !text.buf ? "" : text.buf,
				   status);
		/* A failure counts against the budget like a measured one. */
		if (v && created && unresolved)
			s->started++;
	}
	if (!v || sw_add_alias(s, requested, v)) {
		err = sw_oom(s);
		goto out;
	}
	*out = v;
	goto out;
db:
	err = sw_db_fail(s, err, "adding a variant");
out:
	config_set_release(&merged);
	config_set_release(&req);
	config_set_release(&resolved);
	strbuf_release(&changes);
	strbuf_release(&text);
	return err;
}

static int handle_point(struct sweep *s, const size_t *idx)
{
	struct strbuf req = STRBUF_INIT;
	struct variant *v;
	int err;

	err = space_point_format(s->space, idx, &req);
	if (err) {
		strbuf_release(&req);
		return sw_oom(s);
	}
	v = sw_find_variant(s, req.buf, NULL);
	err = v ? 0 : resolve_point(s, idx, req.buf, &v);
	strbuf_release(&req);
	if (err)
		return err;
	if (sw_finished(v->status)) {
		s->prog.handled++;
		s->prog.replayed++;
		return sw_tell(s, idx, v);
	}
	err = sw_add_waiter(s, v, idx);
	if (err || v->running)
		return err;
	s->started++;
	return sw_run_job_for(s, v);
}

static bool budget_left(struct sweep *s)
{
	const struct space *sp = s->space;

	if (sp->max_evaluations && s->started >= sp->max_evaluations)
		s->budget_spent = true;
	if (sp->max_seconds && (uint64_t)((spawn_now_ns() - s->prog.start_ns) /
					  1000000000LL) >= sp->max_seconds)
		s->budget_spent = true;
	return !s->budget_spent;
}

/* Propose points while there is room for another build. */
int sw_fill(struct sweep *s)
{
	size_t *idx = calloc(s->space->n_options, sizeof(*idx));
	int r = 0;

	if (!idx)
		return sw_oom(s);
	while (!sw_interrupted() && !s->exhausted && budget_left(s) &&
	       sw_running_builds(s) < s->o->jobs) {
		r = strategy_next(s->strat, idx);
		if (r == -EAGAIN) {
			r = 0;
			break;
		}
		if (r < 0) {
			sw_say(s, "error: the strategy failed: %s", strerror(-r));
			break;
		}
		if (r == 0) {
			s->exhausted = true;
			break;
		}
		r = handle_point(s, idx);
		if (r)
			break;
		progress_draw(&s->prog, false);
	}
	free(idx);
	return r;
}

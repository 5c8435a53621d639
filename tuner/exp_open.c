/* SPDX-License-Identifier: BSD-3-Clause */
#include "exp_open.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "paths.h"
#include "strbuf.h"
#include "why.h"


int exp_open_db(const char *prog, const char *db, struct store **st)
{
	int e;

	*st = NULL;
	/* Checked first for the message's sake: a reader never creates. */
	if (access(db, F_OK)) {
		fprintf(stderr,
			"%s: error: no results database at %s (unitune tune "
			"writes one; or pass --db PATH)\n",
			prog, db);
		return EXP_EXIT_FAIL;
	}
	e = store_open_readonly(db, st);
	if (e) {
		fprintf(stderr, "%s: error: %s\n", prog, store_errmsg(*st));
		store_close(*st);
		*st = NULL;
		return EXP_EXIT_FAIL;
	}
	return 0;
}

static int name_cb(void *ctx, const struct store_experiment *e)
{
	struct strbuf *sb = ctx;

	return strbuf_addf(sb, "%s%s", sb->len ? ", " : "", e->name);
}

static int unknown(struct exp_open *o, const char *prog, const char *db,
		   const char *name, bool trace_too)
{
	struct strbuf names = STRBUF_INIT;

	if (trace_too)
		fprintf(stderr,
			"%s: error: no trace file '%s' and no experiment '%s' "
			"in %s\n",
			prog, name, name, db);
	else
		fprintf(stderr, "%s: error: no experiment '%s' in %s\n", prog,
			name, db);
	if (o->st) {
		store_experiments(o->st, name_cb, &names);
		if (names.len)
			fprintf(stderr, "%s: known experiments: %s\n", prog,
				names.buf);
		else
			fprintf(stderr, "%s: %s holds no experiments\n", prog,
				db);
	}
	strbuf_release(&names);
	/* Neither is also a missing trace, whose status is the trace
	 * report's (and diff's). */
	return trace_too ? EXP_EXIT_FAIL : EXP_EXIT_UNKNOWN;
}

int exp_open(struct exp_open *o, const char *prog, const char *db,
	     const char *name, bool trace_too)
{
	struct strbuf err = STRBUF_INIT;
	char root[PATH_MAX], unikernel[PATH_MAX + 16], why[UNITUNE_WHY_MAX];
	int e, status = EXP_EXIT_FAIL;

	memset(o, 0, sizeof(*o));
	if (access(db, F_OK)) {
		if (trace_too)
			return unknown(o, prog, db, name, trace_too);
		fprintf(stderr,
			"%s: error: no experiment '%s': no results database "
			"at %s (pass --db PATH)\n",
			prog, name, db);
		return EXP_EXIT_UNKNOWN;
	}
	if (exp_open_db(prog, db, &o->st))
		return EXP_EXIT_FAIL;
	e = store_experiment_find(o->st, name, &o->id);
	if (e == -ENOENT)
		return unknown(o, prog, db, name, trace_too);
	if (!e)
		e = store_experiment_get(o->st, o->id, &o->exp);
	if (e) {
		fprintf(stderr, "%s: error: %s\n", prog, store_errmsg(o->st));
		goto out;
	}
	e = paths_root(root, sizeof(root));
	if (e) {
		fprintf(stderr, "%s: error: cannot find the Unitune tree: %s\n",
			prog, strerror(-e));
		goto out;
	}
	snprintf(unikernel, sizeof(unikernel), "%s/unikernel", root);
	e = kconfig_load(unikernel, BUILD_KCONFIG_ROOT, "", &o->kc, &err);
	if (e) {
		fprintf(stderr, "%s: error: cannot read the Kconfig tree in "
			"%s:\n%s\n", prog, unikernel, err.buf ? err.buf : "");
		goto out;
	}
	strbuf_release(&err);
	e = space_load_text(o->exp.space_text, strlen(o->exp.space_text),
			    o->exp.space_path, o->kc, &o->space, why,
			    sizeof(why));
	if (e) {
		fprintf(stderr,
			"%s: error: the stored space of '%s' no longer loads "
			"against this tree's Kconfig: %s\n",
			prog, name, why);
		goto out;
	}
	status = 0;
out:
	strbuf_release(&err);
	return status;
}

int exp_open_table(struct exp_open *o, const char *prog, const char *db,
		   const char *name)
{
	int status = exp_open(o, prog, db, name, false);

	if (status)
		return status;
	if (analysis_load(o->st, o->id, o->space, &o->table)) {
		fprintf(stderr, "%s: error: %s\n", prog, store_errmsg(o->st));
		return EXP_EXIT_FAIL;
	}
	return 0;
}

void exp_open_close(struct exp_open *o)
{
	analysis_free(o->table);
	space_free(o->space);
	kconfig_free(o->kc);
	store_experiment_release(&o->exp);
	store_close(o->st);
	memset(o, 0, sizeof(*o));
}

int64_t exp_failed_count(const struct store_experiment *e)
{
	int64_t n = 0;
	int s;

	for (s = STORE_BUILD_FAILED; s < STORE_STATUS_COUNT; s++)
		n += e->counts[s];
	return n;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The nightly history's writes and reads (tuner/store_history.h; the
 * tables are migration 7 of schema.sql). A series is read with two
 * statements in the same history order, the commits then their samples,
 * and merged by commit id.
 */
#include "store_history.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "store_int.h"

static const char *const phase_names[] = {
	[HISTORY_NIGHTLY] = "nightly",
	[HISTORY_CONFIRM] = "confirm",
	[HISTORY_BISECT] = "bisect",
};

const char *history_phase_name(enum history_phase p)
{
	return (unsigned)p <= HISTORY_BISECT ? phase_names[p] : NULL;
}

static int phase_parse(const char *name, enum history_phase *out)
{
	int i;

	for (i = 0; name && i <= HISTORY_BISECT; i++)
		if (!strcmp(name, phase_names[i])) {
			*out = (enum history_phase)i;
			return 0;
		}
	return -EINVAL;
}

/* Each field with its terminating NUL, so no two lists of fields hash
 * the same ("a" "bc" against "ab" "c"). */
void history_fingerprint(struct history_env *e)
{
	const char *f[] = { e->host, e->cpu_model, e->qemu_version,
			    e->accelerator };
	struct sha256_ctx c;
	size_t i;

	sha256_init(&c);
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		sha256_update(&c, strlen(f[i] ? f[i] : "") + 1,
			      (const uint8_t *)(f[i] ? f[i] : ""));
	digest_sha256_finish_hex(&c, e->fingerprint);
}

int store_history_env_put(struct store *st, const struct history_env *e)
{
	struct history_env check;

	if (!store_ready(st))
		return -EINVAL;
	if (!e->host || !e->cpu_model || !e->qemu_version || !e->accelerator ||
	    !*e->accelerator)
		return store_fail(st, -EINVAL, "history environment needs its "
				  "host, CPU model, QEMU version and "
				  "accelerator");
	check = *e;
	history_fingerprint(&check);
	if (strcmp(check.fingerprint, e->fingerprint))
		return store_fail(st, -EINVAL, "history environment: "
				  "fingerprint '%.64s' is not the one of its "
				  "fields (history_fingerprint)",
				  e->fingerprint);
	return store_exec_tx(st, "add history environment",
			     "INSERT INTO history_envs (fingerprint, host, "
			     "cpu_model, qemu_version, accelerator) VALUES "
			     "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (fingerprint) "
			     "DO NOTHING", "ttttt", e->fingerprint, e->host,
			     e->cpu_model, e->qemu_version, e->accelerator);
}

int store_history_suite_put(struct store *st, const char *suite,
			    const char *text, char sha256[65])
{
	char hex[DIGEST_SHA256_HEX + 1];
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!suite || !*suite || !text)
		return store_fail(st, -EINVAL, "history suite needs a name and "
				  "its text");
	digest_sha256_hex(text, strlen(text), hex);
	rc = store_exec_tx(st, "add history suite",
			   "INSERT INTO history_suites (suite, text_sha256, "
			   "text) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
			   "ttt", suite, hex, text);
	if (!rc && sha256)
		memcpy(sha256, hex, sizeof(hex));
	return rc;
}

/* A full SHA-1 in lowercase hex. */
static bool commit_valid(const char *c)
{
	size_t i;

	for (i = 0; c && i < 40; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'f')))
			return false;
	return c && !c[40];
}

static bool key_valid(const char *fingerprint, const char *suite,
		      const char *benchmark, const char *commit)
{
	return fingerprint && suite && *suite && benchmark && *benchmark &&
	       commit_valid(commit);
}

int store_history_commit_put(struct store *st, const struct history_commit *c)
{
	const char *status = store_status_name(c->status);

	if (!store_ready(st))
		return -EINVAL;
	if (!key_valid(c->fingerprint, c->suite, c->benchmark, c->commit) ||
	    !c->subject || !status)
		return store_fail(st, -EINVAL, "history commit needs a "
				  "fingerprint, suite, benchmark, a full hex "
				  "commit, a subject and a status");
	/* An update keeps the row's id: the commit's first-insertion
	 * order. */
	return store_exec_tx(st, "add history commit",
			     "INSERT INTO history_commits (fingerprint, suite, "
			     "benchmark, git_commit, commit_time, subject, "
			     "status, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
			     "?7, ?8) ON CONFLICT (fingerprint, suite, "
			     "benchmark, git_commit) DO UPDATE SET "
			     "commit_time = excluded.commit_time, subject = "
			     "excluded.subject, status = excluded.status, "
			     "reason = excluded.reason, updated = "
			     "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
			     "ttttitt" "t", c->fingerprint, c->suite,
			     c->benchmark, c->commit, c->commit_time,
			     c->subject, status, c->reason ? c->reason : "");
}

static int id_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	(void)st;
	*(int64_t *)ctx = sqlite3_column_int64(row, 0);
	return 0;
}

/* The commit row must exist: a clear message rather than the foreign
 * key's. */
static int commit_exists(struct store *st, const char *fingerprint,
			 const char *suite, const char *benchmark,
			 const char *commit)
{
	int64_t id = 0;
	struct store_rows rows = { .fn = id_row, .ctx = &id };
	int rc;

	rc = store_exec(st, "find history commit", &rows,
			"SELECT id FROM history_commits WHERE fingerprint = ?1 "
			"AND suite = ?2 AND benchmark = ?3 AND git_commit = ?4",
			"tttt", fingerprint, suite, benchmark, commit);
	if (!rc && !rows.n)
		rc = store_fail(st, -ENOENT, "no history of commit %.40s for "
				"benchmark %s of suite %s in this environment "
				"(store_history_commit_put first)", commit,
				benchmark, suite);
	return rc;
}

struct sample_key {
	const char *fingerprint, *suite, *benchmark, *commit;
	enum history_phase phase;
};

static int add_sample(struct store *st, const struct sample_key *k,
		      const struct history_sample *s)
{
	const char *kind = store_kind_name(s->kind);

	if (!s->metric || !*s->metric || !s->unit || !kind ||
	    !isfinite(s->value))
		return store_fail(st, -EINVAL, "history sample needs a metric, "
				  "a unit, a kind and a finite value");
	/* The next repetition of this metric, in the same statement. */
	return store_exec(st, "add history sample", NULL,
			  "INSERT INTO history_samples (fingerprint, suite, "
			  "benchmark, git_commit, metric, repetition, value, "
			  "unit, kind, phase) SELECT ?1, ?2, ?3, ?4, ?5, "
			  "coalesce(max(repetition) + 1, 0), ?6, ?7, ?8, ?9 "
			  "FROM history_samples WHERE fingerprint = ?1 AND "
			  "suite = ?2 AND benchmark = ?3 AND metric = ?5 AND "
			  "git_commit = ?4", "tttttdttt", k->fingerprint,
			  k->suite, k->benchmark, k->commit, s->metric,
			  s->value, s->unit, kind, history_phase_name(k->phase));
}

int store_history_add(struct store *st, const char *fingerprint,
		      const char *suite, const char *benchmark,
		      const char *commit, enum history_phase phase,
		      const struct history_sample *s, size_t n)
{
	const struct sample_key k = {
		.fingerprint = fingerprint, .suite = suite,
		.benchmark = benchmark, .commit = commit, .phase = phase,
	};
	size_t i;
	int rc;

	if (!store_ready(st))
		return -EINVAL;
	if (!key_valid(fingerprint, suite, benchmark, commit) ||
	    !history_phase_name(phase) || (n && !s))
		return store_fail(st, -EINVAL, "history samples need a "
				  "fingerprint, suite, benchmark, a full hex "
				  "commit and a phase");
	rc = store_tx_begin(st);
	if (rc)
		return rc;
	rc = commit_exists(st, fingerprint, suite, benchmark, commit);
	for (i = 0; !rc && i < n; i++)
		rc = add_sample(st, &k, &s[i]);
	return store_tx_end(st, rc);
}

/* --- a series ----------------------------------------------------------- */

struct series_read {
	struct history_series *out;
	int64_t *ids;		/* each point's commit row */
	size_t cap;
	size_t at;		/* the point samples are being added to */
	int64_t newest;		/* the newest sample's id: unit and kind */
};

static int point_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct series_read *r = ctx;
	struct history_series *s = r->out;
	struct history_point *p;
	const char *commit = (const char *)sqlite3_column_text(row, 1);
	bool oom = false;
	int rc;

	if (s->n == r->cap) {
		size_t c = r->cap ? 2 * r->cap : 16;
		struct history_point *np = realloc(s->points, c * sizeof(*np));
		int64_t *ni;

		if (!np)
			return -ENOMEM;
		s->points = np;
		ni = realloc(r->ids, c * sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		r->ids = ni;
		r->cap = c;
	}
	p = &s->points[s->n];
	memset(p, 0, sizeof(*p));
	r->ids[s->n] = sqlite3_column_int64(row, 0);
	snprintf(p->commit, sizeof(p->commit), "%s", commit ? commit : "");
	p->commit_time = sqlite3_column_int64(row, 2);
	p->subject = store_column_dup(row, 3, &oom);
	p->reason = store_column_dup(row, 5, &oom);
	s->n++;		/* counted now: freed with the series */
	if (oom)
		return -ENOMEM;
	rc = store_column_status(st, row, 4, &p->status);
	return rc;
}

static int sample_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct series_read *r = ctx;
	struct history_series *s = r->out;
	int64_t cid = sqlite3_column_int64(row, 0), sid;
	struct history_point *p;
	double *v;
	enum history_phase *ph;
	bool oom = false;

	/* Both statements walk the commits in the same order. */
	while (r->at < s->n && r->ids[r->at] != cid)
		r->at++;
	if (r->at == s->n)
		return store_fail(st, STORE_ESQL, "history samples out of "
				  "order");
	p = &s->points[r->at];
	v = realloc(p->values, (p->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->values = v;
	ph = realloc(p->phases, (p->n + 1) * sizeof(*ph));
	if (!ph)
		return -ENOMEM;
	p->phases = ph;
	p->values[p->n] = sqlite3_column_double(row, 1);
	if (phase_parse((const char *)sqlite3_column_text(row, 2),
			&p->phases[p->n]))
		return store_fail(st, STORE_ESQL, "bad phase in database");
	p->n++;
	sid = sqlite3_column_int64(row, 5);
	if (sid > r->newest) {
		r->newest = sid;
		free(s->unit);
		s->unit = store_column_dup(row, 3, &oom);
		if (oom || !s->unit)
			return -ENOMEM;
		if (store_kind_parse((const char *)sqlite3_column_text(row, 4),
				     &s->kind))
			return store_fail(st, STORE_ESQL, "bad kind in "
					  "database");
	}
	return 0;
}

int store_history_series(struct store *st, const char *fingerprint,
			 const char *suite, const char *benchmark,
			 const char *metric, struct history_series *out)
{
	struct series_read r = { .out = out };
	struct store_rows points = { .fn = point_row, .ctx = &r };
	struct store_rows samples = { .fn = sample_row, .ctx = &r };
	int rc;

	memset(out, 0, sizeof(*out));
	if (!store_ready(st))
		return -EINVAL;
	if (!fingerprint || !suite || !benchmark || !metric)
		return store_fail(st, -EINVAL, "bad history query");
	rc = store_exec(st, "read history commits", &points,
			"SELECT id, git_commit, commit_time, subject, status, "
			"reason FROM history_commits WHERE fingerprint = ?1 "
			"AND suite = ?2 AND benchmark = ?3 ORDER BY "
			"commit_time, id", "ttt", fingerprint, suite,
			benchmark);
	if (!rc)
		rc = store_exec(st, "read history samples", &samples,
				"SELECT c.id, s.value, s.phase, s.unit, "
				"s.kind, s.id FROM history_samples s JOIN "
				"history_commits c USING (fingerprint, suite, "
				"benchmark, git_commit) WHERE s.fingerprint = "
				"?1 AND s.suite = ?2 AND s.benchmark = ?3 AND "
				"s.metric = ?4 ORDER BY c.commit_time, c.id, "
				"s.repetition",
				"tttt", fingerprint, suite, benchmark, metric);
	if (!rc && !out->unit && !(out->unit = strdup("")))
		rc = -ENOMEM;
	free(r.ids);
	if (rc == -ENOMEM)
		store_fail(st, rc, "read history: out of memory");
	if (rc)
		history_series_free(out);
	return rc;
}

void history_series_free(struct history_series *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->points[i].subject);
		free(s->points[i].reason);
		free(s->points[i].values);
		free(s->points[i].phases);
	}
	free(s->points);
	free(s->unit);
	memset(s, 0, sizeof(*s));
}

/* --- the metrics of a suite --------------------------------------------- */

struct metric_list {
	history_metric_cb cb;
	void *ctx;
};

static int metric_row(struct store *st, sqlite3_stmt *row, void *ctx)
{
	struct metric_list *l = ctx;
	enum store_kind kind;

	if (store_kind_parse((const char *)sqlite3_column_text(row, 3), &kind))
		return store_fail(st, STORE_ESQL, "bad kind in database");
	return l->cb(l->ctx, (const char *)sqlite3_column_text(row, 0),
		     (const char *)sqlite3_column_text(row, 1),
		     (const char *)sqlite3_column_text(row, 2), kind);
}

int store_history_metrics(struct store *st, const char *fingerprint,
			  const char *suite, history_metric_cb cb, void *ctx)
{
	struct metric_list l = { .cb = cb, .ctx = ctx };
	struct store_rows rows = { .fn = metric_row, .ctx = &l };

	if (!store_ready(st))
		return -EINVAL;
	if (!fingerprint || !suite || !cb)
		return store_fail(st, -EINVAL, "bad history query");
	/* The unit and kind of each one's newest sample (SQLite takes the
	 * bare columns from the row of max()). */
	return store_exec(st, "read history metrics", &rows,
			  "SELECT benchmark, metric, unit, kind, max(id) "
			  "FROM history_samples WHERE fingerprint = ?1 AND "
			  "suite = ?2 GROUP BY benchmark, metric ORDER BY "
			  "benchmark, metric", "tt", fingerprint, suite);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The experiment report's convergence plot: the best primary objective
 * so far against evaluations (distinct variants in the order the search
 * proposed them, from the store's points), one line per experiment in
 * the database that searched the same options with the same primary
 * objective, so strategies can be compared on one space.
 */
#include "exp_report_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "why.h"

struct id_list {
	int64_t *v;
	size_t n, cap;
};

/* Each variant once, at the first point that resolved to it. */
static int point_cb(void *ctx, const struct store_point *p)
{
	struct id_list *l = ctx;
	int64_t *nv;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == p->variant_id)
			return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		nv = realloc(l->v, l->cap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		l->v = nv;
	}
	l->v[l->n++] = p->variant_id;
	return 0;
}

/* One block: evaluation and best so far, from the first success on.
 * 0 when there is nothing to draw, 1 when a block was written, or a
 * negative error. */
static int convergence_block(struct report_ctx *c, FILE *f, int64_t exp,
			     const struct analysis_table *t, const char *title)
{
	struct id_list ids = { 0 };
	double *best = NULL;
	size_t k;
	int e, drawn = 0;
	char num[64];

	e = store_points(c->st, exp, point_cb, &ids);
	if (e > 0 || e == -ENOMEM)
		e = -ENOMEM;
	else if (e)
		e = -EIO;
	if (!e && ids.n && !(best = malloc(ids.n * sizeof(*best))))
		e = -ENOMEM;
	if (!e && ids.n) {
		analysis_best_so_far(t, ids.v, ids.n, best);
		fprintf(f, "# %s\n# evaluation best\n", title);
		for (k = 0; k < ids.n; k++) {
			if (isnan(best[k]))
				continue;
			snprintf(num, sizeof(num), "%.15g", best[k]);
			fprintf(f, "%zu %s\n", k + 1, num);
			drawn = 1;
			if (k + 1 > c->convergence_evals)
				c->convergence_evals = k + 1;
		}
		fprintf(f, "\n\n");
	}
	free(best);
	free(ids.v);
	return e ? e : drawn;
}

/* Do a and b vary the same options over the same values, with the same
 * primary objective? Then their searches can be compared. */
static bool same_search(const struct space *a, const struct space *b)
{
	size_t i, j;

	if (a->n_options != b->n_options ||
	    strcmp(a->objectives[0].metric, b->objectives[0].metric) ||
	    a->objectives[0].goal != b->objectives[0].goal)
		return false;
	for (i = 0; i < a->n_options; i++) {
		const struct space_option *x = &a->options[i];
		const struct space_option *y = &b->options[i];

		if (strcmp(x->symbol, y->symbol) || x->kind != y->kind ||
		    x->n_values != y->n_values)
			return false;
		for (j = 0; j < x->n_values; j++)
			if (strcmp(x->values[j], y->values[j]))
				return false;
	}
	return true;
}

static void strategy_title(const struct space *s, const char *name,
			   bool own, char *buf, size_t len)
{
	char seed[48] = "";

	if (s->has_seed)
		snprintf(seed, sizeof(seed), ", seed %llu",
			 (unsigned long long)s->seed);
	snprintf(buf, len, "%s%s: %s%s", space_strategy_name(s->strategy),
		 seed, name, own ? " (this experiment)" : "");
}

struct other_exps {
	int64_t own;
	int64_t ids[REPORT_PALETTE - 1];
	size_t n;
};

static int other_cb(void *ctx, const struct store_experiment *e)
{
	struct other_exps *o = ctx;

	if (e->id != o->own && o->n < REPORT_PALETTE - 1)
		o->ids[o->n++] = e->id;
	return 0;
}

/* Another experiment's block, when it searched the same space. */
static int other_block(struct report_ctx *c, FILE *f, int64_t id,
		       struct strbuf *titles)
{
	struct store_experiment e = { 0 };
	struct analysis_table *t = NULL;
	struct space *s = NULL;
	char title[512], why[UNITUNE_WHY_MAX];
	int r = 0;

	if (store_experiment_get(c->st, id, &e) ||
	    space_load_text(e.space_text, strlen(e.space_text), e.space_path,
			    c->kc, &s, why, sizeof(why)) ||
	    !same_search(c->s, s) || analysis_load(c->st, id, s, &t))
		goto out; /* not comparable: left out */
	strategy_title(s, e.name, false, title, sizeof(title));
	r = convergence_block(c, f, id, t, title);
	if (r == 1 && (strbuf_adds(titles, title) || strbuf_addc(titles, '\n')))
		r = -ENOMEM;
out:
	analysis_free(t);
	space_free(s);
	store_experiment_release(&e);
	return r;
}

static void convergence_script(FILE *f, struct report_ctx *c)
{
	const struct analysis_table *t = c->t;
	const char *p, *nl;
	char label[512];
	size_t k, step, base;

	snprintf(label, sizeof(label), "Best %s so far (%s), per strategy",
		 t->metrics[t->obj[0]], space_goal_name(c->s->objectives[0].goal));
	report_set_text(f, "title", label);
	report_set_axis(f, "ylabel", t, t->obj[0]);
	report_set_text(f, "xlabel",
		 "evaluations (distinct variants, in the order proposed)");
	/* Whole evaluations only, at most about ten tics: 1, 2, 5, 10... */
	for (base = 1; base * 10 < c->convergence_evals; base *= 10)
		;
	/* base*10 >= evals > base: a step of base/5, base/2 or base. */
	step = base >= 5 && base / 5 * 10 >= c->convergence_evals ? base / 5
	       : base >= 2 && base / 2 * 10 >= c->convergence_evals ? base / 2
	       : base;
	fprintf(f, "set grid\nset key below vertical\n"
		"set xtics %zu\nset xrange [0.5:%zu.5]\n"
		"set offsets 0, 0, graph 0.05, graph 0.05\nplot ",
		step, c->convergence_evals);
	/* The others first, this experiment's line last, on top. */
	nl = strchr(c->convergence_lines.buf, '\n');
	for (p = nl + 1, k = 1; *p; p = nl + 1, k++) {
		nl = strchr(p, '\n');
		fprintf(f, "'convergence.dat' index %zu using 1:2 with steps "
			"lw 2 lc rgb '#%06x' title ", k, report_colour(k));
		snprintf(label, sizeof(label), "%.*s", (int)(nl - p), p);
		gnuplot_quote(f, label);
		fprintf(f, ", \\\n     ");
	}
	p = c->convergence_lines.buf;
	nl = strchr(p, '\n');
	fprintf(f, "'convergence.dat' index 0 using 1:2 with steps lw 3 "
		"lc rgb '#%06x' title ", report_colour(0));
	snprintf(label, sizeof(label), "%.*s", (int)(nl - p), p);
	gnuplot_quote(f, label);
	fprintf(f, "\n");
}

int report_plot_convergence(struct report_ctx *c)
{
	struct other_exps others = { .own = c->exp_id };
	struct strbuf *titles = &c->convergence_lines;
	char title[512];
	size_t i;
	FILE *f;
	int r;

	f = report_open_data(c, "convergence",
			     "# Best-so-far of %s against evaluations: one "
			     "block per\n# experiment over the same space, "
			     "this one first.\n",
			     c->t->metrics[c->t->obj[0]]);
	if (!f)
		return -errno;
	strategy_title(c->s, c->exp.name, true, title, sizeof(title));
	r = convergence_block(c, f, c->exp_id, c->t, title);
	if (r == 1 && (strbuf_adds(titles, title) || strbuf_addc(titles, '\n')))
		r = -ENOMEM;
	if (r == 1 && store_experiments(c->st, other_cb, &others))
		r = -EIO;
	for (i = 0; r == 1 && i < others.n; i++) {
		r = other_block(c, f, others.ids[i], titles);
		r = r < 0 ? r : 1;
	}
	if (r < 0) {
		report_close(f);
		return r;
	}
	if (!titles->len)
		fprintf(f, "# (no variant succeeded yet: nothing to plot)\n");
	r = report_close(f);
	if (r || !titles->len)
		return r;
	c->have_convergence = true;
	f = report_open_script(c, "convergence", REPORT_PLOT_WIDTH, 480);
	if (!f)
		return -errno;
	convergence_script(f, c);
	return report_close(f);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Results as the Prometheus metrics every Unitune job pushes (see
 * prom_results.h). Families are written one after another, each with a
 * sample per measured result, as the text format wants them grouped.
 */
#include "prom_results.h"

#include <errno.h>
#include <stdio.h>

/* One statistic of a result, and its family. */
struct stat_family {
	const char *name;
	const char *help;
	double (*get)(const struct prom_result *r);
};

static double get_mean(const struct prom_result *r) { return r->mean; }
static double get_min(const struct prom_result *r) { return r->min; }
static double get_max(const struct prom_result *r) { return r->max; }
static double get_stddev(const struct prom_result *r) { return r->stddev; }
static double get_n(const struct prom_result *r) { return r->n; }
static double get_median(const struct prom_result *r) { return r->median; }

static const struct stat_family stats[] = {
	{ "unitune_result_mean", "A measured metric: the mean over its "
	  "repetitions (label metric names it, unit its unit).", get_mean },
	{ "unitune_result_min", "A measured metric: its smallest repetition.",
	  get_min },
	{ "unitune_result_max", "A measured metric: its largest repetition.",
	  get_max },
	{ "unitune_result_stddev", "A measured metric: the sample standard "
	  "deviation of its repetitions (0 for one).", get_stddev },
	{ "unitune_result_median", "A measured metric: the median over its "
	  "repetitions, the value Unitune ranks and reports.", get_median },
	{ "unitune_result_repetitions", "A measured metric: how many "
	  "repetitions were measured.", get_n },
};

/* Every result named; true when at least one was measured. */
static int check_results(const struct prom_result_set *s, bool *measured,
			 char *why, size_t why_len)
{
	size_t i;

	*measured = false;
	for (i = 0; i < s->n; i++) {
		if (!s->results[i].metric || !*s->results[i].metric) {
			snprintf(why, why_len, "result %zu: no metric name", i);
			return -EINVAL;
		}
		*measured = *measured || s->results[i].n;
	}
	return 0;
}

static int write_stat(struct prom *w, const struct stat_family *f,
		      const struct prom_result_set *s, char *why,
		      size_t why_len)
{
	bool counts = f->get == get_n;
	size_t i;
	int err;

	err = prom_family(w, f->name, "gauge", f->help, why, why_len);
	for (i = 0; i < s->n && !err; i++) {
		const struct prom_result *r = &s->results[i];
		struct prom_label l[] = {
			{ "metric", r->metric },
			{ "unit", r->unit ? r->unit : "" },
		};

		if (r->n)
			err = prom_sample(w, f->name, l, counts ? 1 : 2,
					  f->get(r), why, why_len);
	}
	return err;
}

static int write_outcome(struct prom *w, const struct prom_result_set *s,
			 char *why, size_t why_len)
{
	struct prom_label status = { "status", s->status };
	int err = 0;

	if (s->status) {
		err = prom_family(w, "unitune_status", "gauge", "The outcome: "
				  "1 for the status in label status.", why,
				  why_len);
		err = err ? err : prom_sample(w, "unitune_status", &status, 1,
					      1, why, why_len);
	}
	if (!err && s->rank) {
		err = prom_family(w, "unitune_rank", "gauge", "Place by the "
				  "objectives among the successful ones (1 is "
				  "the best).", why, why_len);
		err = err ? err : prom_sample(w, "unitune_rank", NULL, 0,
					      s->rank, why, why_len);
	}
	return err;
}

int prom_results_write(struct strbuf *out, const struct prom_result_set *s,
		       char *why, size_t why_len)
{
	struct prom w;
	size_t start = out->len, i;
	bool measured;
	int err;

	err = check_results(s, &measured, why, why_len);
	if (err)
		return err;
	prom_init(&w, out);
	for (i = 0; i < sizeof(stats) / sizeof(stats[0]) && measured && !err;
	     i++)
		err = write_stat(&w, &stats[i], s, why, why_len);
	err = err ? err : write_outcome(&w, s, why, why_len);
	prom_release(&w);
	if (err) {
		out->len = start;
		if (out->buf)
			out->buf[start] = '\0';
		if (err == -ENOMEM)
			snprintf(why, why_len, "out of memory");
	}
	return err;
}

int prom_results_push(struct push *p, const char *job,
		      const struct prom_label *group, size_t n_group,
		      const struct prom_result_set *s, char *why,
		      size_t why_len)
{
	struct strbuf text = STRBUF_INIT;
	int err;

	err = prom_results_write(&text, s, why, why_len);
	if (!err)
		err = push_put(p, job, group, n_group, text.buf ? text.buf : "",
			       text.len, why, why_len);
	strbuf_release(&text);
	return err;
}

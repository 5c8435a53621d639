/* SPDX-License-Identifier: BSD-3-Clause */
#include "coverage.h"

void coverage_get(const struct stream_info *in, const struct stream_stats *st,
		  struct coverage *c)
{
	uint64_t windows;

	*c = (struct coverage){ .requested_hz = in->sample_hz,
				.have_end = st->have_end,
				.drain_ms = in->drain_ms,
				.last_s = -1 };
	c->taken = st->have_end ? st->end_samples : st->samples;
	/* Samples lost with a full buffer took their counts with them; the
	 * end record has the guest's own total. */
	c->missed = st->have_end ? st->end_missed : st->missed;
	c->missed_known = in->version >= 2;
	windows = c->taken + c->missed;
	if (c->requested_hz && c->missed_known && windows)
		c->effective_hz = (double)c->requested_hz * (double)c->taken /
				  (double)windows;
	c->low_rate = c->effective_hz > 0 &&
		      c->effective_hz * 100 <
			      (double)c->requested_hz * COVERAGE_LOW_RATE_PERCENT;
	if (in->tsc_hz && st->records && st->last_tsc >= in->tsc_boot)
		c->last_s = (double)(st->last_tsc - in->tsc_boot) /
			    (double)in->tsc_hz;
}

void coverage_print_sampling(const struct coverage *c, const char *prefix,
			     FILE *out)
{
	if (!c->requested_hz)
		return;
	if (!c->missed_known) {
		fprintf(out, "%ssampling: requested %u Hz; effective rate "
			"unknown (a version 1 stream does not count missed "
			"windows)\n", prefix, c->requested_hz);
		return;
	}
	if (!c->taken && !c->missed) {
		fprintf(out, "%ssampling: requested %u Hz; no window passed\n",
			prefix, c->requested_hz);
		return;
	}
	fprintf(out, "%ssampling: requested %u Hz, effective %.0f Hz (%llu "
		"samples taken, %llu windows missed%s)\n",
		prefix, c->requested_hz, c->effective_hz,
		(unsigned long long)c->taken, (unsigned long long)c->missed,
		c->have_end ? "" : " before the trace ends");
	if (c->low_rate)
		fprintf(out, "%swarning: the sampler ran at %.0f%% of the "
			"requested rate: the guest could not take the timer "
			"interrupt in time (a busy or slow host, or interrupts "
			"off for long), so the profile has fewer samples than "
			"asked and none from those stretches; --deterministic "
			"does not depend on the host\n",
			prefix, c->effective_hz * 100 / c->requested_hz);
}

void coverage_print_end(const struct coverage *c, const char *prefix,
			FILE *out)
{
	if (c->have_end)
		return;
	fprintf(out, "%srun: no end record: the guest was stopped from outside "
		"(a timeout or a kill) or the trace is cut short; ", prefix);
	if (c->drain_ms)
		fprintf(out, "what it recorded after its last drain is "
			"missing, up to about %u ms (its drain period)",
			c->drain_ms);
	else
		fprintf(out, "what was still in its buffer is missing (no "
			"periodic drain: any amount)");
	if (c->last_s >= 0)
		fprintf(out, " after the last record, at %.6f s", c->last_s);
	fprintf(out, "\n");
}

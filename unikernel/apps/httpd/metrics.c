/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * GET /metrics. The page's own numbers (handler="page") count only page
 * answers: a scrape is counted under handler="metrics" and is not in the
 * latency histogram, so scraping does not disturb what it measures.
 */
#include "httpd.h"
#include "prom.h"
#include "stats.h"

static const char *const handler_labels[HANDLER_COUNT] = {
	[HANDLER_PAGE] = "handler=\"page\"",
	[HANDLER_METRICS] = "handler=\"metrics\"",
	[HANDLER_ERROR] = "handler=\"error\"",
};

static const char *const timeout_labels[TIMEOUT_COUNT] = {
	[TIMEOUT_IDLE] = "kind=\"idle\"",
	[TIMEOUT_REQUEST] = "kind=\"request\"",
	[TIMEOUT_WRITE] = "kind=\"write\"",
	[TIMEOUT_LINGER] = "kind=\"linger\"",
};

static void by_handler(struct textbuf *o, const char *name, const char *help,
		       const uint64_t *v)
{
	prom_family(o, name, "counter", help);
	for (int h = 0; h < HANDLER_COUNT; h++)
		prom_sample(o, name, handler_labels[h], v[h]);
}

static void render_errors(struct textbuf *o, const struct httpd_stats *st)
{
	static const int statuses[] = HTTPD_ERROR_STATUSES;
	/* status="NNN" */
	char label[16] = "status=\"NNN\"";

	prom_family(o, "httpd_errors_total", "counter",
		    "Error answers, by status (503: connections refused at "
		    "the connection limit).");
	for (int i = 0; i < HTTPD_NERROR_STATUSES; i++) {
		label[8] = (char)('0' + statuses[i] / 100);
		label[9] = (char)('0' + statuses[i] / 10 % 10);
		label[10] = (char)('0' + statuses[i] % 10);
		prom_sample(o, "httpd_errors_total", label, st->errors[i]);
	}
}

static void render_server(struct textbuf *o, const struct server *s)
{
	const struct httpd_stats *st = &s->stats;

	by_handler(o, "httpd_requests_total",
		   "Answers fully written, by handler (page, metrics, error).",
		   st->requests);
	by_handler(o, "httpd_request_bytes_total",
		   "Bytes of request heads answered, by handler.",
		   st->request_bytes);
	by_handler(o, "httpd_response_bytes_total",
		   "Bytes of answers fully written, by handler.",
		   st->response_bytes);
	prom_metric(o, "httpd_read_bytes_total", "counter",
	    "Every byte read from clients.", st->bytes_read);
	render_errors(o, st);
	prom_family(o, "httpd_timeouts_total", "counter",
		    "Connections whose deadline passed, by kind (idle and "
		    "request are answered 408).");
	for (int k = 0; k < TIMEOUT_COUNT; k++)
		prom_sample(o, "httpd_timeouts_total", timeout_labels[k],
			    st->timeouts[k]);
	prom_metric(o, "httpd_connections_open", "gauge", "Connections open.",
	    st->open_conns);
	prom_metric(o, "httpd_connections_max", "gauge",
	    "The connection limit (--max-conns).", s->cfg->max_conns);
	prom_metric(o, "httpd_connections_accepted_total", "counter",
	    "Connections accepted under the limit.", st->accepted);
	prom_metric(o, "httpd_connections_rejected_total", "counter",
	    "Connections over the limit, answered 503 and closed.",
	    st->rejected);
	prom_metric(o, "httpd_connections_reset_total", "counter",
	    "Connections closed by an error or a write timeout, with "
	    "answers unsent.", st->resets);
	prom_metric(o, "httpd_accept_errors_total", "counter",
	    "accept() failures other than EAGAIN.", st->accept_errors);
	prom_histogram_pow2(o, "httpd_request_latency_cycles",
			    "Page requests: TSC cycles from the read of the "
			    "request's first byte to the write of the "
			    "answer's last byte.",
			    st->lat_buckets, HTTPD_LAT_BUCKETS, HTTPD_LAT_LO,
			    st->lat_sum);
	prom_metric(o, "httpd_loop_busy_cycles_total", "counter",
	    "TSC cycles the event loop spent on its own work, from each "
	    "epoll_wait return to the next call (a scrape's own work is "
	    "added after its text is written).", st->busy_cycles);
	prom_metric(o, "httpd_loop_wakeups_total", "counter",
	    "epoll_wait returns (events, deadlines or interruptions).",
	    st->wakeups);
}

size_t metrics_render(const struct server *s, char *buf, size_t cap)
{
	struct textbuf o = { buf, 0, cap, false };

	render_server(&o, s);
	for (int i = 0; stats_providers[i]; i++)
		stats_providers[i]->render(&o);
	return o.full ? 0 : o.len;
}

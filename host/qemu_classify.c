/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How QEMU ended, as an outcome with a one-line reason: the classification
 * half of the boot mechanics (qemu.h). Pure: it reads QEMU's wait status,
 * the console and QEMU's stderr, nothing else.
 */
#include "qemu.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include <unitune/abi.h>

#include "console.h"
#include "count.h"
#include "exitcode.h"

/* QEMU's words when slirp cannot listen on a hostfwd rule's host port
 * (in use, or privileged), followed by the rule and a closing quote. */
#define QEMU_HOSTFWD_FAILED "Could not set up host forwarding rule '"

void qemu_set_reason(struct runner_result *r, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	/* The reason is printed on one line whatever the guest sent. */
	for (p = r->reason; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

static bool mem_has(const char *s, size_t len, const char *needle)
{
	return len && memmem(s, len, needle, strlen(needle)) != NULL;
}

/*
 * QEMU's first error line, without its "qemu-system-x86_64: " and
 * "error: " decorations. Warnings are skipped: they rarely explain a
 * failure.
 */
static bool first_error_line(const char *s, size_t len, const char **line,
			     size_t *line_len)
{
	size_t pos = 0, n;
	const char *l, *colon, *space;

	while (console_next_line(s, len, &pos, &l, &n)) {
		if (n && l[n - 1] == '\r')
			n--;
		if (!n || mem_has(l, n, "warning:"))
			continue;
		colon = memmem(l, n, ": ", 2);
		space = memchr(l, ' ', n);
		if (colon && (!space || colon < space) &&
		    mem_has(l, (size_t)(colon - l), "qemu")) {
			n -= (size_t)(colon + 2 - l);
			l = colon + 2;
		}
		if (n > 7 && !memcmp(l, "error: ", 7)) {
			l += 7;
			n -= 7;
		}
		*line = l;
		*line_len = n;
		return true;
	}
	return false;
}

/*
 * The host port of the forwarding rule QEMU could not set up, from its
 * "... rule 'tcp:ADDR:PORT-GADDR:GPORT'" message; 0 without one.
 */
static uint16_t hostfwd_failed_port(const char *s, size_t len)
{
	const char *rule, *end, *dash, *colon;
	uint64_t port;
	size_t used;

	rule = len ? memmem(s, len, QEMU_HOSTFWD_FAILED,
			    strlen(QEMU_HOSTFWD_FAILED)) : NULL;
	if (!rule)
		return 0;
	rule += strlen(QEMU_HOSTFWD_FAILED);
	end = memchr(rule, '\'', (size_t)(s + len - rule));
	dash = end ? memchr(rule, '-', (size_t)(end - rule)) : NULL;
	if (!dash)
		return 0;
	for (colon = dash; colon > rule && colon[-1] != ':'; colon--)
		;
	if (colon == rule ||
	    count_scan(colon, (size_t)(dash - colon), 65535, &port, &used) ||
	    colon + used != dash)
		return 0;
	return (uint16_t)port;
}

static void crash_reason(const char *console, size_t console_len,
			 const char *fallback, struct runner_result *r)
{
	const char *rest;
	size_t n;

	if (console_find_last(console, console_len, UNITUNE_MSG_CRASH, &rest,
			      &n) && n)
		qemu_set_reason(r, "%.*s", (int)n, rest);
	else
		qemu_set_reason(r, "%s", fallback);
}

/* The kind of crash the guest reported on its last status line. */
static int printed_crash_status(const char *console, size_t console_len)
{
	const char *rest;
	size_t n;
	int status;

	if (console_find_last(console, console_len, UNITUNE_MSG_CRASH_STATUS,
			      &rest, &n) &&
	    !console_parse_exit_status(rest, n, &status))
		return exitcode_crash_status(status);
	return exitcode_crash_status(-1);
}

void runner_classify(int wstatus, bool timed_out, int64_t timeout_ns,
		     const char *console, size_t console_len,
		     const char *qemu_stderr, size_t stderr_len,
		     struct runner_result *r)
{
	const char *line;
	size_t n;
	int code, status = -1;

	r->app_status = -1;
	r->crash_status = -1;
	r->publish_failed = 0;
	r->reason[0] = '\0';
	if (timed_out) {
		r->outcome = RUNNER_TIMEOUT;
		qemu_set_reason(r, "guest did not exit within %.3g s",
			   (double)timeout_ns / 1e9);
		return;
	}
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);

		r->outcome = RUNNER_QEMU_FAILED;
		if (first_error_line(qemu_stderr, stderr_len, &line, &n))
			qemu_set_reason(r, "%.*s (QEMU killed by signal %d, %s)",
				   (int)n, line, sig, strsignal(sig));
		else
			qemu_set_reason(r, "QEMU killed by signal %d (%s)", sig,
				   strsignal(sig));
		return;
	}
	code = WEXITSTATUS(wstatus);
	switch (exitcode_decode(code, &status)) {
	case EXITCODE_APP:
		r->outcome = RUNNER_EXITED;
		r->app_status = status;
		return;
	case EXITCODE_APP_WIDE:
		if (console_find_last(console, console_len, UNITUNE_MSG_EXIT,
				      &line, &n) &&
		    !console_parse_exit_status(line, n, &status)) {
			r->outcome = RUNNER_EXITED;
			r->app_status = status;
			return;
		}
		r->outcome = RUNNER_CRASHED;
		r->crash_status = UNITUNE_CRASH_PANIC;
		qemu_set_reason(r, "guest exited with code 0x%x but printed no "
			   "valid '" UNITUNE_MSG_EXIT "<status>' line",
			   UNITUNE_EXIT_WIDE);
		return;
	case EXITCODE_CRASH:
		r->outcome = RUNNER_CRASHED;
		r->crash_status = printed_crash_status(console, console_len);
		crash_reason(console, console_len,
			     "guest reported a crash but printed no reason",
			     r);
		return;
	case EXITCODE_RESET:
		/* QEMU also exits 0 when a SIGINT/SIGTERM/SIGHUP from someone
		 * else asks it to quit; it says so on stderr. */
		if (mem_has(qemu_stderr, stderr_len, "terminating on signal") &&
		    first_error_line(qemu_stderr, stderr_len, &line, &n)) {
			r->outcome = RUNNER_QEMU_FAILED;
			qemu_set_reason(r, "%.*s", (int)n, line);
			return;
		}
		r->outcome = RUNNER_CRASHED;
		r->crash_status = UNITUNE_CRASH_RESET;
		crash_reason(console, console_len, "guest reset (triple fault)",
			     r);
		return;
	case EXITCODE_QEMU_ERROR:
		r->outcome = RUNNER_QEMU_FAILED;
		/* Which port it was is the runner's to explain (runner.c). */
		r->publish_failed = hostfwd_failed_port(qemu_stderr,
							stderr_len);
		if (first_error_line(qemu_stderr, stderr_len, &line, &n))
			qemu_set_reason(r, "%.*s", (int)n, line);
		else
			qemu_set_reason(r, "QEMU exited with status 1 and no message");
		return;
	case EXITCODE_INVALID:
		break;
	}
	r->outcome = RUNNER_QEMU_FAILED;
	qemu_set_reason(r, "unexpected QEMU exit status %d", code);
}

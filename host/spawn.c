/* SPDX-License-Identifier: BSD-3-Clause */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"

#define DEFAULT_GRACE_NS 1000000000LL
/* Without a pidfd we can only learn of the exit by polling waitpid(). */
#define FALLBACK_TICK_MS 10

int64_t spawn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void spawn_sleep_ns(int64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000LL),
			       (long)(ns % 1000000000LL) };

	while (ns > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void spawn_describe(int wstatus, char *buf, size_t len)
{
	if (WIFEXITED(wstatus))
		snprintf(buf, len, "exited with status %d",
			 WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by signal %d (%s)",
			 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	else
		snprintf(buf, len, "stopped (wait status 0x%x)", wstatus);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Only async-signal-safe calls from here on in the child. */
static int child_redirect(int target, enum spawn_io how, int pipe_wr)
{
	int fd;

	switch (how) {
	case SPAWN_INHERIT:
		return 0;
	case SPAWN_DEVNULL:
		fd = open("/dev/null", target == 0 ? O_RDONLY : O_WRONLY);
		if (fd < 0)
			return -1;
		if (fd != target && (dup2(fd, target) < 0 || close(fd) < 0))
			return -1;
		return 0;
	case SPAWN_PIPE:
		return dup2(pipe_wr, target) < 0 ? -1 : 0;
	case SPAWN_STDERR:
		return dup2(2, target) < 0 ? -1 : 0;
	}
	return -1;
}

/* Give the child cfg->pass_fd as SPAWN_PASS_FD, moving the report pipe
 * out of the way first if it sits there. */
static int child_pass_fd(int fd, int *report_fd)
{
	int moved;

	if (!fd)
		return 0;
	if (*report_fd == SPAWN_PASS_FD) {
		moved = fcntl(*report_fd, F_DUPFD_CLOEXEC, SPAWN_PASS_FD + 1);
		if (moved < 0)
			return -1;
		*report_fd = moved;
	}
	if (fd == SPAWN_PASS_FD) /* dup2 would keep close-on-exec */
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, SPAWN_PASS_FD) < 0 ? -1 : 0;
}

static void child_setup(const struct spawn_cfg *cfg, int out_wr, int err_wr,
			int *report_fd, pid_t parent)
{
	sigset_t none;
	int e;

	/*
	 * A child must not outlive whoever waits for it: a killed sweep or
	 * runner would otherwise leave QEMU (whose guest may never stop) or
	 * make running unattended. The check closes the window where the
	 * parent died before prctl().
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);

	/* We may ignore SIGPIPE; a child expects the default. */
	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (child_redirect(0, cfg->in == SPAWN_DEVNULL ? SPAWN_DEVNULL :
			   SPAWN_INHERIT, -1) ||
	    child_redirect(1, cfg->out, out_wr) ||
	    child_redirect(2, cfg->err, err_wr) ||
	    (cfg->dir && chdir(cfg->dir) < 0) ||
	    child_pass_fd(cfg->pass_fd, report_fd)) {
		e = errno;
		if (write(*report_fd, &e, sizeof(e)) < 0) {
			/* nothing more we can do */
		}
		_exit(127);
	}
}

static int start(struct spawn *sp, const char *const argv[],
		 int (*fn)(void *), void *arg, const struct spawn_cfg *cfg)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	int child_errno = 0, ret = 0;
	ssize_t n;
	pid_t pid, parent;

	sp->pid = -1;
	sp->out_fd = sp->err_fd = sp->pid_fd = -1;
	if (cfg->pass_fd < 0 || (cfg->pass_fd > 0 && cfg->pass_fd <= 2))
		return -EINVAL;
	if ((cfg->out == SPAWN_PIPE && pipe2(out, O_CLOEXEC) < 0) ||
	    (cfg->err == SPAWN_PIPE && pipe2(err, O_CLOEXEC) < 0) ||
	    pipe2(rep, O_CLOEXEC) < 0) {
		ret = -errno;
		goto out;
	}
	/* Unflushed stdio data would otherwise be written twice. */
	fflush(NULL);
	sp->start_ns = spawn_now_ns();
	parent = getpid();
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out;
	}
	if (pid == 0) {
		close(rep[0]);
		child_setup(cfg, out[1], err[1], &rep[1], parent);
		if (fn) {
			close(rep[1]);
			_exit(fn(arg) & 0xff);
		}
		execvp(argv[0], (char *const *)argv);
		child_errno = errno;
		if (write(rep[1], &child_errno, sizeof(child_errno)) < 0) {
			/* the parent will see a plain exit 127 */
		}
		_exit(127);
	}
	sp->pid = pid;
	close_fd(&rep[1]);
	close_fd(&out[1]);
	close_fd(&err[1]);
	/* The report pipe closes on a successful exec (O_CLOEXEC), or
	 * carries the errno of whatever failed before it. */
	do
		n = read(rep[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_errno)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		sp->pid = -1;
		ret = child_errno ? -child_errno : -ECHILD;
		goto out;
	}
	sp->out_fd = out[0];
	sp->err_fd = err[0];
	out[0] = err[0] = -1;
#ifdef SYS_pidfd_open
	sp->pid_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (sp->pid_fd >= 0)
		fcntl(sp->pid_fd, F_SETFD, FD_CLOEXEC);
	else
		sp->pid_fd = -1;
#endif
out:
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	close_fd(&rep[0]);
	close_fd(&rep[1]);
	return ret;
}

int spawn_cmd(struct spawn *sp, const char *const argv[],
	      const struct spawn_cfg *cfg)
{
	if (!argv || !argv[0])
		return -EINVAL;
	return start(sp, argv, NULL, NULL, cfg);
}

int spawn_fn(struct spawn *sp, int (*fn)(void *arg), void *arg,
	     const struct spawn_cfg *cfg)
{
	if (!fn)
		return -EINVAL;
	return start(sp, NULL, fn, arg, cfg);
}

/*
 * Read what is available. Returns 1 at EOF (fd closed), 0 otherwise, or the
 * sink's negative result / -errno.
 */
static int pump(int *fd, spawn_sink sink, void *ctx, bool drain)
{
	char buf[65536];
	ssize_t n;
	int ret;

	for (;;) {
		n = read(*fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		if (n == 0) {
			close_fd(fd);
			return 1;
		}
		if (sink) {
			ret = sink(ctx, buf, (size_t)n);
			if (ret < 0)
				return ret;
		}
		/* In the main loop one read per poll keeps both pipes fair;
		 * after the exit, empty them. */
		if (!drain)
			return 0;
	}
}

static bool reap(struct spawn *sp, struct spawn_exit *ex, bool block)
{
	int st;
	pid_t r;

	do
		r = waitpid(sp->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r != sp->pid)
		return false;
	ex->wstatus = st;
	ex->elapsed_ns = spawn_now_ns() - sp->start_ns;
	sp->pid = -1;
	return true;
}

int spawn_wait(struct spawn *sp, const struct spawn_wait_cfg *wc,
	       struct spawn_exit *ex)
{
	int64_t grace = wc && wc->grace_ns > 0 ? wc->grace_ns : DEFAULT_GRACE_NS;
	int64_t deadline = 0;
	spawn_sink on_out = wc ? wc->on_out : NULL;
	spawn_sink on_err = wc ? wc->on_err : NULL;
	void *ctx = wc ? wc->ctx : NULL;
	int stage = 0, ret = 0, r;
	bool exited = false;

	memset(ex, 0, sizeof(*ex));
	if (sp->pid <= 0)
		return -ECHILD;
	if (wc && wc->timeout_ns > 0)
		deadline = sp->start_ns + wc->timeout_ns;
	while (!exited) {
		struct pollfd pfd[4];
		int nfd = 0, out_i = -1, err_i = -1, pid_i = -1, stop_i = -1;
		int ms = -1;
		int64_t now = spawn_now_ns();

		if (deadline && now >= deadline) {
			/* An exit right at the deadline is an exit, not a
			 * timeout. */
			if (reap(sp, ex, false)) {
				exited = true;
				continue;
			}
			if (stage == 0) {
				kill(sp->pid, SIGTERM);
				ex->timed_out = true;
				deadline = now + grace;
			} else {
				kill(sp->pid, SIGKILL);
				deadline = 0;
			}
			stage++;
			continue;
		}
		if (deadline) {
			int64_t left = (deadline - now + 999999) / 1000000;

			ms = left > INT_MAX ? INT_MAX : (int)left;
		}
		if (sp->pid_fd < 0 && (ms < 0 || ms > FALLBACK_TICK_MS))
			ms = FALLBACK_TICK_MS;
		if (sp->out_fd >= 0) {
			pfd[nfd] = (struct pollfd){ sp->out_fd, POLLIN, 0 };
			out_i = nfd++;
		}
		if (sp->err_fd >= 0) {
			pfd[nfd] = (struct pollfd){ sp->err_fd, POLLIN, 0 };
			err_i = nfd++;
		}
		if (sp->pid_fd >= 0) {
			pfd[nfd] = (struct pollfd){ sp->pid_fd, POLLIN, 0 };
			pid_i = nfd++;
		}
		if (stage == 0 && wc && wc->stop_fd > 0) {
			pfd[nfd] = (struct pollfd){ wc->stop_fd, POLLIN, 0 };
			stop_i = nfd++;
		}
		r = poll(pfd, (nfds_t)nfd, ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (out_i >= 0 && pfd[out_i].revents) {
			r = pump(&sp->out_fd, on_out, ctx, false);
			if (r < 0) {
				ret = r;
				goto out;
			}
		}
		if (err_i >= 0 && pfd[err_i].revents) {
			r = pump(&sp->err_fd, on_err, ctx, false);
			if (r < 0) {
				ret = r;
				goto out;
			}
		}
		if (pid_i < 0 || pfd[pid_i].revents)
			exited = reap(sp, ex, pid_i >= 0);
		if (!exited && stop_i >= 0 && pfd[stop_i].revents) {
			/* Asked to stop: as at a deadline, without calling
			 * it a timeout. */
			kill(sp->pid, SIGTERM);
			ex->stopped = true;
			deadline = spawn_now_ns() + grace;
			stage = 1;
		}
	}
	/* The child is gone; take what it left in the pipes without waiting
	 * for EOF, which a grandchild holding the pipe could delay. */
	if (sp->out_fd >= 0) {
		fcntl(sp->out_fd, F_SETFL, O_NONBLOCK);
		r = pump(&sp->out_fd, on_out, ctx, true);
		if (r < 0)
			ret = r;
	}
	if (sp->err_fd >= 0 && !ret) {
		fcntl(sp->err_fd, F_SETFL, O_NONBLOCK);
		r = pump(&sp->err_fd, on_err, ctx, true);
		if (r < 0)
			ret = r;
	}
out:
	if (sp->pid > 0) {
		kill(sp->pid, SIGKILL);
		reap(sp, ex, true);
	}
	close_fd(&sp->out_fd);
	close_fd(&sp->err_fd);
	close_fd(&sp->pid_fd);
	return ret;
}

int spawn_run(const char *const argv[], const struct spawn_cfg *cfg,
	      int *wstatus)
{
	struct spawn sp;
	struct spawn_exit ex;
	int err;

	err = spawn_cmd(&sp, argv, cfg);
	if (err)
		return err;
	err = spawn_wait(&sp, NULL, &ex);
	if (!err)
		*wstatus = ex.wstatus;
	return err;
}

void spawn_first_line(const char *const argv[], int64_t timeout_ns,
		      char *out, size_t len)
{
	const struct spawn_cfg cfg = { .in = SPAWN_DEVNULL, .out = SPAWN_PIPE,
				       .err = SPAWN_DEVNULL };
	struct strbuf sb = STRBUF_INIT;
	struct spawn_wait_cfg wc = { .timeout_ns = timeout_ns,
				     .on_out = strbuf_sink, .ctx = &sb };
	struct spawn sp;
	struct spawn_exit ex;

	out[0] = '\0';
	if (!spawn_cmd(&sp, argv, &cfg) && !spawn_wait(&sp, &wc, &ex) &&
	    !ex.timed_out && WIFEXITED(ex.wstatus) &&
	    !WEXITSTATUS(ex.wstatus) && sb.len)
		snprintf(out, len, "%.*s", (int)strcspn(sb.buf, "\n"), sb.buf);
	strbuf_release(&sb);
}

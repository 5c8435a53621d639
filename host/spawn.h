/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Child processes with optional output pipes, a deadline and escalation
 * from SIGTERM to SIGKILL. Everything the host tools start (QEMU, make,
 * the Kconfig parser child) goes through here so timeouts, exec failures
 * and reaping are handled once.
 *
 * The caller owns a struct spawn between spawn_cmd()/spawn_fn() and
 * spawn_wait(); spawn_wait() always reaps the child and closes the pipes,
 * even when it fails, so no zombie or descriptor is left behind.
 */
#ifndef UNITUNE_SPAWN_H
#define UNITUNE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum spawn_io {
	SPAWN_INHERIT,	/* the child shares our descriptor */
	SPAWN_DEVNULL,	/* /dev/null */
	SPAWN_PIPE,	/* a pipe read through spawn_wait() callbacks */
	SPAWN_STDERR,	/* our stderr (for stdout: keep stdout clean) */
};

struct spawn_cfg {
	enum spawn_io in;	/* SPAWN_INHERIT or SPAWN_DEVNULL */
	enum spawn_io out;
	enum spawn_io err;
	const char *dir;	/* chdir() in the child first, or NULL */
	int pass_fd;		/* > 2: the child gets this descriptor as
				 * SPAWN_PASS_FD (so it can name it by a path
				 * that never varies, /proc/self/fd/3); 0: none */
};

#define SPAWN_PASS_FD 3

struct spawn {
	pid_t pid;
	int out_fd;	/* -1 unless out == SPAWN_PIPE */
	int err_fd;	/* -1 unless err == SPAWN_PIPE */
	int pid_fd;	/* pidfd, or -1 where the kernel has none */
	int64_t start_ns;
};

/*
 * Start argv[0] (searched in PATH when it has no '/'). Returns 0, or the
 * negative errno of the failed exec (-ENOENT: not installed, -EACCES ...)
 * or of the failed setup (-EINVAL: pass_fd is 1 or 2, or negative); on
 * failure nothing is left running.
 */
int spawn_cmd(struct spawn *sp, const char *const argv[],
	      const struct spawn_cfg *cfg);

/*
 * Fork and run fn(arg) in the child, which then _exit()s with fn's return
 * value (so atexit handlers and sanitizer leak checks do not run there).
 * Used to isolate libraries with global state or exit() on error.
 */
int spawn_fn(struct spawn *sp, int (*fn)(void *arg), void *arg,
	     const struct spawn_cfg *cfg);

/* A callback returning a negative errno stops the wait: the child is
 * killed and spawn_wait() returns that value. */
typedef int (*spawn_sink)(void *ctx, const char *buf, size_t n);

struct spawn_wait_cfg {
	int64_t timeout_ns;	/* 0: wait forever */
	int64_t grace_ns;	/* SIGTERM to SIGKILL; 0: one second */
	spawn_sink on_out;	/* may be NULL: data is discarded */
	spawn_sink on_err;
	void *ctx;
	int stop_fd;		/* > 0: once readable, end the child as at the
				 * deadline (SIGTERM, then SIGKILL after
				 * grace_ns) and set spawn_exit.stopped;
				 * 0: none */
};

struct spawn_exit {
	int wstatus;		/* as from waitpid() */
	bool timed_out;		/* we sent SIGTERM (and maybe SIGKILL) */
	bool stopped;		/* the same, because stop_fd became readable */
	int64_t elapsed_ns;	/* from fork to the reaped exit */
};

int spawn_wait(struct spawn *sp, const struct spawn_wait_cfg *wc,
	       struct spawn_exit *ex);

/* Run to completion without a deadline; *wstatus as from waitpid(). */
int spawn_run(const char *const argv[], const struct spawn_cfg *cfg,
	      int *wstatus);

/*
 * The first line argv prints on stdout (without the newline) into out,
 * or "" when it cannot start, fails, prints nothing or runs past
 * timeout_ns: for version strings and the like.
 */
void spawn_first_line(const char *const argv[], int64_t timeout_ns,
		      char *out, size_t len);
/* CLOCK_MONOTONIC in nanoseconds. */
int64_t spawn_now_ns(void);

/* Sleep ns nanoseconds (nothing for ns <= 0), through signals. */
void spawn_sleep_ns(int64_t ns);

/* Describe a wait status: "exited with status 2", "killed by signal 9
 * (Killed)". */
void spawn_describe(int wstatus, char *buf, size_t len);

#endif

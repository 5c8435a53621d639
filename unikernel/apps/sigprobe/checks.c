/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Delivery checks: dispositions, siginfo, the mask, SA_RESETHAND,
 * SA_NODEFER, SIGPIPE, siglongjmp out of a handler, the alternate stack.
 * A handler can only talk to the code it interrupted through globals:
 * these are the `seen` record below, reset by each check.
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "checks.h"

static struct {
	volatile sig_atomic_t count, signo, info_signo, code, pid, depth, max_depth;
	volatile uintptr_t stack_addr;
	volatile int onstack;
} seen;
static sigjmp_buf jump_env;

int check(int ok, const char *name, const char *why)
{
	if (ok)
		printf("ok %s\n", name);
	else
		printf("FAIL %s: %s\n", name, why);
	return !ok;
}

void reset_signal(int sig)
{
	sigset_t s;

	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
}

int broken_socket(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    shutdown(fd, SHUT_WR)) {
		printf("sigprobe: cannot make a shut socket: %s\n", strerror(errno));
		return -1;
	}
	return fd;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	static const char msg[] = "sigprobe: in a handler\n";

	(void)uc;
	seen.count++;
	seen.signo = sig;
	seen.info_signo = si->si_signo;
	seen.code = si->si_code;
	seen.pid = si->si_pid;
	/* Async-signal-safe calls work inside. */
	if (write(1, msg, sizeof(msg) - 1) != sizeof(msg) - 1)
		seen.count = -100;
}

static void on_plain(int sig)
{
	seen.count++;
	seen.signo = sig;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	memset((void *)&seen, 0, sizeof(seen));
}

static int sigaction_round_trip(void)
{
	struct sigaction sa = { .sa_sigaction = on_info,
				.sa_flags = SA_SIGINFO | SA_RESTART }, old;
	int bad = 0;

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	bad |= sigaction(SIGUSR1, &sa, NULL) != 0;
	bad |= sigaction(SIGUSR1, NULL, &old) != 0;
	bad |= old.sa_sigaction != on_info;
	bad |= !(old.sa_flags & SA_SIGINFO) || !(old.sa_flags & SA_RESTART);
	bad |= !sigismember(&old.sa_mask, SIGUSR2);
	bad |= sigaction(SIGKILL, &sa, NULL) != -1 || errno != EINVAL;
	reset_signal(SIGUSR1);
	return check(!bad, "sigaction_round_trip", "read back differs, or SIGKILL was caught");
}

static int handler_gets_signo_and_siginfo(void)
{
	int bad = 0;

	install(SIGUSR1, on_info, 0);
	raise(SIGUSR1);
	bad |= seen.count != 1 || seen.signo != SIGUSR1 || seen.info_signo != SIGUSR1;
	bad |= seen.code != SI_TKILL;
	kill(getpid(), SIGUSR1);
	bad |= seen.count != 2 || seen.code != SI_USER || seen.pid != getpid();
	reset_signal(SIGUSR1);
	return check(!bad, "handler_gets_signo_and_siginfo", "wrong count, signo or si_code");
}

static int mask_blocks_then_delivers(void)
{
	sigset_t s, pending;
	int bad = 0;

	install(SIGUSR1, on_info, 0);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	raise(SIGUSR1); /* merges with the first: one delivery */
	bad |= seen.count != 0;
	bad |= sigpending(&pending) || !sigismember(&pending, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	bad |= seen.count != 1;
	reset_signal(SIGUSR1);
	return check(!bad, "mask_blocks_then_delivers", "delivered while blocked, or not once after");
}

static int resethand_runs_once(void)
{
	struct sigaction old;
	int bad = 0;

	install(SIGUSR2, on_info, SA_RESETHAND);
	raise(SIGUSR2);
	bad |= seen.count != 1;
	bad |= sigaction(SIGUSR2, NULL, &old) || old.sa_handler != SIG_DFL;
	reset_signal(SIGUSR2);
	return check(!bad, "resethand_runs_once", "not reset to SIG_DFL after the first");
}

static void on_nested(int sig, siginfo_t *si, void *uc)
{
	(void)si, (void)uc;
	seen.count++;
	seen.depth++;
	if (seen.depth > seen.max_depth)
		seen.max_depth = seen.depth;
	if (seen.count == 1)
		raise(sig);
	seen.depth--;
}

static int nodefer_nests(void)
{
	int bad = 0;

	/* Without SA_NODEFER the second waits for the first to return. */
	install(SIGUSR1, on_nested, 0);
	raise(SIGUSR1);
	bad |= seen.count != 2 || seen.max_depth != 1;
	install(SIGUSR1, on_nested, SA_NODEFER);
	raise(SIGUSR1);
	bad |= seen.count != 2 || seen.max_depth != 2;
	reset_signal(SIGUSR1);
	return check(!bad, "nodefer_nests", "wrong nesting with or without SA_NODEFER");
}

static int ignored_is_dropped(void)
{
	int bad = 0;

	signal(SIGUSR1, SIG_IGN);
	bad |= raise(SIGUSR1) != 0;
	/* Default-ignored ones too. */
	bad |= raise(SIGCHLD) != 0 || raise(SIGWINCH) != 0;
	reset_signal(SIGUSR1);
	return check(!bad, "ignored_is_dropped", "raise failed");
}

static int ignored_sigpipe_is_epipe(void)
{
	int fd = broken_socket(), bad = 0;

	if (fd < 0)
		return check(0, "ignored_sigpipe_is_epipe", "no socket");
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	bad |= send(fd, "x", 1, 0) != -1 || errno != EPIPE;
	errno = 0;
	bad |= write(fd, "x", 1) != -1 || errno != EPIPE;
	install(SIGPIPE, on_info, 0);
	bad |= send(fd, "x", 1, 0) != -1 || errno != EPIPE || seen.count != 1;
	/* MSG_NOSIGNAL: the error alone. */
	bad |= send(fd, "x", 1, MSG_NOSIGNAL) != -1 || seen.count != 1;
	close(fd);
	reset_signal(SIGPIPE);
	return check(!bad, "ignored_sigpipe_is_epipe", "no EPIPE, or SIGPIPE handled wrong");
}

static void on_jump(int sig)
{
	seen.signo = sig;
	siglongjmp(jump_env, 7);
}

static int siglongjmp_leaves_handler(void)
{
	sigset_t now;
	volatile int jumped = 0, bad = 0;

	memset((void *)&seen, 0, sizeof(seen));
	signal(SIGUSR1, on_jump);
	if (sigsetjmp(jump_env, 1) == 0) {
		raise(SIGUSR1);
		bad = 1; /* not reached */
	} else {
		jumped = 1;
	}
	/* The mask saved by sigsetjmp is back: SIGUSR1 no longer blocked. */
	sigprocmask(SIG_SETMASK, NULL, &now);
	bad |= !jumped || seen.signo != SIGUSR1 || sigismember(&now, SIGUSR1);
	signal(SIGUSR1, on_plain);
	raise(SIGUSR1);
	bad |= seen.signo != SIGUSR1;
	reset_signal(SIGUSR1);
	return check(!bad, "siglongjmp_leaves_handler", "no jump, or the mask stayed");
}

static void on_alt(int sig, siginfo_t *si, void *uc)
{
	stack_t cur;
	int local;

	(void)sig, (void)si, (void)uc;
	seen.count++;
	seen.stack_addr = (uintptr_t)&local;
	seen.onstack = !sigaltstack(NULL, &cur) && (cur.ss_flags & SS_ONSTACK);
}

static int altstack_is_used(void)
{
	size_t size = 64 * 1024;
	char *mem = malloc(size);
	stack_t ss = { .ss_sp = mem, .ss_size = size }, old;
	int bad = 0;

	if (!mem)
		return check(0, "altstack_is_used", "no memory");
	bad |= sigaltstack(&ss, NULL) != 0;
	install(SIGUSR2, on_alt, SA_ONSTACK);
	raise(SIGUSR2);
	bad |= seen.count != 1 || !seen.onstack;
	bad |= seen.stack_addr < (uintptr_t)mem || seen.stack_addr >= (uintptr_t)mem + size;
	/* Without SA_ONSTACK the handler stays on the thread's stack. */
	install(SIGUSR2, on_alt, 0);
	raise(SIGUSR2);
	bad |= seen.count != 1 || seen.onstack;
	ss.ss_flags = SS_DISABLE;
	bad |= sigaltstack(&ss, &old) != 0 || old.ss_sp != mem || old.ss_flags != 0;
	ss.ss_flags = 0;
	ss.ss_size = 16;
	bad |= sigaltstack(&ss, NULL) != -1 || errno != ENOMEM;
	reset_signal(SIGUSR2);
	free(mem);
	return check(!bad, "altstack_is_used", "handler not on the alternate stack");
}

int checks_delivery(void)
{
	return sigaction_round_trip() + handler_gets_signo_and_siginfo() +
	       mask_blocks_then_delivers() + resethand_runs_once() +
	       nodefer_nests() + ignored_is_dropped() +
	       ignored_sigpipe_is_epipe() + siglongjmp_leaves_handler() +
	       altstack_is_used();
}

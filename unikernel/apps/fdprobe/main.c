/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fdprobe: descriptors and readiness through musl's own wrappers
 * (eventfd(), poll(), select(), epoll_wait(), fcntl(), dup2()...), so the
 * syscall numbers and the ABI structures are the ones applications use.
 * One line per check, "fdprobe: <name>: ok" or "fdprobe: <name>: FAIL
 * <why>"; the exit status is the number of failures.
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
	printf("fdprobe: %s: %s%s", name, ok ? "ok" : "FAIL ", ok ? "" : why);
	if (!ok && errno)
		printf(" (errno %d: %s)", errno, strerror(errno));
	printf("\n");
	failures += !ok;
	errno = 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void probe_console(void)
{
	char c;
	int n = -1;
	struct pollfd p = { 0, POLLIN, 0 };

	check("stdin_eof", read(0, &c, 1) == 0, "read(0) did not return 0");
	check("stdin_poll", poll(&p, 1, 0) == 1 && p.revents == POLLIN,
	      "stdin is not readable (at end of file)");
	check("stdin_fionread", ioctl(0, FIONREAD, &n) == 0 && n == 0,
	      "FIONREAD on stdin");
	check("stdout_flags", fcntl(1, F_GETFL) == O_WRONLY, "F_GETFL(1)");
	check("dup2_stdout", dup2(1, 10) == 10 &&
				     dprintf(10, "fdprobe: written through fd 10\n") > 0 &&
				     close(10) == 0,
	      "writing through dup2(1, 10)");
	check("closed_is_ebadf", write(10, "x", 1) == -1 && errno == EBADF,
	      "write to a closed fd");
	errno = 0;
}

static void probe_eventfd(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	eventfd_t v = 0;

	check("eventfd_create", fd >= 3, "eventfd()");
	check("eventfd_empty", eventfd_read(fd, &v) == -1 && errno == EAGAIN,
	      "read of an empty counter is not EAGAIN");
	errno = 0;
	check("eventfd_sum", eventfd_write(fd, 3) == 0 && eventfd_write(fd, 4) == 0 &&
				     eventfd_read(fd, &v) == 0 && v == 7,
	      "3 + 4 != 7");
	check("eventfd_cloexec", fcntl(fd, F_GETFD) == FD_CLOEXEC, "FD_CLOEXEC");
	close(fd);
	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	check("eventfd_semaphore",
	      eventfd_read(fd, &v) == 0 && v == 1 && eventfd_read(fd, &v) == 0 &&
		      v == 1 && eventfd_read(fd, &v) == -1 && errno == EAGAIN,
	      "semaphore mode");
	errno = 0;
	close(fd);
}

static void probe_flags(void)
{
	int fd = eventfd(0, 0), on = 1;

	check("setfl_nonblock", fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 &&
					(fcntl(fd, F_GETFL) & O_NONBLOCK),
	      "F_SETFL O_NONBLOCK");
	on = 0;
	check("fionbio", ioctl(fd, FIONBIO, &on) == 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK),
	      "FIONBIO 0");
	check("dupfd_cloexec", fcntl(fd, F_DUPFD_CLOEXEC, 20) == 20 &&
				       fcntl(20, F_GETFD) == FD_CLOEXEC,
	      "F_DUPFD_CLOEXEC 20");
	close(20);
	close(fd);
}

static void probe_poll(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);
	struct pollfd p = { fd, POLLIN, 0 };
	struct timespec t0, ts = { 0, 3000000 };
	fd_set r;
	struct timeval tv = { 0, 0 };

	/* Without an eventfd, nothing below can be asked (FD_SET(-1)). */
	if (fd < 0) {
		check("poll_eventfd", 0, "eventfd() for the poll probes");
		return;
	}
	check("poll_not_ready", poll(&p, 1, 0) == 0 && p.revents == 0, "poll");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check("poll_timeout", poll(&p, 1, 5) == 0 && ms_since(&t0) >= 5,
	      "poll(5 ms) came back early or with an event");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check("ppoll_timeout", ppoll(&p, 1, &ts, NULL) == 0 && ms_since(&t0) >= 3,
	      "ppoll(3 ms)");
	eventfd_write(fd, 1);
	check("poll_ready", poll(&p, 1, -1) == 1 && p.revents == POLLIN, "poll");
	FD_ZERO(&r);
	FD_SET(fd, &r);
	check("select_ready", select(fd + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &r),
	      "select");
	eventfd_t v;
	eventfd_read(fd, &v);
	FD_SET(fd, &r);
	tv.tv_usec = 2000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check("select_timeout", select(fd + 1, &r, NULL, NULL, &tv) == 0 &&
					!FD_ISSET(fd, &r) && ms_since(&t0) >= 2,
	      "select(2 ms)");
	sigset_t mask;
	sigemptyset(&mask);
	FD_SET(fd, &r);
	ts = (struct timespec){ 0, 0 };
	check("pselect_sigmask", pselect(fd + 1, NULL, &r, NULL, &ts, &mask) == 1,
	      "pselect with a signal mask");
	close(fd);
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void probe_epoll(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), fd[3], seen = 0;
	struct epoll_event ev[4];
	sigset_t mask;

	check("epoll_create1", ep >= 3, "epoll_create1");
	if (ep < 0)
		return;
	for (int i = 0; i < 3; i++) {
		fd[i] = eventfd(0, EFD_NONBLOCK);
		add(ep, fd[i], EPOLLIN | (i == 1 ? EPOLLET : 0), 0x100000000ULL * (i + 1) + i);
		eventfd_write(fd[i], 1);
	}
	/* Three records, 12 bytes each on x86_64: a wrong layout garbles
	 * the data of the second and third. */
	int n = epoll_wait(ep, ev, 4, -1);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < 3; j++)
			if (ev[i].events == EPOLLIN &&
			    ev[i].data.u64 == 0x100000000ULL * (j + 1) + j)
				seen |= 1 << j;
	check("epoll_wait_layout", n == 3 && seen == 7, "three events with their data");
	/* The edge-triggered one does not come back; the others do. */
	n = epoll_wait(ep, ev, 4, 0);
	check("epoll_et_once", n == 2, "level-triggered twice, edge-triggered once");
	struct epoll_event one = { .events = EPOLLIN | EPOLLONESHOT, .data.u64 = 9 };
	check("epoll_oneshot", epoll_ctl(ep, EPOLL_CTL_MOD, fd[0], &one) == 0 &&
				       epoll_wait(ep, ev, 4, 0) == 2 &&
				       epoll_wait(ep, ev, 4, 0) == 1,
	      "one-shot entry reported more than once");
	check("epoll_eexist", add(ep, fd[0], EPOLLIN, 0) == -1 && errno == EEXIST, "EEXIST");
	errno = 0;
	close(fd[2]);
	sigemptyset(&mask);
	check("epoll_close_removes", epoll_pwait(ep, ev, 4, 0, &mask) == 0,
	      "a closed fd is still reported");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check("epoll_timeout", epoll_wait(ep, ev, 4, 4) == 0 && ms_since(&t0) >= 4,
	      "epoll_wait(4 ms)");
	close(fd[0]);
	close(fd[1]);
	close(ep);
}

/* Descriptors up to the limit, then EMFILE; all closed again. */
static void probe_emfile(void)
{
	int n = 0, fd, first = -1;

	while ((fd = dup(1)) >= 0) {
		if (first < 0)
			first = fd;
		n++;
	}
	check("emfile", errno == EMFILE && n > 0, "dup() until the table is full");
	errno = 0;
	for (fd = first; fd < first + n; fd++)
		close(fd);
	printf("fdprobe: %d descriptors until EMFILE\n", n);
}

int main(void)
{
	probe_console();
	probe_eventfd();
	probe_flags();
	probe_poll();
	probe_epoll();
	probe_emfile();
	return failures;
}

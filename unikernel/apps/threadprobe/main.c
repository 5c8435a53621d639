/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * threadprobe: musl's pthreads on the kernel's clone and futex, one line
 * per check ("threadprobe: <name>: ok" or "threadprobe: <name>: FAIL
 * <why>"), then "threadprobe: N passed, M failed"; the exit status is the
 * number of failures. Plain POSIX C: it builds natively as well.
 *
 * With threads (the cooperative scheduler): create/join with return
 * values, per-thread errno and TLS, mutex contention, condition variable
 * signal and broadcast, timed waits that time out, thread-specific data
 * with destructors, detached threads, many threads in turn. Without (the
 * run-to-completion scheduler) pthread_create fails with EAGAIN and the
 * checks that need a second thread are left out; the timed waits still
 * time out instead of spinning.
 *
 * "threadprobe main-exits": main calls pthread_exit while a thread it
 * made still runs; that thread prints "threadprobe: main_exited: ok" and
 * returns, and the guest ends when it does, with status 0 (musl's last
 * thread calls exit(0)).
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* From <linux/futex.h>, which musl does not ship. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

#define NTHREADS 4
#define ROUNDS 200
#define MS 1000000L

static int passed, failed;

static void check(const char *name, int ok, const char *why)
{
	printf("threadprobe: %s: %s%s\n", name, ok ? "ok" : "FAIL ",
	       ok ? "" : why);
	if (ok)
		passed++;
	else
		failed++;
}

static long now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static struct timespec in_ms(clockid_t clk, long ms)
{
	long t = now_ns(clk) + ms * MS;
	struct timespec ts = { t / 1000000000L, t % 1000000000L };

	return ts;
}

/* ---- with one thread ----------------------------------------------------- */

static void timed_waits_time_out(void)
{
	sem_t sem;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec at;
	long start;
	int r;

	sem_init(&sem, 0, 0);
	start = now_ns(CLOCK_REALTIME);
	at = in_ms(CLOCK_REALTIME, 20);
	r = sem_timedwait(&sem, &at);
	check("sem_timedwait_times_out", r == -1 && errno == ETIMEDOUT &&
	      now_ns(CLOCK_REALTIME) - start >= 20 * MS,
	      "sem_timedwait on 0 did not fail with ETIMEDOUT after 20 ms");
	sem_destroy(&sem);

	pthread_mutex_lock(&m);
	start = now_ns(CLOCK_REALTIME);
	at = in_ms(CLOCK_REALTIME, 20);
	r = pthread_cond_timedwait(&c, &m, &at);
	check("cond_timedwait_times_out", r == ETIMEDOUT &&
	      now_ns(CLOCK_REALTIME) - start >= 20 * MS &&
	      pthread_mutex_trylock(&m) == EBUSY,
	      "pthread_cond_timedwait did not time out holding the mutex");
	pthread_mutex_unlock(&m);
}

static void raw_futex_on_one_thread(void)
{
	int word = 5;
	struct timespec rel = { 0, 10 * MS };

	check("futex_wait_changed_value_eagain",
	      syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, NULL) == -1 &&
	      errno == EAGAIN, "FUTEX_WAIT on a changed value is not EAGAIN");
	check("futex_wait_times_out",
	      syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &rel) == -1 &&
	      errno == ETIMEDOUT, "FUTEX_WAIT did not time out");
	check("futex_wake_nobody",
	      syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1) == 0,
	      "FUTEX_WAKE with no waiter did not return 0");
}

/* ---- with threads -------------------------------------------------------- */

static void *twice(void *arg)
{
	return (void *)((intptr_t)arg * 2);
}

static void create_join_returns_value(void)
{
	pthread_t t;
	void *res = NULL;

	check("create_join_value",
	      pthread_create(&t, NULL, twice, (void *)21) == 0 &&
	      pthread_join(t, &res) == 0 && res == (void *)42,
	      "join did not return the thread's value");
}

static volatile int stage;
static __thread int tls_counter = 7;

/* Handshakes by sched_yield, which leaves errno alone when it succeeds
 * (a successful sem_wait may set it: musl's tries sem_trywait first). */
static void wait_stage(int n)
{
	while (stage != n)
		sched_yield();
}

static void *errno_thread(void *arg)
{
	int *ok = arg;

	errno = ENOENT;
	tls_counter = 100;
	stage = 1;
	wait_stage(2); /* main sets its own errno meanwhile */
	*ok = errno == ENOENT && tls_counter == 100 &&
	      syscall(SYS_gettid) != getpid();
	return NULL;
}

static void errno_and_tls_are_per_thread(void)
{
	pthread_t t;
	int ok = 0, main_ok;

	stage = 0;
	pthread_create(&t, NULL, errno_thread, &ok);
	wait_stage(1);
	main_ok = tls_counter == 7 && errno != ENOENT;
	errno = EBADF;
	stage = 2;
	pthread_join(t, NULL);
	check("errno_per_thread", ok && main_ok && errno == EBADF,
	      "errno or a __thread variable leaked between threads");
	check("gettid_main_is_pid", syscall(SYS_gettid) == getpid(),
	      "main's tid is not the pid");
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *add_rounds(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		sched_yield(); /* the others find it locked and wait */
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

static void mutex_contention(void)
{
	pthread_t t[NTHREADS];
	int created = 0;

	for (int i = 0; i < NTHREADS; i++)
		created += pthread_create(&t[i], NULL, add_rounds, NULL) == 0;
	for (int i = 0; i < created; i++)
		pthread_join(t[i], NULL);
	check("mutex_contention", created == NTHREADS &&
	      counter == NTHREADS * ROUNDS, "increments lost under the mutex");
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int cv_tickets, cv_woken;

static void *cv_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	while (!cv_tickets)
		pthread_cond_wait(&cv, &cv_lock);
	cv_tickets--;
	cv_woken++;
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

static void condvar_signal_and_broadcast(void)
{
	pthread_t t[NTHREADS];
	int woken_by_signal;

	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, cv_waiter, NULL);
	sched_yield(); /* all of them wait now */
	pthread_mutex_lock(&cv_lock);
	cv_tickets = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&cv_lock);
	for (int i = 0; i < 3; i++)
		sched_yield();
	pthread_mutex_lock(&cv_lock);
	woken_by_signal = cv_woken;
	cv_tickets = NTHREADS - 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_lock);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	check("cond_signal_wakes_one", woken_by_signal == 1,
	      "pthread_cond_signal did not wake exactly one waiter");
	check("cond_broadcast_wakes_all", cv_woken == NTHREADS,
	      "pthread_cond_broadcast left waiters asleep");
}

static pthread_key_t key;
static int destroyed;

static void destructor(void *v)
{
	destroyed += (int)(intptr_t)v;
}

static void *tsd_thread(void *arg)
{
	pthread_setspecific(key, arg);
	sched_yield();
	return pthread_getspecific(key);
}

static void thread_specific_data(void)
{
	pthread_t a, b;
	void *ra = NULL, *rb = NULL;

	pthread_key_create(&key, destructor);
	pthread_setspecific(key, (void *)1000);
	pthread_create(&a, NULL, tsd_thread, (void *)1);
	pthread_create(&b, NULL, tsd_thread, (void *)2);
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	check("thread_specific_data", ra == (void *)1 && rb == (void *)2 &&
	      pthread_getspecific(key) == (void *)1000 && destroyed == 3,
	      "values or destructors of thread-specific data mixed up");
}

static sem_t detached_done;

static void *detached_thread(void *arg)
{
	(void)arg;
	sem_post(&detached_done);
	return NULL;
}

static void detached_threads(void)
{
	pthread_attr_t attr;
	int created = 0;

	sem_init(&detached_done, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 20; i++) {
		pthread_t t;

		if (pthread_create(&t, &attr, detached_thread, NULL) == 0)
			created++;
		if (i % 2 && pthread_create(&t, NULL, detached_thread, NULL) == 0) {
			pthread_detach(t);
			created++;
		}
	}
	for (int i = 0; i < created; i++)
		sem_wait(&detached_done);
	check("detached_threads", created == 30,
	      "detached threads could not be created");
}

static void many_threads_in_turn(void)
{
	int ok = 1;

	for (intptr_t i = 0; i < 100 && ok; i++) {
		pthread_t t;
		void *res = NULL;

		ok = pthread_create(&t, NULL, twice, (void *)i) == 0 &&
		     pthread_join(t, &res) == 0 && res == (void *)(2 * i);
	}
	check("many_threads_in_turn", ok, "the 100 threads in turn failed");
}

static pthread_t main_thread;

static void *outlive_main(void *arg)
{
	struct timespec nap = { 0, 10 * MS };

	(void)arg;
	nanosleep(&nap, NULL); /* main has exited by now */
	check("main_exited", pthread_join(main_thread, NULL) == 0,
	      "could not join the exited main thread");
	return NULL;
}

static int main_exits(void)
{
	pthread_t t;

	main_thread = pthread_self();
	if (pthread_create(&t, NULL, outlive_main, NULL))
		return 1;
	pthread_exit(NULL);
}

int main(int argc, char **argv)
{
	pthread_t t;
	int r;

	if (argc > 1 && !strcmp(argv[1], "main-exits"))
		return main_exits();
	r = pthread_create(&t, NULL, twice, NULL);

	timed_waits_time_out();
	raw_futex_on_one_thread();
	if (r == EAGAIN) {
		printf("threadprobe: no threads (pthread_create: EAGAIN)\n");
	} else {
		check("first_create", r == 0 && pthread_join(t, NULL) == 0,
		      strerror(r));
		create_join_returns_value();
		errno_and_tls_are_per_thread();
		mutex_contention();
		condvar_signal_and_broadcast();
		thread_specific_data();
		detached_threads();
		many_threads_in_turn();
	}
	printf("threadprobe: %d passed, %d failed\n", passed, failed);
	return failed;
}

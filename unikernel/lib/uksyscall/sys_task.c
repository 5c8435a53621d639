/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a program asks about its own task at start-up: the CPUs it may run
 * on (one, CPU 0), its nice value and its name. There is one process;
 * another pid is ESRCH.
 *
 * The nice value is kept and reported but changes no scheduling (the
 * scheduler is cooperative). The name (PR_SET_NAME) is one for the
 * process, not one per thread as on Linux; it starts as the application's
 * name, cut to 15 bytes as Linux cuts a command name.
 */
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>

#define UK_PID 1
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#define NICE_MIN (-20)
#define NICE_MAX 19
#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define TASK_COMM_LEN 16
/* The kernel's cpumask on a one-CPU machine: one unsigned long. */
#define CPUMASK_BYTES 8

static int own_pid(long pid)
{
	return pid == 0 || pid == UK_PID;
}

/* Linux's rule: the buffer holds at least the kernel's mask, in whole
 * longs; the call returns how many bytes it wrote. */
long uk_sys_sched_getaffinity(long pid, long len, long mask, long a3, long a4,
			      long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (!own_pid(pid))
		return -ESRCH;
	if (len < CPUMASK_BYTES || (len & (CPUMASK_BYTES - 1)))
		return -EINVAL;
	memset((void *)mask, 0, CPUMASK_BYTES);
	*(unsigned char *)mask = 1;
	return CPUMASK_BYTES;
}

/* Any mask that holds CPU 0 is the one there is; one without it leaves
 * nowhere to run. */
long uk_sys_sched_setaffinity(long pid, long len, long mask, long a3, long a4,
			      long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (!own_pid(pid))
		return -ESRCH;
	if (len <= 0 || !(*(const unsigned char *)mask & 1))
		return -EINVAL;
	return 0;
}

static long nice_value;

static long priority_target(long which, long who)
{
	switch (which) {
	case PRIO_PROCESS:
	case PRIO_PGRP:
		return own_pid(who) ? 0 : -ESRCH;
	case PRIO_USER:
		return who == 0 ? 0 : -ESRCH; /* root is the only user */
	default:
		return -EINVAL;
	}
}

/* The kernel answers 20 - nice (1..40, never negative); musl turns it
 * back into the nice value. */
long uk_sys_getpriority(long which, long who, long a2, long a3, long a4,
			long a5)
{
	long err = priority_target(which, who);

	(void)a2, (void)a3, (void)a4, (void)a5;
	return err ? err : 20 - nice_value;
}

/* Out-of-range values are clamped, as Linux does; we run as root, so
 * lowering the nice value is allowed too. */
long uk_sys_setpriority(long which, long who, long nice, long a3, long a4,
			long a5)
{
	long err = priority_target(which, who);

	(void)a3, (void)a4, (void)a5;
	if (err)
		return err;
	nice_value = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	return 0;
}

static char task_name[TASK_COMM_LEN];
static int task_name_set;

static void set_name(const char *src)
{
	size_t n = 0;

	while (n < TASK_COMM_LEN - 1 && src[n])
		n++;
	memcpy(task_name, src, n);
	memset(task_name + n, 0, TASK_COMM_LEN - n);
	task_name_set = 1;
}

long uk_sys_prctl(long option, long arg2, long a2, long a3, long a4, long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (!task_name_set)
		set_name(CONFIG_UK_APPNAME);
	switch (option) {
	case PR_SET_NAME:
		set_name((const char *)arg2);
		return 0;
	case PR_GET_NAME:
		memcpy((char *)arg2, task_name, TASK_COMM_LEN);
		return 0;
	default:
		return -EINVAL;
	}
}

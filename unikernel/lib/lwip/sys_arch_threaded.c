/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's operating-system layer under LWIP_THREADED, on the cooperative
 * scheduler. A thread only loses the CPU when it blocks, so the only
 * concurrency is interrupt handlers: every check-then-wait runs with
 * interrupts disabled (the wait queue contract in uk/sched.h), and a
 * post from an interrupt handler (sys_mbox_trypost_fromisr) only touches
 * the ring and wakes.
 */
#include <uk/alloc.h>
#include <uk/debug.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/switch.h>
#include "lwip/sys.h"

#define NS_PER_MS 1000000ULL

void sys_init(void)
{
}

/*
 * Wait on wq while *cond_zero is 0, for at most timeout_ms (0: for ever).
 * Called with interrupts disabled. Returns the milliseconds waited, or
 * SYS_ARCH_TIMEOUT.
 */
static u32_t wait_while_zero(struct uk_waitq *wq, const uint32_t *count,
			     u32_t timeout_ms)
{
	u32_t start = sys_now();

	while (*count == 0) {
		if (!timeout_ms) {
			uk_waitq_wait(wq);
			continue;
		}
		u32_t waited = sys_now() - start;
		if (waited >= timeout_ms)
			return SYS_ARCH_TIMEOUT;
		uk_waitq_wait_timeout(wq, (uint64_t)(timeout_ms - waited) * NS_PER_MS);
	}
	u32_t waited = sys_now() - start;
	/* SYS_ARCH_TIMEOUT is reserved: a wait of that many ms says one less. */
	return waited == SYS_ARCH_TIMEOUT ? waited - 1 : waited;
}

/* ---- semaphores and mutexes ------------------------------------------------ */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	sem->count = count;
	uk_waitq_init(&sem->wq);
	sem->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	UK_ASSERT(sem->wq.head == NULL);
	sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	unsigned long flags = arch_irq_save();

	sem->count++;
	uk_waitq_wake_one(&sem->wq);
	arch_irq_restore(flags);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout_ms)
{
	unsigned long flags = arch_irq_save();
	u32_t waited = wait_while_zero(&sem->wq, &sem->count, timeout_ms);

	if (waited != SYS_ARCH_TIMEOUT)
		sem->count--;
	arch_irq_restore(flags);
	return waited;
}

err_t sys_mutex_new(sys_mutex_t *mutex)
{
	return sys_sem_new(mutex, 1);
}

void sys_mutex_free(sys_mutex_t *mutex)
{
	sys_sem_free(mutex);
}

void sys_mutex_lock(sys_mutex_t *mutex)
{
	sys_arch_sem_wait(mutex, 0);
}

void sys_mutex_unlock(sys_mutex_t *mutex)
{
	sys_sem_signal(mutex);
}

/* ---- mailboxes -------------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	UK_ASSERT(size > 0);
	mbox->slot = uk_malloc(uk_alloc_default(), (size_t)size * sizeof(void *));
	if (!mbox->slot)
		return ERR_MEM;
	mbox->size = (uint32_t)size;
	mbox->head = mbox->count = 0;
	uk_waitq_init(&mbox->not_empty);
	uk_waitq_init(&mbox->not_full);
	mbox->valid = 1;
	return ERR_OK;
}

void sys_mbox_free(sys_mbox_t *mbox)
{
	UK_ASSERT(mbox->not_empty.head == NULL && mbox->not_full.head == NULL);
	uk_free(uk_alloc_default(), mbox->slot);
	mbox->slot = NULL;
	mbox->valid = 0;
}

/* Interrupts disabled, room checked. */
static void mbox_put(sys_mbox_t *mbox, void *msg)
{
	mbox->slot[(mbox->head + mbox->count) % mbox->size] = msg;
	mbox->count++;
	uk_waitq_wake_one(&mbox->not_empty);
}

static err_t mbox_try_put(sys_mbox_t *mbox, void *msg)
{
	unsigned long flags = arch_irq_save();
	err_t err = ERR_MEM;

	if (mbox->count < mbox->size) {
		mbox_put(mbox, msg);
		err = ERR_OK;
	}
	arch_irq_restore(flags);
	return err;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	unsigned long flags = arch_irq_save();

	while (mbox->count == mbox->size)
		uk_waitq_wait(&mbox->not_full);
	mbox_put(mbox, msg);
	arch_irq_restore(flags);
}

err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	return mbox_try_put(mbox, msg);
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	return mbox_try_put(mbox, msg);
}

/* Interrupts disabled, a message present. */
static void *mbox_take(sys_mbox_t *mbox)
{
	void *msg = mbox->slot[mbox->head];

	mbox->head = (mbox->head + 1) % mbox->size;
	mbox->count--;
	uk_waitq_wake_one(&mbox->not_full);
	return msg;
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout_ms)
{
	unsigned long flags = arch_irq_save();
	u32_t waited = wait_while_zero(&mbox->not_empty, &mbox->count, timeout_ms);

	if (waited != SYS_ARCH_TIMEOUT) {
		void *m = mbox_take(mbox);
		if (msg)
			*msg = m;
	}
	arch_irq_restore(flags);
	return waited;
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	unsigned long flags = arch_irq_save();
	u32_t ret = SYS_MBOX_EMPTY;

	if (mbox->count) {
		void *m = mbox_take(mbox);
		if (msg)
			*msg = m;
		ret = 0;
	}
	arch_irq_restore(flags);
	return ret;
}

/* ---- threads ---------------------------------------------------------------- */

/* lwIP's threads (the tcpip thread) run for the life of the guest and are
 * never joined; lwIP has no way to handle a failure here. */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize, int prio)
{
	struct uk_thread *t;

	(void)prio;	/* cooperative: no priorities */
	t = uk_thread_create(name, fn, arg, stacksize > 0 ? (size_t)stacksize : 0);
	if (!t)
		uk_panic("lwIP: cannot create thread %s (out of memory)", name);
	return t;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver-independent half of uknetdev: the device list, argument
 * checks, counters, trace points and waiting. Drivers do ring work only.
 */
#include <uk/compiler.h>
#include <uk/errno.h>
#include <uk/netdev.h>
#include <uk/netdev_driver.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/switch.h>
#include <uk/trace.h>
#include <uk/x86.h>

#if CONFIG_UKNETDEV_TRACEPOINTS
UK_TRACEPOINT(netdev_rx, 2, UT_ARG_U64, UT_ARG_U64);
UK_TRACEPOINT(netdev_tx, 2, UT_ARG_U64, UT_ARG_U64);
UK_TRACEPOINT(netdev_drop, 3, UT_ARG_U64, UT_ARG_U64, UT_ARG_U64);
#else
UK_TRACEPOINT_OFF(netdev_rx, 2);
UK_TRACEPOINT_OFF(netdev_tx, 2);
UK_TRACEPOINT_OFF(netdev_drop, 3);
#endif

#define NSEC_PER_SEC 1000000000ULL

static struct {
	unsigned n;
	struct uk_netdev *dev[CONFIG_UKNETDEV_MAX];
} devices;

static const char *const drop_names[UK_NETDEV_DROP_COUNT] = {
	[UK_NETDEV_DROP_RX_RING_FULL] = "rx_ring_full",
	[UK_NETDEV_DROP_RX_NO_BUFFER] = "rx_no_buffer",
	[UK_NETDEV_DROP_RX_STACK_FULL] = "rx_stack_full",
	[UK_NETDEV_DROP_RX_BAD] = "rx_bad",
	[UK_NETDEV_DROP_TX_RING_FULL] = "tx_ring_full",
};

const char *uk_netdev_drop_name(enum uk_netdev_drop why)
{
	return (unsigned)why < UK_NETDEV_DROP_COUNT ? drop_names[why] : "unknown";
}

int uk_netdev_register(struct uk_netdev *dev)
{
	if (devices.n == CONFIG_UKNETDEV_MAX)
		return -ENOSPC;
	uk_waitq_init(&dev->waiters);
	dev->index = devices.n;
	devices.dev[devices.n++] = dev;
	return 0;
}

unsigned uk_netdev_count(void)
{
	return devices.n;
}

struct uk_netdev *uk_netdev_get(unsigned i)
{
	return i < devices.n ? devices.dev[i] : NULL;
}

void uk_netdev_info_get(const struct uk_netdev *dev,
			struct uk_netdev_info *info)
{
	*info = dev->info;
}

int uk_netdev_configure(struct uk_netdev *dev, const struct uk_netdev_conf *conf)
{
	if (dev->started)
		return -EBUSY;
	if (!conf->rx_alloc || !conf->rx || !conf->tx_done ||
	    conf->rx_buf_len < dev->info.max_frame)
		return -EINVAL;
	dev->conf = *conf;
	dev->configured = true;
	return 0;
}

int uk_netdev_start(struct uk_netdev *dev)
{
	int err;

	if (!dev->configured)
		return -EINVAL;
	if (dev->started)
		return -EBUSY;
	err = dev->ops->start(dev);
	if (!err)
		dev->started = true;
	return err;
}

bool uk_netdev_link_up(struct uk_netdev *dev)
{
	return dev->ops->link_up(dev);
}

unsigned uk_netdev_poll(struct uk_netdev *dev, unsigned budget)
{
	if (!dev->started || !budget)
		return 0;
	return dev->ops->poll(dev, budget);
}

int uk_netdev_tx(struct uk_netdev *dev, const struct uk_netdev_seg *segs,
		 unsigned nseg, void *cookie)
{
	uint32_t len = 0;
	int err;

	if (!dev->started)
		return -ENOTCONN;
	if (!nseg || nseg > dev->info.tx_segs_max)
		return -EINVAL;
	for (unsigned i = 0; i < nseg; i++)
		len += segs[i].len;
	if (len < UK_NETDEV_ETH_HLEN || len > dev->info.max_frame)
		return -EINVAL;
	err = dev->ops->tx(dev, segs, nseg, len, cookie);
	if (err == -EAGAIN)
		uk_netdev_drop(dev, UK_NETDEV_DROP_TX_RING_FULL, 1);
	else if (!err)
		uk_tp_netdev_tx(dev->index, len);
	return err;
}

bool uk_netdev_pending(struct uk_netdev *dev)
{
	return dev->started && dev->ops->pending(dev);
}

int uk_netdev_arm(struct uk_netdev *dev)
{
	if (!dev->started || !dev->info.irq || !dev->ops->arm)
		return -ENOTSUP;
	return dev->ops->arm(dev);
}

/* TSC deadline timeout_ns from now; UINT64_MAX for no limit. */
static uint64_t deadline_in(uint64_t timeout_ns)
{
	uint64_t now = rdtsc(), ticks;

	if (timeout_ns == UK_NETDEV_WAIT_FOREVER)
		return UINT64_MAX;
	ticks = plat_ns_to_tsc(timeout_ns);
	return ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
}

/* Nanoseconds from now to deadline, rounded up (0 when reached). */
static uint64_t ns_until(uint64_t deadline)
{
	uint64_t now = rdtsc(), hz = plat_tsc_hz(), left;

	if (now >= deadline)
		return 0;
	left = deadline - now;
	return left / hz * NSEC_PER_SEC +
	       ((left % hz) * NSEC_PER_SEC + hz - 1) / hz;
}

/* One halt (or block) until the device interrupts or the deadline. The
 * interrupt flag stays off from arming to halting, so an interrupt in
 * between cannot be missed. */
static void wait_irq(struct uk_netdev *dev, uint64_t deadline)
{
	unsigned long flags = arch_irq_save();
	uint64_t ns;

	if (dev->ops->arm(dev) == 0) {
		if (deadline == UINT64_MAX) {
			uk_waitq_wait(&dev->waiters);
		} else {
			ns = ns_until(deadline);
			if (ns)
				uk_waitq_wait_timeout(&dev->waiters, ns);
		}
	}
	arch_irq_restore(flags);
}

int uk_netdev_wait(struct uk_netdev *dev, uint64_t timeout_ns)
{
	uint64_t deadline;

	if (!dev->started)
		return -ENOTCONN;
	deadline = deadline_in(timeout_ns);
	for (;;) {
		/* Idle from the first check that finds nothing to the start
		 * of the one that finds a frame (uk_sched_idle_enter). */
		uint64_t round = rdtsc();

		if (dev->ops->pending(dev)) {
			uk_sched_idle_leave(round);
			return 1;
		}
		if (round >= deadline) {
			uk_sched_idle_leave(round);
			return 0;
		}
		uk_sched_idle_enter(round);
		if (IS_ENABLED(CONFIG_UKNETDEV_IRQ) && dev->info.irq) {
			wait_irq(dev, deadline);
		} else {
			/* Polling never halts; other threads run meanwhile. */
			uk_thread_yield();
			cpu_relax();
		}
	}
}

struct uk_netdev_stats uk_netdev_stats_get(const struct uk_netdev *dev)
{
	unsigned long flags = arch_irq_save();
	struct uk_netdev_stats s = dev->stats;

	arch_irq_restore(flags);
	return s;
}

unsigned uk_netdev_rx_deliver(struct uk_netdev *dev, struct uk_netbuf *bufs,
			      unsigned n)
{
	unsigned took;

	if (!n)
		return 0;
	uk_tp_netdev_rx(dev->index, n);
	took = dev->conf.rx(dev->conf.arg, bufs, n);
	if (took > n)
		took = n; /* a stack cannot take more than it was given */
	for (unsigned i = 0; i < took; i++)
		dev->stats.rx_bytes += bufs[i].len;
	dev->stats.rx_packets += took;
	if (took < n)
		uk_netdev_drop(dev, UK_NETDEV_DROP_RX_STACK_FULL, n - took);
	return took;
}

void uk_netdev_tx_done(struct uk_netdev *dev, void *const *cookies,
		       unsigned n, uint64_t bytes)
{
	if (!n)
		return;
	dev->stats.tx_packets += n;
	dev->stats.tx_bytes += bytes;
	dev->conf.tx_done(dev->conf.arg, cookies, n);
}

void uk_netdev_drop(struct uk_netdev *dev, enum uk_netdev_drop why,
		    unsigned n)
{
	if ((unsigned)why >= UK_NETDEV_DROP_COUNT || !n)
		return;
	dev->stats.drops[why] += n;
	uk_tp_netdev_drop(dev->index, why, n);
}

void uk_netdev_irq(struct uk_netdev *dev)
{
	dev->stats.irqs++;
	uk_waitq_wake_all(&dev->waiters);
	if (dev->conf.wake)
		dev->conf.wake(dev->conf.arg);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP interfaces on uknetdev devices. Frames are never copied between
 * lwIP and the driver: the ring is filled with pbufs lent by rx_alloc and
 * a received one goes up as it is; a frame sent is a pbuf chain whose
 * pieces the device reads in place, with a reference on the chain held
 * until tx_done gives it back.
 *
 * Who polls the device:
 *   LWIP_RTC       a progress hook (uk/poll.h) run by every waiter: it
 *                  polls the devices, delivers what loopback queued, runs
 *                  lwIP's timers and asks to run again at the next one;
 *                  in interrupt mode it arms the devices so that the
 *                  waiter may halt, in polling mode it is a spinning hook.
 *   LWIP_THREADED  one thread per device waits on it (uk_netdev_wait:
 *                  halting or spinning as the driver is built) and hands
 *                  frames to the tcpip thread (tcpip_input); a full
 *                  tcpip mailbox leaves the frame in the ring, counted
 *                  by the driver as rx_stack_full.
 */
#include <uk/errno.h>
#include <uk/lwip.h>
#if CONFIG_UKNETDEV
#include <uk/netdev.h>
#endif
#include <uk/poll.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/x86.h>
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#if CONFIG_LWIP_THREADED
#include "lwip/tcpip.h"
#endif
#include "sock.h"

#if CONFIG_UKNETDEV
/* Frames handed up per poll. */
#define RX_BUDGET 64
/* A ring left with no buffer cannot interrupt: try to refill it again
 * after this long, when freed pbufs may be back in the pool. */
#define STARVED_RETRY_NS 1000000ULL

struct lwip_netdev {
	struct netif nif;
	struct uk_netdev *dev;
	struct uk_netdev_info info;
	/* Pbufs lent to the ring. Pool ones are at most half the pool, so
	 * that what sockets hold and lwIP queues never starves the ring for
	 * good; none lent means the device cannot receive, nor interrupt. */
	unsigned lent;
};

static struct lwip_netdev devs[CONFIG_UKNETDEV_MAX];
static unsigned ndevs;

static bool pool_fits(const struct lwip_netdev *d)
{
	return PBUF_POOL_BUFSIZE >= d->info.max_frame;
}

static unsigned rx_alloc(void *arg, struct uk_netbuf *bufs, unsigned n)
{
	struct lwip_netdev *d = arg;
	unsigned i;

	for (i = 0; i < n; i++) {
		struct pbuf *p;

		if (pool_fits(d)) {
			if (d->lent >= PBUF_POOL_SIZE / 2)
				break;
			p = pbuf_alloc(PBUF_RAW, d->info.max_frame, PBUF_POOL);
		} else {
			p = pbuf_alloc(PBUF_RAW, d->info.max_frame, PBUF_RAM);
		}
		if (!p)
			break;
		d->lent++;
		bufs[i].data = p->payload;
		bufs[i].cookie = p;
	}
	return i;
}

static unsigned rx(void *arg, struct uk_netbuf *bufs, unsigned n)
{
	struct lwip_netdev *d = arg;
	unsigned i;

	for (i = 0; i < n; i++) {
		struct pbuf *p = bufs[i].cookie;

		/* One pbuf, ours: its length is the frame's. */
		p->len = p->tot_len = bufs[i].len;
		if (d->nif.input(p, &d->nif) != ERR_OK) {
			/* The stack's queue is full: the driver reposts it. */
			p->len = p->tot_len = d->info.max_frame;
			break;
		}
		d->lent--;
	}
	return i;
}

static void tx_done(void *arg, void *const *cookies, unsigned n)
{
	(void)arg;
	for (unsigned i = 0; i < n; i++)
		pbuf_free(cookies[i]);
}

static void wake(void *arg)
{
	(void)arg;
	uk_poll_kick();
}

static err_t linkoutput(struct netif *nif, struct pbuf *p)
{
	struct lwip_netdev *d = nif->state;
	struct uk_netdev_seg segs[16];
	unsigned max = d->info.tx_segs_max < 16 ? d->info.tx_segs_max : 16;
	struct pbuf *frame = p;
	unsigned n = 0;
	int err;

	/* More pieces than the device takes: one copy into a single pbuf. */
	if (pbuf_clen(p) > max) {
		frame = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!frame)
			return ERR_MEM;
	} else {
		pbuf_ref(p);
	}
	for (struct pbuf *q = frame; q; q = q->next) {
		if (q->len) {
			segs[n].data = q->payload;
			segs[n++].len = q->len;
		}
	}
	err = uk_netdev_tx(d->dev, segs, n, frame);
	if (err) {
		pbuf_free(frame);
		/* A full ring: TCP sends again, like a lost frame. */
		return err == -EAGAIN ? ERR_WOULDBLOCK : ERR_IF;
	}
	return ERR_OK;
}

static err_t nif_init(struct netif *nif)
{
	struct lwip_netdev *d = nif->state;

	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, d->info.mac, ETH_HWADDR_LEN);
	nif->mtu = d->info.mtu;
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	nif->output = etharp_output;
	nif->linkoutput = linkoutput;
	return ERR_OK;
}

static int attach(void *arg)
{
	struct lwip_netdev *d = arg;
#if CONFIG_LWIP_THREADED
	netif_input_fn input = tcpip_input;
#else
	netif_input_fn input = ethernet_input;
#endif

	if (!netif_add(&d->nif, NULL, NULL, NULL, d, nif_init, input))
		return -EINVAL;
	if (uk_netdev_link_up(d->dev))
		netif_set_link_up(&d->nif);
	return uk_lwip_netif_configure(&d->nif);
}

static int start(struct lwip_netdev *d, struct uk_netdev *dev)
{
	struct uk_netdev_conf conf = {
		.rx_alloc = rx_alloc, .rx = rx, .tx_done = tx_done,
		.wake = wake, .arg = d,
	};
	int err;

	d->dev = dev;
	uk_netdev_info_get(dev, &d->info);
	conf.rx_buf_len = d->info.max_frame;
	err = uk_netdev_configure(dev, &conf);
	if (!err)
		err = uk_netdev_start(dev);
	if (!err)
		err = uk_lwip_call(attach, d);
	uk_netdev_info_get(dev, &d->info); /* irq is known after start */
	return err;
}

#else
#define ndevs 0u
#endif /* CONFIG_UKNETDEV */

#if CONFIG_LWIP_RTC
static struct uk_poll_hook hook;

static bool loopback_pending(void)
{
	struct netif *nif;

	NETIF_FOREACH(nif)
		if (nif->loop_first)
			return true;
	return false;
}

/* Runs in every wait: bounded device work, loopback, due timers. */
static int progress_hook(void *arg, uint64_t *next_ns)
{
	int progress = loopback_pending();
	u32_t sleep_ms;

	(void)arg;
#if CONFIG_UKNETDEV
	for (unsigned i = 0; i < ndevs; i++)
		progress += uk_netdev_poll(devs[i].dev, RX_BUDGET) > 0;
#endif
	uk_lwip_poll();
	sleep_ms = sys_timeouts_sleeptime();
	if (sleep_ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		*next_ns = (uint64_t)sleep_ms * 1000000;
#if CONFIG_UKNETDEV
	for (unsigned i = 0; i < ndevs; i++)
		if (!devs[i].lent && *next_ns > STARVED_RETRY_NS)
			*next_ns = STARVED_RETRY_NS;
#endif
#if CONFIG_UKNETDEV
	/* Before the waiter halts: each device interrupts on its next
	 * frame, or has one already. */
	for (unsigned i = 0; i < ndevs; i++) {
		unsigned long flags;

		if (!devs[i].info.irq)
			continue;
		flags = arch_irq_save();
		progress += uk_netdev_arm(devs[i].dev) == 1;
		arch_irq_restore(flags);
	}
#endif
	return progress;
}

static void run_devices(void)
{
	unsigned flags = 0;

#if CONFIG_UKNETDEV
	for (unsigned i = 0; i < ndevs; i++)
		if (!devs[i].info.irq)
			flags = UK_POLL_HOOK_SPIN;
#endif
	uk_poll_hook_register(&hook, progress_hook, NULL, flags);
}
#elif CONFIG_UKNETDEV
static void device_thread(void *arg)
{
	struct lwip_netdev *d = arg;

	for (;;) {
		uk_netdev_wait(d->dev, d->lent ? UK_NETDEV_WAIT_FOREVER
					       : STARVED_RETRY_NS);
		uk_netdev_poll(d->dev, RX_BUDGET);
		/* Let the tcpip thread take what was queued (a full mailbox
		 * would otherwise keep this loop busy). */
		uk_thread_yield();
	}
}

static void run_devices(void)
{
	for (unsigned i = 0; i < ndevs; i++)
		if (!uk_thread_create("lwip_netdev", device_thread, &devs[i], 0))
			uk_pr_warn("lwip: no thread for network device %u\n", i);
}
#else
static void run_devices(void)
{
}
#endif

void uk_lwip_stack_start(void)
{
	static bool started;

	if (started)
		return;
	started = true;
	uk_lwip_init();
#if CONFIG_UKNETDEV
	for (unsigned i = 0, n = uk_netdev_count();
	     i < n && ndevs < CONFIG_UKNETDEV_MAX; i++) {
		int err = start(&devs[ndevs], uk_netdev_get(i));

		if (err)
			uk_pr_warn("lwip: network device %u not started (%d)\n", i, err);
		else
			ndevs++;
	}
#endif
	run_devices();
}

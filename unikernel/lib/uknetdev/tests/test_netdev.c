/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver-independent layer over a fake driver: argument checks,
 * counters, drop names, and waiting, including a wait that halts until an
 * "interrupt" (a timer client playing the device) wakes it, under
 * whichever scheduler the image has.
 */
#include <uk/errno.h>
#include <uk/netdev.h>
#include <uk/netdev_driver.h>
#include <uk/plat.h>
#include <uk/sched.h>
#include <uk/string.h>
#include <uk/test.h>
#include <uk/x86.h>

#define MS 1000000ULL

static struct fake {
	struct uk_netdev nd;
	volatile bool pending;
	int arm_ret;
	int tx_ret;
	unsigned arms, tx_calls, wakes;
	uint32_t tx_len;
	struct uk_netbuf taken[4];
	unsigned take, ntaken;
	void *done[4];
	unsigned ndone;
} fk;

static int f_start(struct uk_netdev *d) { (void)d; return 0; }
static bool f_link_up(struct uk_netdev *d) { (void)d; return true; }
static unsigned f_poll(struct uk_netdev *d, unsigned budget)
{
	(void)d;
	return budget;
}

static int f_tx(struct uk_netdev *d, const struct uk_netdev_seg *segs,
		unsigned nseg, uint32_t len, void *cookie)
{
	(void)d, (void)segs, (void)nseg, (void)cookie;
	fk.tx_calls++;
	fk.tx_len = len;
	return fk.tx_ret;
}

static bool f_pending(struct uk_netdev *d)
{
	(void)d;
	return fk.pending;
}

static int f_arm(struct uk_netdev *d)
{
	(void)d;
	fk.arms++;
	return fk.arm_ret ? fk.arm_ret : fk.pending;
}

static const struct uk_netdev_ops fake_ops = {
	f_start, f_link_up, f_poll, f_tx, f_pending, f_arm,
};

static unsigned s_alloc(void *a, struct uk_netbuf *b, unsigned n)
{
	(void)a, (void)b, (void)n;
	return 0;
}

static unsigned s_rx(void *a, struct uk_netbuf *b, unsigned n)
{
	(void)a;
	for (unsigned i = 0; i < n && fk.ntaken < 4; i++)
		fk.taken[fk.ntaken++] = b[i];
	/* A careless stack may claim more than it was given. */
	return fk.take;
}

static void s_done(void *a, void *const *c, unsigned n)
{
	(void)a;
	for (unsigned i = 0; i < n && fk.ndone < 4; i++)
		fk.done[fk.ndone++] = c[i];
}

static void s_wake(void *a)
{
	(void)a;
	fk.wakes++;
}

static struct uk_netdev *fake_start(bool irq)
{
	struct uk_netdev_conf c = { s_alloc, s_rx, s_done, s_wake, NULL, 1514 };

	memset(&fk, 0, sizeof(fk));
	fk.nd.ops = &fake_ops;
	fk.nd.info = (struct uk_netdev_info){ .driver = "fake", .mtu = 1500,
		.max_frame = 1514, .tx_segs_max = 2, .irq = irq };
	uk_waitq_init(&fk.nd.waiters);
	if (uk_netdev_configure(&fk.nd, &c) || uk_netdev_start(&fk.nd))
		return NULL;
	return &fk.nd;
}

UK_TESTCASE(uknetdev, drop_names)
{
	UK_EXPECT(!strcmp(uk_netdev_drop_name(UK_NETDEV_DROP_RX_RING_FULL),
			  "rx_ring_full"));
	UK_EXPECT(!strcmp(uk_netdev_drop_name(UK_NETDEV_DROP_TX_RING_FULL),
			  "tx_ring_full"));
	for (unsigned i = 0; i < UK_NETDEV_DROP_COUNT; i++)
		UK_EXPECT(strcmp(uk_netdev_drop_name(i), "unknown"));
	UK_EXPECT(!strcmp(uk_netdev_drop_name(UK_NETDEV_DROP_COUNT), "unknown"));
}

UK_TESTCASE(uknetdev, tx_checks_then_counts_a_full_ring)
{
	struct uk_netdev *d = fake_start(false);
	static uint8_t f[64];
	struct uk_netdev_seg s[3] = { { f, 10 }, { f, 4 }, { f, 1 } };

	UK_ASSERT_TRUE(d != NULL);
	UK_EXPECT_EQ(uk_netdev_tx(d, s, 3, NULL), -EINVAL); /* > segs_max */
	UK_EXPECT_EQ(uk_netdev_tx(d, s, 1, NULL), -EINVAL); /* < 14 bytes */
	UK_EXPECT_EQ(fk.tx_calls, 0);
	UK_EXPECT_EQ(uk_netdev_tx(d, s, 2, NULL), 0);
	UK_EXPECT_EQ(fk.tx_len, 14);
	fk.tx_ret = -EAGAIN;
	UK_EXPECT_EQ(uk_netdev_tx(d, s, 2, NULL), -EAGAIN);
	UK_EXPECT_EQ(uk_netdev_stats_get(d).drops[UK_NETDEV_DROP_TX_RING_FULL], 1);
	/* Sent frames count when the device is done with them. */
	UK_EXPECT_EQ(uk_netdev_stats_get(d).tx_packets, 0);
	void *cookies[2] = { (void *)1, (void *)2 };
	uk_netdev_tx_done(d, cookies, 2, 150);
	UK_EXPECT_EQ(fk.ndone, 2);
	UK_EXPECT(fk.done[1] == (void *)2);
	UK_EXPECT_EQ(uk_netdev_stats_get(d).tx_packets, 2);
	UK_EXPECT_EQ(uk_netdev_stats_get(d).tx_bytes, 150);
}

UK_TESTCASE(uknetdev, rx_counts_what_the_stack_takes)
{
	struct uk_netdev *d = fake_start(false);
	struct uk_netbuf b[3] = { { NULL, 60, NULL }, { NULL, 100, NULL },
				  { NULL, 1000, NULL } };
	struct uk_netdev_stats s;

	UK_ASSERT_TRUE(d != NULL);
	fk.take = 2;
	UK_EXPECT_EQ(uk_netdev_rx_deliver(d, b, 3), 2);
	s = uk_netdev_stats_get(d);
	UK_EXPECT_EQ(s.rx_packets, 2);
	UK_EXPECT_EQ(s.rx_bytes, 160);
	UK_EXPECT_EQ(s.drops[UK_NETDEV_DROP_RX_STACK_FULL], 1);
	fk.take = 9; /* more than given: taken as all */
	UK_EXPECT_EQ(uk_netdev_rx_deliver(d, b, 1), 1);
	UK_EXPECT_EQ(uk_netdev_stats_get(d).rx_packets, 3);
	UK_EXPECT_EQ(uk_netdev_rx_deliver(d, b, 0), 0);
	UK_EXPECT_EQ(uk_netdev_stats_get(d).drops[UK_NETDEV_DROP_RX_STACK_FULL], 1);
}

UK_TESTCASE(uknetdev, polling_wait_spins_to_its_deadline)
{
	struct uk_netdev *d = fake_start(false);
	struct uk_sched_idle a, b;
	uint64_t t0;

	UK_ASSERT_TRUE(d != NULL);
	UK_EXPECT_EQ(uk_netdev_arm(d), -ENOTSUP);
	uk_sched_idle_get(&a);
	t0 = rdtsc();
	UK_EXPECT_EQ(uk_netdev_wait(d, 2 * MS), 0);
	UK_EXPECT(rdtsc() - t0 >= plat_ns_to_tsc(2 * MS));
	uk_sched_idle_get(&b);
	UK_EXPECT_EQ(fk.arms, 0);
	/* Every check found nothing: the spin was idle (under COOP other
	 * threads may have taken some of it), and nothing halted. */
	UK_EXPECT_EQ(b.halts, a.halts);
	UK_EXPECT(b.idle_cycles - a.idle_cycles > 0);
	if (IS_ENABLED(CONFIG_UKSCHED_NONE))
		UK_EXPECT(b.idle_cycles - a.idle_cycles >= plat_ns_to_tsc(1 * MS));
	fk.pending = true;
	UK_EXPECT_EQ(uk_netdev_wait(d, UK_NETDEV_WAIT_FOREVER), 1);
}

/* The "device": a timer client that raises the fake's work and
 * interrupts once, from interrupt context as a real handler would. */
static struct uk_netdev *irq_dev;
static void device_fires(struct trap_frame *frame, uint64_t missed, void *arg)
{
	(void)frame, (void)missed, (void)arg;
	if (fk.pending)
		return;
	fk.pending = true;
	uk_netdev_irq(irq_dev);
}

UK_TESTCASE(uknetdev, interrupt_wait_halts_until_the_device_interrupts)
{
	static struct plat_periodic dev_timer;
	struct uk_netdev *d = fake_start(true);

	UK_ASSERT_TRUE(d != NULL);
	if (!IS_ENABLED(CONFIG_UKNETDEV_IRQ))
		return; /* polling images never halt for a device */
	/* Armed with nothing pending: a deadline alone ends the wait. */
	UK_EXPECT_EQ(uk_netdev_wait(d, 2 * MS), 0);
	UK_EXPECT(fk.arms >= 1);
	UK_EXPECT_EQ(uk_netdev_stats_get(d).irqs, 0);
	/* With no deadline only the interrupt can end it; the driver
	 * registers as a waker, so the scheduler halts instead of calling
	 * this a deadlock. */
	irq_dev = d;
	uk_sched_irq_waker_add();
	UK_ASSERT_TRUE(plat_periodic_start(&dev_timer, 3 * MS, false,
					   device_fires, NULL) == 0);
	UK_EXPECT_EQ(uk_netdev_wait(d, UK_NETDEV_WAIT_FOREVER), 1);
	plat_periodic_stop(&dev_timer);
	uk_sched_irq_waker_remove();
	UK_EXPECT_EQ(uk_netdev_stats_get(d).irqs, 1);
	UK_EXPECT_EQ(fk.wakes, 1);
	/* Work already pending when arming: no halt at all. */
	UK_EXPECT_EQ(uk_netdev_arm(d), 1);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-console with VIRTIO_CONSOLE_F_MULTIPORT (virtio 1.x, "Console
 * Device"): ports the host names, used for bulk output. Polled throughout.
 *
 * Queues: port 0 owns 0 (receive) and 1 (transmit), the control queues are
 * 2 (device to driver) and 3 (driver to device), port n >= 1 owns 2n+2 and
 * 2n+3. Only the control queues and the ports' transmit queues are set up:
 * the guest never reads from a port. All of them are set up before
 * DRIVER_OK, as the specification requires, for the first
 * CONFIG_VIRTIO_CONSOLE_MAX_PORTS port ids.
 *
 * The control protocol, as this driver plays it:
 *   driver  DEVICE_READY(1)
 *   device  PORT_ADD(id), per port          driver  PORT_READY(id, 1)
 *   device  CONSOLE_PORT(id), PORT_NAME(id) + name, PORT_OPEN(id, open)
 *   driver  PORT_OPEN(id, 1), when a lookup first finds the port
 * A device drops control messages when the receive queue has no buffer,
 * so every buffer goes back before the message in it is acted on.
 *
 * Writes are zero-copy: descriptors point into the caller's buffer (memory
 * is identity-mapped) and the call waits until the device has consumed
 * them, which under QEMU happens during the notification itself.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/string.h>
#include <uk/virtio.h>
#include <uk/virtio_console.h>
#include <uk/x86.h>

#include "virtio_impl.h"

#define VIRTIO_CONSOLE_F_MULTIPORT 1
#define CFG_MAX_NR_PORTS 4	/* u32 in the device configuration */

#define Q_CTL_RX 2
#define Q_CTL_TX 3
#define CTL_QUEUE_MAX 32
#define CTL_BUF_SIZE 128	/* a message header and a name */
#define TX_QUEUE_MAX 64
#define TX_SEG_MAX (64u * 1024) /* 64 buffers in flight: 4 MiB per kick */

#define MS 1000000ULL
/* A device that consumes nothing for this long is considered gone. */
#define IO_TIMEOUT_NS (2000 * MS)
/*
 * Boot. QEMU queues every PORT_ADD before it returns our DEVICE_READY, and
 * a port's name before it returns our PORT_READY, so one pass over the
 * control queue usually settles everything. A device slower than that
 * gets until it has been quiet this long (ports it never names stay
 * unnamed), and never more than the limit.
 */
#define SETTLE_QUIET_NS (10 * MS)
#define SETTLE_LIMIT_NS (500 * MS)


enum vcon_event {
	CTL_DEVICE_READY = 0,
	CTL_PORT_ADD = 1,
	CTL_PORT_REMOVE = 2,
	CTL_PORT_READY = 3,
	CTL_CONSOLE_PORT = 4,
	CTL_RESIZE = 5,
	CTL_PORT_OPEN = 6,
	CTL_PORT_NAME = 7,
};

struct vcon_ctl {
	uint32_t id;
	uint16_t event;
	uint16_t value;
};

struct vcon_dev;

struct uk_vcon_port {
	struct vcon_dev *dev;
	struct uk_vq *tx;
	uint32_t id;
	bool added;		/* the device announced it (PORT_ADD) */
	bool named;
	bool host_open;		/* the host side is connected */
	bool guest_open;	/* we sent PORT_OPEN(1) */
	bool console;
	bool broken;		/* timed out: buffers may still be in flight */
	char name[UK_VCON_NAME_MAX];
};

struct vcon_dev {
	struct uk_virtio_dev *vdev;
	struct uk_vq *crx, *ctx;
	uint8_t *crx_bufs;
	struct vcon_ctl ctl_out;	/* the one control message in flight */
	uint32_t nports;
	bool busy;			/* a call is inside; see vcon_enter */
	bool broken;			/* the control channel failed */
	uint64_t last_msg;		/* TSC of the last control message */
	struct uk_vcon_port port[CONFIG_VIRTIO_CONSOLE_MAX_PORTS];
};

/* The device in use: set once at boot, read from any context after. */
static struct vcon_dev *vcon;

/*
 * Every step that touches the queues runs with interrupts off, so the
 * timer interrupt cannot enter the driver halfway through a step (waits
 * poll between steps, where interrupts are allowed again). Only the crash
 * path, after a fault inside a step, can find the device busy: it backs
 * off rather than work on half-updated queues.
 */
static int vcon_enter(struct vcon_dev *d, unsigned long *flags)
{
	*flags = arch_irq_save();
	if (d->busy) {
		arch_irq_restore(*flags);
		return -EBUSY;
	}
	d->busy = true;
	return 0;
}

static void vcon_leave(struct vcon_dev *d, unsigned long flags)
{
	d->busy = false;
	arch_irq_restore(flags);
}

/*
 * Has a wait that began at TSC start lasted longer than ns? Only asked
 * once the device did not answer at once. QEMU answers during the
 * notification itself, so an image that uses no other time service never
 * pays for calibrating the TSC (plat_ns_to_tsc calibrates on first use).
 */
static bool waited_past(uint64_t start, uint64_t ns)
{
	return rdtsc() - start > plat_ns_to_tsc(ns);
}

static uint16_t tx_queue_index(uint32_t port_id)
{
	return (uint16_t)(port_id ? 2 * port_id + 3 : 1);
}

static void ctl_disable(struct vcon_dev *d, const char *what, int err)
{
	d->broken = true;
	uk_pr_warn("virtio-console: %s failed (error %d); device disabled\n",
		   what, err);
}

/* Send one control message and wait (bounded) until the device took it:
 * ctl_out is then free for the next one. */
static int ctl_send(struct vcon_dev *d, uint32_t id, uint16_t event,
		    uint16_t value)
{
	struct uk_vq_seg seg = { &d->ctl_out, sizeof(d->ctl_out), false };
	uint64_t start;
	int err;

	if (d->broken)
		return -EIO;
	d->ctl_out = (struct vcon_ctl){ id, event, value };
	err = uk_vq_add(d->ctx, &seg, 1, NULL);
	if (err < 0)
		goto out;
	uk_vq_kick(d->ctx);
	start = rdtsc();
	while ((err = uk_vq_get_used(d->ctx, NULL, NULL)) == -EAGAIN) {
		if (waited_past(start, IO_TIMEOUT_NS)) {
			err = -ETIMEDOUT;
			break;
		}
		cpu_relax();
	}
out:
	if (err < 0)
		ctl_disable(d, "sending a control message", err);
	return err < 0 ? err : 0;
}

static void ctl_rx_give(struct vcon_dev *d, void *buf)
{
	struct uk_vq_seg seg = { buf, CTL_BUF_SIZE, true };

	/* There is always room: the buffer came out of this queue. */
	uk_vq_add(d->crx, &seg, 1, buf);
}

static void port_reset(struct uk_vcon_port *p)
{
	p->added = p->named = p->host_open = p->guest_open = false;
	p->console = false;
	p->name[0] = '\0';
}

static void ctl_handle(struct vcon_dev *d, const uint8_t *msg, uint32_t len)
{
	struct uk_vcon_port *p;
	struct vcon_ctl m;
	uint32_t n;

	if (len < sizeof(m))
		return;
	memcpy(&m, msg, sizeof(m));
	d->last_msg = rdtsc();
	if (m.id >= d->nports) {
		if (m.event != CTL_PORT_ADD)
			return;
		uk_pr_warn("virtio-console: port %u refused: this image serves "
			   "ports 0..%u (CONFIG_VIRTIO_CONSOLE_MAX_PORTS)\n",
			   m.id, d->nports - 1);
		ctl_send(d, m.id, CTL_PORT_READY, 0);
		return;
	}
	p = &d->port[m.id];
	switch (m.event) {
	case CTL_PORT_ADD:
		port_reset(p);
		p->added = true;
		ctl_send(d, m.id, CTL_PORT_READY, 1);
		break;
	case CTL_PORT_REMOVE:
		port_reset(p);
		break;
	case CTL_CONSOLE_PORT:
		p->console = true;
		break;
	case CTL_PORT_OPEN:
		p->host_open = m.value != 0;
		break;
	case CTL_PORT_NAME:
		/* The name follows the header; it may or may not end in NUL. */
		for (n = 0; sizeof(m) + n < len && n + 1 < UK_VCON_NAME_MAX &&
			    msg[sizeof(m) + n];
		     n++)
			p->name[n] = (char)msg[sizeof(m) + n];
		p->name[n] = '\0';
		p->named = true;
		break;
	default:
		break; /* RESIZE and anything newer: nothing to do */
	}
}

/* Act on every control message the device has sent. */
static void ctl_poll(struct vcon_dev *d)
{
	uint8_t msg[CTL_BUF_SIZE];
	uint32_t len;
	void *buf;
	int err;

	while (!d->broken) {
		err = uk_vq_get_used(d->crx, &buf, &len);
		if (err == -EAGAIN)
			break;
		if (err < 0) {
			ctl_disable(d, "receiving a control message", err);
			break;
		}
		if (len > CTL_BUF_SIZE)
			len = CTL_BUF_SIZE;
		memcpy(msg, buf, len);
		/* Back first: the device may answer our reply to this message
		 * while we are still sending it. */
		ctl_rx_give(d, buf);
		uk_vq_kick(d->crx);
		ctl_handle(d, msg, len);
	}
}

static bool ports_settled(const struct vcon_dev *d)
{
	for (uint32_t i = 0; i < d->nports; i++)
		if (d->port[i].added && !d->port[i].named)
			return false;
	return true;
}

/* Process control messages until the ports are known (bounded). */
static void vcon_settle(struct vcon_dev *d)
{
	uint64_t start = rdtsc();

	d->last_msg = start;
	while (!d->broken) {
		ctl_poll(d);
		if (ports_settled(d))
			return;
		if (waited_past(d->last_msg, SETTLE_QUIET_NS))
			return;
		if (waited_past(start, SETTLE_LIMIT_NS)) {
			uk_pr_warn("virtio-console: ports still unnamed after "
				   "%llu ms; going on without them\n",
				   SETTLE_LIMIT_NS / MS);
			return;
		}
		cpu_relax();
	}
}

/* One line: which ports the host gave us, as "name(id)" ("?" unnamed). */
static void vcon_report(const struct vcon_dev *d)
{
	char line[256];
	size_t pos = 0;
	unsigned count = 0;

	line[0] = '\0';
	for (uint32_t i = 0; i < d->nports; i++) {
		const struct uk_vcon_port *p = &d->port[i];

		if (!p->added)
			continue;
		count++;
		if (pos < sizeof(line))
			pos += (size_t)uk_snprintf(line + pos, sizeof(line) - pos,
						   " %s(%u)",
						   p->named ? p->name : "?", i);
	}
	uk_pr_info("virtio-console at 0x%lx: %u port%s%s%s\n",
		   (unsigned long)d->vdev->base, count, count == 1 ? "" : "s",
		   count ? ":" : "", line);
}

int vcon_attach(struct uk_virtio_dev *vd)
{
	struct uk_alloc *a = uk_alloc_default();
	struct vcon_dev *d = NULL;
	uint64_t feat;
	uint32_t max_ports;
	int err;

	if (vcon) {
		uk_pr_warn("virtio-console at 0x%lx: only the first console "
			   "device is used\n", (unsigned long)vd->base);
		return 0;
	}
	err = uk_virtio_dev_begin(vd, 1ULL << VIRTIO_CONSOLE_F_MULTIPORT, &feat);
	if (err)
		goto out;
	if (!(feat & 1ULL << VIRTIO_CONSOLE_F_MULTIPORT)) {
		uk_pr_warn("virtio-console at 0x%lx has no named ports "
			   "(no MULTIPORT); not used\n", (unsigned long)vd->base);
		err = -ENOTSUP;
		goto out;
	}
	d = uk_calloc(a, 1, sizeof(*d));
	if (!d) {
		err = -ENOMEM;
		goto out;
	}
	d->vdev = vd;
	max_ports = uk_virtio_cfg_read32(vd, CFG_MAX_NR_PORTS);
	d->nports = max_ports < CONFIG_VIRTIO_CONSOLE_MAX_PORTS
			    ? max_ports
			    : CONFIG_VIRTIO_CONSOLE_MAX_PORTS;
	if (!d->nports) {
		err = -EIO;
		goto out;
	}
	err = uk_virtio_vq_setup(vd, Q_CTL_RX, CTL_QUEUE_MAX, &d->crx);
	if (!err)
		err = uk_virtio_vq_setup(vd, Q_CTL_TX, CTL_QUEUE_MAX, &d->ctx);
	for (uint32_t i = 0; !err && i < d->nports; i++) {
		d->port[i].dev = d;
		d->port[i].id = i;
		err = uk_virtio_vq_setup(vd, tx_queue_index(i), TX_QUEUE_MAX,
					 &d->port[i].tx);
	}
	if (err)
		goto out;
	d->crx_bufs = uk_malloc(a, (size_t)d->crx->num * CTL_BUF_SIZE);
	if (!d->crx_bufs) {
		err = -ENOMEM;
		goto out;
	}
	err = uk_virtio_dev_ready(vd);
	if (err)
		goto out;
	for (uint16_t i = 0; i < d->crx->num; i++)
		ctl_rx_give(d, d->crx_bufs + (size_t)i * CTL_BUF_SIZE);
	uk_vq_kick(d->crx);
	err = ctl_send(d, 0, CTL_DEVICE_READY, 1);
	if (err)
		goto out;
	vcon_settle(d);
	vcon_report(d);
	vcon = d;
out:
	/* The queues' memory stays allocated on failure: the device was told
	 * where it is, and a failed device may still touch it. */
	if (err)
		uk_virtio_dev_fail(vd);
	return err;
}

struct uk_vcon_port *uk_vcon_port_find(const char *name)
{
	struct vcon_dev *d = vcon;
	struct uk_vcon_port *found = NULL;
	unsigned long flags;

	if (!d || !name || vcon_enter(d, &flags))
		return NULL;
	ctl_poll(d);
	for (uint32_t i = 0; i < d->nports; i++) {
		struct uk_vcon_port *p = &d->port[i];

		if (p->added && p->named && !strcmp(p->name, name)) {
			found = p;
			break;
		}
	}
	if (found && !found->guest_open &&
	    !ctl_send(d, found->id, CTL_PORT_OPEN, 1))
		found->guest_open = true;
	vcon_leave(d, flags);
	return found;
}

const char *uk_vcon_port_name(const struct uk_vcon_port *p)
{
	return p ? p->name : "";
}

static void port_disable(struct uk_vcon_port *p, const char *why)
{
	p->broken = true;
	uk_pr_warn("virtio-console: port %s disabled: %s\n", p->name, why);
}

/* Take back what the device consumed; the count, or -EIO. In a step. */
static int tx_reclaim(struct uk_vcon_port *p)
{
	int n = 0, err;

	while ((err = uk_vq_get_used(p->tx, NULL, NULL)) == 0)
		n++;
	if (err == -EIO) {
		port_disable(p, "the device returned a buffer it was not given");
		return -EIO;
	}
	return n;
}

/*
 * Wait until a descriptor is free (all: until nothing is in flight). The
 * timeout counts from the last progress, so a slow but moving device is
 * never cut off. Interrupts are on between polls if they were on.
 */
static int tx_wait(struct uk_vcon_port *p, bool all)
{
	struct vcon_dev *d = p->dev;
	uint64_t since = rdtsc();
	unsigned long flags;
	bool done;
	int n;

	for (;;) {
		n = vcon_enter(d, &flags);
		if (n)
			return n;
		n = tx_reclaim(p);
		done = all ? uk_vq_idle(p->tx) : uk_vq_num_free(p->tx) > 0;
		vcon_leave(d, flags);
		if (n < 0)
			return n;
		if (done)
			return 0;
		if (n > 0) {
			since = rdtsc();
		} else if (waited_past(since, IO_TIMEOUT_NS)) {
			port_disable(p, "the device stopped consuming (timeout)");
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
}

long uk_vcon_port_write(struct uk_vcon_port *p, const void *buf, size_t len)
{
	const uint8_t *src = buf;
	struct vcon_dev *d;
	unsigned long flags;
	size_t off = 0;
	int err;

	if (!p || (!buf && len) || len > (size_t)__LONG_MAX__)
		return -EINVAL;
	d = p->dev;
	while (off < len) {
		err = vcon_enter(d, &flags);
		if (err)
			return err;
		ctl_poll(d);
		if (d->broken || p->broken || !p->added)
			err = -EIO;
		else if (tx_reclaim(p) < 0)
			err = -EIO;
		while (!err && off < len && uk_vq_num_free(p->tx)) {
			struct uk_vq_seg seg = { src + off, TX_SEG_MAX, false };

			if (len - off < TX_SEG_MAX)
				seg.len = (uint32_t)(len - off);
			uk_vq_add(p->tx, &seg, 1, NULL);
			off += seg.len;
		}
		if (!err)
			uk_vq_kick(p->tx);
		vcon_leave(d, flags);
		if (err)
			return err;
		if (off < len) {
			err = tx_wait(p, false);
			if (err)
				return err;
		}
	}
	/* Zero-copy: buf is the caller's again only once all of it is read. */
	err = tx_wait(p, true);
	return err ? err : (long)len;
}

void uk_vcon_flush(struct uk_vcon_port *p)
{
	if (p && !p->broken)
		tx_wait(p, true);
}

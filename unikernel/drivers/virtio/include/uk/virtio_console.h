/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named output ports of a virtio-console device (virtio-serial,
 * VIRTIO_CONSOLE_F_MULTIPORT): the host names them
 * (`unitune run --port NAME=FILE`), the guest looks them up by name and
 * writes bytes to them. The trace stream uses UNITUNE_TRACE_PORT.
 *
 * Every call is usable with interrupts off, from the timer interrupt and
 * from the panic path, and none blocks forever: each wait for the device
 * is bounded, and a device that stops consuming disables the port
 * (-ETIMEDOUT once, -EIO afterwards). Calls are serialised per device by
 * disabling interrupts around each step; a call that finds the device
 * already in use (an interrupt or a crash inside a call) returns at once
 * (NULL or -EBUSY) instead of corrupting the queues.
 *
 *	struct uk_vcon_port *p = uk_vcon_port_find("unitune.trace");
 *	if (p && uk_vcon_port_write(p, buf, len) < 0) ... count a loss ...
 *
 * Without CONFIG_VIRTIO_CONSOLE the calls are stubs: no port exists.
 * This header is also usable from applications (musl headers).
 */
#ifndef UK_VIRTIO_CONSOLE_H
#define UK_VIRTIO_CONSOLE_H

#include <stddef.h>

struct uk_vcon_port;

#define UK_VCON_NAME_MAX 64	/* bytes of a port name, NUL included */

#if CONFIG_VIRTIO_CONSOLE

/*
 * The port the host named name, or NULL (no device, no such port, or the
 * device is busy in an interrupted call). The first successful lookup of
 * a port tells the device the guest opened it (PORT_OPEN). Pending
 * control messages from the device are processed first, so a port the
 * host adds later is found too.
 */
struct uk_vcon_port *uk_vcon_port_find(const char *name);

/*
 * Write all len bytes of buf. The device reads them straight from buf
 * (no copy): the call returns once the device has consumed everything,
 * so buf may be reused at once. Large writes go out as up to 64 KiB
 * buffers, many in flight per notification. Returns len, or -EINVAL (no
 * port, NULL buf), -EBUSY (device in use by an interrupted call),
 * -ETIMEDOUT (the device made no progress within the I/O timeout; the
 * port is then disabled), -EIO (the port is disabled, the host removed
 * it, or the device broke the protocol).
 */
long uk_vcon_port_write(struct uk_vcon_port *p, const void *buf, size_t len);

/* Wait (bounded) until the device has consumed everything written to p.
 * uk_vcon_port_write already does; this is for callers that must be sure,
 * such as the exit and panic paths. */
void uk_vcon_flush(struct uk_vcon_port *p);

/* The port's name as the host gave it. */
const char *uk_vcon_port_name(const struct uk_vcon_port *p);

#else

static inline struct uk_vcon_port *uk_vcon_port_find(const char *name)
{
	(void)name;
	return NULL;
}

static inline long uk_vcon_port_write(struct uk_vcon_port *p, const void *buf,
				      size_t len)
{
	(void)p;
	(void)buf;
	(void)len;
	return -22; /* -EINVAL: there is no port */
}

static inline void uk_vcon_flush(struct uk_vcon_port *p)
{
	(void)p;
}

static inline const char *uk_vcon_port_name(const struct uk_vcon_port *p)
{
	(void)p;
	return "";
}

#endif

#endif

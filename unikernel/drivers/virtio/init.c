/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot-time discovery: probe the transports, hand each device to the
 * driver of its type. Device types without a driver get one line. Runs
 * from the boot sequence's driver table (UK_DRIVER_INIT), after the
 * allocator.
 */
#include <uk/boot.h>
#include <uk/compiler.h>
#include <uk/print.h>
#include <uk/virtio.h>

#include "virtio_impl.h"

void uk_virtio_init(void)
{
	static int done;
	struct uk_virtio_dev *d;
	int err;

	if (done++)
		return;
	virtio_mmio_probe();
	for (unsigned i = 0; (d = uk_virtio_dev_get(i)); i++) {
		switch (d->device_id) {
		case VIRTIO_ID_CONSOLE:
			if (!IS_ENABLED(CONFIG_VIRTIO_CONSOLE))
				break;
			err = vcon_attach(d);
			if (err < 0)
				uk_pr_warn("virtio: console at 0x%lx not usable "
					   "(error %d)\n", (unsigned long)d->base,
					   err);
			continue;
		case VIRTIO_ID_NET:
			if (!IS_ENABLED(CONFIG_VIRTIO_NET))
				break;
			err = vnet_attach(d);
			if (err < 0)
				uk_pr_warn("virtio: network device at 0x%lx not "
					   "usable (error %d)\n",
					   (unsigned long)d->base, err);
			continue;
		default:
			break;
		}
		uk_pr_info("virtio: device type %u at 0x%lx: no driver in this "
			   "image\n", d->device_id, (unsigned long)d->base);
	}
}

UK_DRIVER_INIT(uk_virtio_init);

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IOAPIC lines for devices (virtio-mmio). Every redirection entry is
 * masked at reset; plat_irq_attach programs and unmasks one line, and
 * nothing else here runs, so an image that attaches no device interrupt
 * links none of it.
 *
 * Where microvm wires its virtio-mmio transports (QEMU hw/i386/microvm.c):
 * transport n (at 0xfeb00000 + 512 n) drives GSI base + n, and base
 * depends on the machine's options:
 *   ACPI on, second IOAPIC on (QEMU's default)  base 24: 24 transports on
 *                                               the IOAPIC at 0xfec10000
 *   ACPI on, ioapic2=off                        base 16
 *   acpi=off (then there is no second IOAPIC)   base 5
 * QEMU lists the same numbers as virtio_mmio.device=512@ADDR:GSI on the
 * kernel command line only when auto-kernel-cmdline is on, and the runner
 * turns it off (the guest would take the words for variables). So the
 * guest looks at the machine instead: whether the second IOAPIC answers,
 * and whether QEMU built ACPI tables (the fw_cfg file etc/acpi/tables).
 */
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/string.h>
#include <uk/switch.h>
#include <uk/trap.h>
#include <uk/x86.h>
#include "microvm.h"

#define IOAPIC1_BASE 0xfec00000UL
#define IOAPIC2_BASE 0xfec10000UL
#define IOAPIC2_GSI_BASE 24

#define IOREGSEL 0x00
#define IOWIN 0x10
#define REG_VER 0x01
#define REG_REDIR(pin) (0x10 + 2 * (pin))

#define REDIR_LEVEL (1u << 15)
#define REDIR_MASKED (1u << 16)

#define VIRTIO_GSI_BASE_IOAPIC2 IOAPIC2_GSI_BASE
#define VIRTIO_GSI_BASE_ACPI 16
#define VIRTIO_GSI_BASE_LEGACY 5
#define VIRTIO_SLOTS 8
#define VIRTIO_SLOTS_IOAPIC2 24

/* fw_cfg (QEMU's firmware configuration interface), I/O ports. */
#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_NAME_LEN 56

struct ioapic {
	uintptr_t base;
	unsigned gsi_base;
};

static inline uint32_t ioapic_read(uintptr_t base, unsigned reg)
{
	*(volatile uint32_t *)(base + IOREGSEL) = reg;
	return *(volatile uint32_t *)(base + IOWIN);
}

static inline void ioapic_write(uintptr_t base, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(base + IOREGSEL) = reg;
	*(volatile uint32_t *)(base + IOWIN) = v;
}

/* Redirection entries of the IOAPIC at base, or 0 when none answers there
 * (QEMU reads unassigned addresses as 0). */
static unsigned ioapic_pins(uintptr_t base)
{
	uint32_t ver = ioapic_read(base, REG_VER);

	if (!ver || ver == 0xffffffffu)
		return 0;
	return ((ver >> 16) & 0xff) + 1;
}

/* The IOAPIC serving gsi, and its pin. */
static int ioapic_find(unsigned gsi, struct ioapic *out, unsigned *pin)
{
	static const struct ioapic all[] = {
		{ IOAPIC1_BASE, 0 },
		{ IOAPIC2_BASE, IOAPIC2_GSI_BASE },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(all); i++) {
		unsigned n = ioapic_pins(all[i].base);

		if (gsi >= all[i].gsi_base && gsi < all[i].gsi_base + n) {
			*out = all[i];
			*pin = gsi - all[i].gsi_base;
			return 0;
		}
	}
	return -ENODEV;
}

int plat_irq_attach(unsigned gsi, plat_irq_fn fn, void *arg)
{
	unsigned vector = IRQ_VECTOR_GSI_BASE + gsi, pin;
	unsigned long flags;
	struct ioapic io;
	uint32_t lo;
	int err;

	if (vector > IRQ_VECTOR_GSI_MAX || !fn)
		return -ENODEV;
	err = ioapic_find(gsi, &io, &pin);
	if (err)
		return err;
	flags = arch_irq_save();
	lo = ioapic_read(io.base, REG_REDIR(pin));
	if (!(lo & REDIR_MASKED)) {
		err = -EBUSY;
		goto out;
	}
	err = uk_irq_register(vector, fn, arg);
	if (err)
		goto out;
	/* Fixed delivery, physical destination: the boot CPU. */
	ioapic_write(io.base, REG_REDIR(pin) + 1, lapic_id() << 24);
	ioapic_write(io.base, REG_REDIR(pin), REDIR_LEVEL | vector);
out:
	arch_irq_restore(flags);
	return err;
}

static void fw_cfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Whether QEMU built ACPI tables for this machine (fw_cfg's file list). */
static bool machine_has_acpi(void)
{
	static const char want[] = "etc/acpi/tables";
	uint8_t sig[4], count[4];
	uint32_t n;

	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	if (memcmp(sig, "QEMU", 4))
		return false;
	outw(FW_CFG_PORT_SEL, FW_CFG_FILE_DIR);
	fw_cfg_read(count, sizeof(count));
	n = be32(count);
	/* A file entry: size (4), select (2), reserved (2), name (56). */
	for (uint32_t i = 0; i < n && i < 1024; i++) {
		uint8_t head[8];
		char name[FW_CFG_NAME_LEN];

		fw_cfg_read(head, sizeof(head));
		fw_cfg_read(name, sizeof(name));
		if (!memcmp(name, want, sizeof(want)))
			return true;
	}
	return false;
}

int plat_virtio_mmio_gsi(unsigned slot)
{
	static int base = -1;
	static unsigned slots;

	if (base < 0) {
		slots = VIRTIO_SLOTS;
		if (ioapic_pins(IOAPIC2_BASE)) {
			base = VIRTIO_GSI_BASE_IOAPIC2;
			slots = VIRTIO_SLOTS_IOAPIC2;
		} else if (machine_has_acpi()) {
			base = VIRTIO_GSI_BASE_ACPI;
		} else {
			base = VIRTIO_GSI_BASE_LEGACY;
		}
	}
	return slot < slots ? base + (int)slot : -ENODEV;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Power-off through QEMU's isa-debug-exit; the value encoding is in abi.h. */
#include <unitune/abi.h>
#include <uk/plat.h>
#include <uk/x86.h>

void plat_shutdown(uint32_t exit_value)
{
	irq_disable();
	outl(UNITUNE_EXIT_PORT, exit_value);
	/* Without the device (plain QEMU, real hardware) stop here. */
	for (;;)
		cpu_halt();
}

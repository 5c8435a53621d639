/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Booting a Linux kernel (bzImage) with an initramfs on the runner's
 * QEMU path, as the Linux baseline of `unitune bench http --baseline
 * linux` does (`unitune run --initrd FILE`): the same machine (microvm),
 * devices (virtio-mmio, user networking) and accelerator as a unikernel,
 * and these few differences, kept here:
 *
 *  - the kernel command line: the serial console, no reboot on panic
 *    (QEMU's -no-reboot then ends the boot), `quiet`, and the TSC's
 *    frequency given outright (tsc_early_khz=<host kHz> tsc=reliable).
 *    microvm has no HPET and no PM timer; Linux then calibrates the TSC
 *    against the PIT, which under TCG hung in 3 of 9 boots (DESIGN.md §7)
 *    and in 8 of 15 on a loaded host (docs/linux-baseline.md), while
 *    with the frequency given 20 of 20 served. Under TCG and KVM alike
 *    the guest's TSC runs at the host's rate, so the host's frequency is
 *    the right one to give.
 *  - -initrd FILE.
 *
 * The image checks of image.h (multiboot ELF) do not apply: the kernel
 * must be a bzImage instead (linux_boot_check).
 */
#ifndef UNITUNE_LINUX_BOOT_H
#define UNITUNE_LINUX_BOOT_H

#include <stddef.h>
#include <stdint.h>

/*
 * 0 when kernel is a readable x86 bzImage (the "HdrS" boot header at
 * 0x202) and initrd a readable regular file; else -errno or -ENOEXEC
 * with one line in why naming the file and what is wrong.
 */
int linux_boot_check(const char *kernel, const char *initrd, char *why,
		     size_t why_len);

/*
 * The host's TSC frequency in kHz, measured against CLOCK_MONOTONIC over
 * about 20 ms and rounded to 1 MHz (what Linux itself prints); 0 when
 * the host has no usable TSC (the command line then names none).
 */
uint64_t linux_boot_tsc_khz(void);

/*
 * The kernel command line: the fixed words above (with tsc_khz, 0 for
 * none), then opts (NULL or verbatim), then " -- " and the init's
 * arguments when argc > 0 (Linux hands the words after "--" to init).
 * *out is the caller's to free. 0, -EINVAL (a NULL argument) or -ENOMEM.
 */
int linux_boot_cmdline(const char *opts, const char *const *argv,
		       size_t argc, uint64_t tsc_khz, char **out);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest/host interface of Unitune: one C99 header, shared by the
 * unikernel and the host tools, with nothing in it but constants and
 * fixed-width layouts. Bump UNITUNE_ABI_VERSION on any incompatible change.
 */
#ifndef UNITUNE_ABI_H
#define UNITUNE_ABI_H

#define UNITUNE_ABI_VERSION 1

/*
 * Shutdown through QEMU's isa-debug-exit device.
 *
 * The guest writes a value V to UNITUNE_EXIT_PORT and QEMU exits with
 * (V << 1) | 1. A process status keeps 8 bits, so V has 7 usable bits, and
 * QEMU's own failures exit with 1 (V = 0) while a reset with -no-reboot
 * (a triple fault, for instance) exits with 0. The guest therefore never
 * writes 0:
 *
 *   V = status + 1            application exit status 0..124
 *   V = UNITUNE_EXIT_WIDE     status 125..255: the guest printed
 *                             UNITUNE_MSG_EXIT "<status>" as its last line
 *   V = UNITUNE_EXIT_CRASH    panic or unhandled exception; the guest printed
 *                             UNITUNE_MSG_CRASH "<reason>" first
 *
 * The host decodes a QEMU exit code C: C odd and C > 1 comes from the guest
 * (V = C >> 1); C == 1 is a QEMU failure; C == 0 is a guest reset.
 */
#define UNITUNE_EXIT_PORT 0xf4
#define UNITUNE_EXIT_STATUS_MAX_DIRECT 124
#define UNITUNE_EXIT_WIDE 0x7e
#define UNITUNE_EXIT_CRASH 0x7f

/*
 * Console lines the host parses. Every kernel message starts with
 * UNITUNE_MSG_PREFIX so it can be told apart from application output.
 */
#define UNITUNE_MSG_PREFIX "[uk] "
/* "[uk] boot: cycles=<main - first> tsc_first=<n> tsc_main=<n>" (a later
 * field tsc_hz=<n> is optional; readers skip fields they do not know) */
#define UNITUNE_MSG_BOOT "[uk] boot: "
/* "[uk] exit status <n>" (only for statuses above the direct range) */
#define UNITUNE_MSG_EXIT "[uk] exit status "
/* "[uk] crash: <one-line reason>", then registers and a backtrace */
#define UNITUNE_MSG_CRASH "[uk] crash: "
/*
 * Guest test framework:
 *   "[uktest] <suite>.<test>: ok"
 *   "[uktest] <suite>.<test>: FAIL <file>:<line>: <message>"
 *   "[uktest] summary: <n> passed, <n> failed"
 */
#define UNITUNE_MSG_TEST "[uktest] "
#define UNITUNE_MSG_TEST_SUMMARY "[uktest] summary: "

#endif /* UNITUNE_ABI_H */

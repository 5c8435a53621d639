/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SOCKPROBE_CHECKS_H
#define SOCKPROBE_CHECKS_H
/* The socket layer's checks over loopback: the number that failed. */
int sock_checks(void);
#endif

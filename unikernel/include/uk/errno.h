/* SPDX-License-Identifier: BSD-3-Clause */
/* Error numbers inside the kernel: functions return them negated (-EINVAL),
 * with the values Linux and musl use, so a syscall can pass them through. */
#ifndef UK_ERRNO_H
#define UK_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define E2BIG 7
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define EMFILE 24
#define ENOTTY 25
#define ESPIPE 29
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define ELOOP 40
#define ENOTSUP 95
#define ENOTCONN 107
#define ETIMEDOUT 110

#endif

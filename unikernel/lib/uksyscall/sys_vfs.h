/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal to lib/uksyscall's file calls (sys_vfs.c, sys_path.c, and
 * fcntl in sys_io.c): the stat layouts and the record-lock commands. */
#ifndef UKSYSCALL_SYS_VFS_H
#define UKSYSCALL_SYS_VFS_H

#include <uk/file.h>
#include <uk/vfs.h>

/* Copy st to user memory as struct stat / struct statx: 0 or -EFAULT. */
long uk_sys_vfs_put_stat(const struct uk_vfs_stat *st, long user);
long uk_sys_vfs_put_statx(const struct uk_vfs_stat *st, long user);
/* statx of an open descriptor (AT_EMPTY_PATH). */
long uk_sys_vfs_fstatx(long fd, long user);
/* fcntl's F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ ones. */
int uk_sys_vfs_is_lock_cmd(long cmd);
long uk_sys_vfs_fcntl_lock(struct uk_file *f, int cmd, long arg);

#endif

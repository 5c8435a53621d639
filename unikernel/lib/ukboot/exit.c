/* SPDX-License-Identifier: BSD-3-Clause */
#include <unitune/abi.h>
#include <uk/boot.h>
#include <uk/exit.h>
#include <uk/plat.h>
#include <uk/print.h>

extern const uk_exit_hook_fn _uk_exit_hooks_start[], _uk_exit_hooks_end[];

static void run_exit_hooks(int status)
{
	static int exiting;

	/* A hook that exits or crashes must not loop through the hooks. */
	if (exiting++)
		return;
	for (const uk_exit_hook_fn *h = _uk_exit_hooks_start;
	     h < _uk_exit_hooks_end; h++)
		(*h)(status);
}

void uk_exit(int status)
{
	status &= 0xff;
	run_exit_hooks(status);
	uk_boot_report_memory();
	if (status <= UNITUNE_EXIT_STATUS_MAX_DIRECT)
		plat_shutdown((uint32_t)status + 1);
	/* Seven bits do not hold it: say it on the console, then flag that. */
	uk_printk("%s%s%d\n", plat_console_at_line_start() ? "" : "\n",
		  UNITUNE_MSG_EXIT, status);
	plat_shutdown(UNITUNE_EXIT_WIDE);
}

void uk_exit_crash(int status)
{
	run_exit_hooks(-1);
	uk_printk("%s%s%d\n", plat_console_at_line_start() ? "" : "\n",
		  UNITUNE_MSG_CRASH_STATUS, status & 0xff);
	plat_shutdown(UNITUNE_EXIT_CRASH);
}

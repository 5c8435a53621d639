/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot sequence, from the first C line to main(). Boot cost is read in
 * TSC cycles: boot.S records the first instruction's TSC, and the TSC just
 * before main() is printed beside it.
 */
#include <unitune/abi.h>
#include <uk/boot.h>
#include <uk/cpu.h>
#include <uk/debug.h>
#include <uk/errno.h>
#include <uk/exit.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/alloc.h>
#include <uk/libc.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include <uk/test.h>
#include <uk/trace.h>
#include <uk/trap.h>
#include <uk/x86.h>

#define KIB 1024UL

extern uint64_t boot_tsc_first;

static struct plat_bootinfo bootinfo;
/* Free RAM after the image, before the main stack takes its share. */
static uint64_t free_start;
static struct uk_cpu_features cpu_features;
static char *app_argv[UNITUNE_ARGC_MAX + 1];
static char *app_envp[UNITUNE_ENVC_MAX + 1];

static uint64_t step_tsc[UK_BOOT_STEP_COUNT];

extern const uk_driver_init_fn _uk_driver_inits_start[], _uk_driver_inits_end[];

void uk_drivers_init(void)
{
	for (const uk_driver_init_fn *f = _uk_driver_inits_start;
	     f < _uk_driver_inits_end; f++)
		(*f)();
}

void uk_boot_step(enum uk_boot_step step)
{
	step_tsc[step] = rdtsc();
	if (IS_ENABLED(CONFIG_UKTRACE))
		uk_trace_boot_step(step);
}

uint64_t uk_boot_step_tsc(enum uk_boot_step step)
{
	return step == UK_BOOT_STEP_ENTRY ? boot_tsc_first : step_tsc[step];
}

uint64_t uk_boot_tsc_first(void)
{
	return boot_tsc_first;
}

/* The image, its stack and the smallest heap must fit in the RAM region
 * the loader put the image in; say exactly how short it is. */
static void check_memory(void)
{
	uint64_t need = (CONFIG_UKBOOT_STACK_KB + CONFIG_UKBOOT_MIN_HEAP_KB) * KIB;
	uint64_t have = bootinfo.heap_end > bootinfo.heap_start
				? bootinfo.heap_end - bootinfo.heap_start
				: 0;

	if (have < need)
		uk_crash(UNITUNE_CRASH_OOM,
			 "out of memory: the image ends at %lu KiB and needs %lu KiB "
			 "more (stack %d KiB + heap %d KiB), but only %lu KiB of "
			 "the guest's %lu KiB is free; give the guest more memory",
			 bootinfo.heap_start / KIB, need / KIB,
			 CONFIG_UKBOOT_STACK_KB, CONFIG_UKBOOT_MIN_HEAP_KB,
			 have / KIB, bootinfo.ram_total / KIB);
}

/* UNITUNE_MSG_MEM: what check_memory asks for, or what the allocator's
 * blocks reached if that is more. */
void uk_boot_report_memory(void)
{
	struct uk_alloc *a = uk_alloc_default();
	uint64_t need = free_start +
			(CONFIG_UKBOOT_STACK_KB + CONFIG_UKBOOT_MIN_HEAP_KB) * KIB;
	uint64_t pool_end;

	if (!a)
		return;
	pool_end = bootinfo.heap_start + uk_alloc_pool_need(a);
	if (pool_end > need)
		need = pool_end;
	uk_printk("%s%sneed=%lu\n", plat_console_at_line_start() ? "" : "\n",
		  UNITUNE_MSG_MEM, need);
}

void uk_boot_enter_main(void)
{
	uk_boot_step(UK_BOOT_STEP_MAIN);
	uint64_t tsc_main = step_tsc[UK_BOOT_STEP_MAIN];

	uk_printk("%scycles=%lu tsc_first=%lu tsc_main=%lu\n", UNITUNE_MSG_BOOT,
		  tsc_main - boot_tsc_first, boot_tsc_first, tsc_main);
}

static void boot_main(void *unused)
{
	struct uk_cmdline cmd = { app_argv, ARRAY_SIZE(app_argv), app_envp,
				  ARRAY_SIZE(app_envp), NULL };
	(void)unused;

	plat_irq_init();
	uk_boot_step(UK_BOOT_STEP_IRQ);
	if (uk_alloc_default_init((void *)bootinfo.heap_start,
				  bootinfo.heap_end - bootinfo.heap_start) < 0)
		uk_panic("cannot set up the allocator over %lu KiB",
			 (bootinfo.heap_end - bootinfo.heap_start) / KIB);
	uk_boot_step(UK_BOOT_STEP_ALLOC);
	uk_syscall_init();
	uk_boot_step(UK_BOOT_STEP_SYSCALL);
	uk_sched_init();
	uk_boot_step(UK_BOOT_STEP_SCHED);
	uk_drivers_init();
	if (IS_ENABLED(CONFIG_UKTRACE))
		uk_trace_init();
	uk_boot_step(UK_BOOT_STEP_DRIVERS);
	int argc = uk_boot_parse_cmdline((char *)bootinfo.cmdline,
					 CONFIG_UK_APPNAME, &cmd);
	if (argc < 0)
		uk_panic("bad command line (%s; at most %d arguments and %d "
			 "variables): %s",
			 argc == -E2BIG ? "too many words" : "unterminated quote",
			 UNITUNE_ARGC_MAX, UNITUNE_ENVC_MAX,
			 bootinfo.cmdline);
	if (cmd.bad)
		uk_pr_warn("ignored kernel parameter '%s' (unknown or bad value)\n",
			   cmd.bad);
	uk_boot_step(UK_BOOT_STEP_CMDLINE);
	if (IS_ENABLED(CONFIG_UKBOOT_BANNER))
		uk_pr_info("unitune %s: %lu KiB RAM in %u regions, heap %lu KiB, "
			   "avx %u\n", CONFIG_UK_APPNAME, bootinfo.ram_total / KIB,
			   bootinfo.nregions,
			   (bootinfo.heap_end - bootinfo.heap_start) / KIB,
			   cpu_features.avx);

	uktest_run_all();
	uk_boot_step(UK_BOOT_STEP_TESTS);

	irq_enable();
	uk_boot_step(UK_BOOT_STEP_LIBC);
	uk_libc_start(argc, app_argv, app_envp);
}

void uk_boot_entry(uint32_t magic, uint32_t info)
{
	plat_console_init();
	uk_boot_step(UK_BOOT_STEP_CONSOLE);
	uk_trap_init();
	uk_cpu_init(&cpu_features);
	uk_boot_step(UK_BOOT_STEP_TRAPS);
	if (plat_bootinfo_parse(magic, info, &bootinfo) < 0)
		uk_panic("not started by a multiboot loader (magic 0x%x)", magic);
	check_memory();
	uk_boot_step(UK_BOOT_STEP_MEMORY);

	/* main() gets its own stack at the start of free RAM. */
	free_start = bootinfo.heap_start;
	uint64_t stack_top = bootinfo.heap_start + CONFIG_UKBOOT_STACK_KB * KIB;
	bootinfo.heap_start = stack_top;
	arch_call_on_stack((void *)stack_top, boot_main, NULL);
}

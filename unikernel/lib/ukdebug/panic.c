/* SPDX-License-Identifier: BSD-3-Clause */
#include <unitune/abi.h>
#include <uk/debug.h>
#include <uk/exit.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/trap.h>
#include <uk/x86.h>

static int crashing;

/* A fault while reporting a fault must not recurse: stop at once. */
static void enter_crash(void)
{
	irq_disable();
	if (__atomic_exchange_n(&crashing, 1, __ATOMIC_SEQ_CST)) {
		uk_printk("\n%sfault while reporting a crash\n%s%d\n",
			  UNITUNE_MSG_CRASH, UNITUNE_MSG_CRASH_STATUS,
			  UNITUNE_CRASH_PANIC);
		plat_shutdown(UNITUNE_EXIT_CRASH);
	}
	/* Put the report at the start of a line even after partial output. */
	uk_printk("\n");
}

static void print_registers(const struct trap_frame *f)
{
	uk_printk("[uk] registers:\n"
		  "  rip %016lx  rsp %016lx  rflags %016lx\n"
		  "  rax %016lx  rbx %016lx  rcx %016lx\n"
		  "  rdx %016lx  rsi %016lx  rdi %016lx\n"
		  "  rbp %016lx  r8  %016lx  r9  %016lx\n"
		  "  r10 %016lx  r11 %016lx  r12 %016lx\n"
		  "  r13 %016lx  r14 %016lx  r15 %016lx\n"
		  "  cs %04lx  ss %04lx  cr2 %016lx  cr3 %016lx  error %lx\n",
		  f->rip, f->rsp, f->rflags, f->rax, f->rbx, f->rcx, f->rdx,
		  f->rsi, f->rdi, f->rbp, f->r8, f->r9, f->r10, f->r11, f->r12,
		  f->r13, f->r14, f->r15, f->cs, f->ss, read_cr2(), read_cr3(),
		  f->error);
}

void uk_crash_frame(const struct trap_frame *frame, int status,
		    const char *reason)
{
	enter_crash();
	uk_printk("%s%s\n", UNITUNE_MSG_CRASH, reason);
	print_registers(frame);
	uk_backtrace_print(frame->rip, frame->rsp, frame->rbp);
	uk_exit_crash(status);
}

void uk_crash(int status, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	enter_crash();
	va_start(ap, fmt);
	uk_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uk_printk("%s%s\n", UNITUNE_MSG_CRASH, msg);
	uint64_t rip;
	__asm__ volatile("leaq (%%rip), %0" : "=r"(rip));
	uk_backtrace_print(rip, 0, (uint64_t)__builtin_frame_address(0));
	uk_exit_crash(status);
}

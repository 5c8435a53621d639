/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dispatch for the ring-0 syscall shim. Every call lands in
 * uk_syscall_dispatch (from arch/x86_64/syscall_entry.S). A number without
 * a handler returns -ENOSYS and is counted by name; the counts are printed
 * at exit, so a user learns exactly what an application needs.
 */
#include <uk/boot.h>
#include <uk/compiler.h>
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/print.h>
#include <uk/string.h>
#include <uk/syscall.h>
#include <uk/syscall_impl.h>
#if CONFIG_UKSIGNAL
#include <uk/signal.h>
#endif
#include <uk/trace.h>
#include <uk/x86.h>

#define STACK_BYTES (CONFIG_UKSYSCALL_STACK_KB * 1024)

#if CONFIG_UKSYSCALL_TRACEPOINTS
UK_TRACEPOINT(syscall, 3, UT_ARG_U64, UT_ARG_HEX, UT_ARG_HEX);
UK_TRACEPOINT(syscall_ret, 2, UT_ARG_U64, UT_ARG_S64);
#else
UK_TRACEPOINT_OFF(syscall, 3);
UK_TRACEPOINT_OFF(syscall_ret, 2);
#endif

/* Read by syscall_entry.S, which cannot call accessors before it has a
 * stack; written only through uk_syscall_set_stack. */
uintptr_t syscall_stack_top;
uintptr_t syscall_scratch_rsp;

static uint8_t main_syscall_stack[STACK_BYTES] __attribute__((aligned(16)));
static uint32_t enosys_counts[UK_SYSCALL_MAX];
static uint32_t enosys_other; /* numbers beyond the table */

extern char syscall_entry[];

void uk_syscall_set_stack(uintptr_t top)
{
	syscall_stack_top = top;
}

uintptr_t uk_syscall_main_stack(void)
{
	return (uintptr_t)&main_syscall_stack[STACK_BYTES];
}

void uk_syscall_init(void)
{
	syscall_stack_top = uk_syscall_main_stack();
	uk_fd_init();
	/* SYSCALL loads CS from STAR[47:32] (and SS = CS + 8): our own
	 * kernel segments, since we stay at ring 0. */
	wrmsr(MSR_STAR, (uint64_t)BOOT_CS << 32);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Clear IF (no interrupt before the stack switch), DF, TF, AC. */
	wrmsr(MSR_FMASK, (1u << 9) | (1u << 10) | (1u << 8) | (1u << 18));
}

#if CONFIG_UKSIGNAL
/* syscall_entry.S pushes the caller's registers from the top of the
 * current thread's syscall stack down: they are right below it. */
struct uk_syscall_frame *uk_syscall_frame(void)
{
	return (struct uk_syscall_frame *)(syscall_stack_top -
					   sizeof(struct uk_syscall_frame));
}

/* The one place a broken pipe or socket becomes SIGPIPE: every write
 * path returns -EPIPE through here. */
static long signal_on_result(unsigned long nr, long a2, long a3, long ret)
{
	if (ret == -EPIPE)
		uk_signal_epipe(nr, nr == SYS_sendmsg ? a2 : a3);
	return ret;
}
#else
static inline long signal_on_result(unsigned long nr, long a2, long a3,
				    long ret)
{
	(void)nr, (void)a2, (void)a3;
	return ret;
}
#endif

static const char *syscall_name(unsigned long nr)
{
	return nr < UK_SYSCALL_MAX && uk_syscall_names[nr] ? uk_syscall_names[nr]
							   : "?";
}

static long trace_result(unsigned long nr, long a0, long a1, long a2, long ret)
{
	uk_tp_syscall_ret(nr, (uint64_t)ret);
	if (IS_ENABLED(CONFIG_UKSYSCALL_TRACE))
		uk_printk("[uk] syscall %s(0x%lx, 0x%lx, 0x%lx) = %ld\n",
			  syscall_name(nr), a0, a1, a2, ret);
	return ret;
}

long uk_syscall_dispatch(unsigned long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5)
{
	uk_tp_syscall(nr, (uint64_t)a0, (uint64_t)a1);
	if (nr >= UK_SYSCALL_MAX) {
		enosys_other++;
		return trace_result(nr, a0, a1, a2, -ENOSYS);
	}
	if (!uk_syscall_table[nr]) {
		enosys_counts[nr]++;
		return trace_result(nr, a0, a1, a2, -ENOSYS);
	}
	/* These never return, so their line is written before, as strace
	 * does: "= ?". */
	if (IS_ENABLED(CONFIG_UKSYSCALL_TRACE) &&
	    (nr == SYS_exit || nr == SYS_exit_group))
		uk_printk("[uk] syscall %s(0x%lx, 0x%lx, 0x%lx) = ?\n",
			  syscall_name(nr), a0, a1, a2);
	return trace_result(nr, a0, a1, a2,
			    signal_on_result(nr, a2, a3, uk_syscall_table[nr](
						     a0, a1, a2, a3, a4, a5)));
}

/* Appends "name (count)" to the line, or hands the full line to emit first. */
static void enosys_add(struct uk_enosys_line *l, const char *name,
		       uint32_t count, uk_enosys_emit_fn emit, void *ctx)
{
	char item[UK_ENOSYS_LINE_MAX];
	int n = uk_snprintf(item, sizeof(item), "%s (%u)", name, count);

	if (n < 0 || (size_t)n >= sizeof(item))
		n = (int)sizeof(item) - 1; /* names are short: cannot happen */
	if (l->len && l->len + 2 + (size_t)n >= sizeof(l->text)) {
		emit(l->text, ctx);
		l->len = 0;
	}
	if (l->len) {
		memcpy(l->text + l->len, ", ", 2);
		l->len += 2;
	}
	memcpy(l->text + l->len, item, (size_t)n);
	l->len += (size_t)n;
	l->text[l->len] = '\0';
}

void uk_syscall_enosys_lines(const uint32_t counts[UK_SYSCALL_MAX],
			     uint32_t other, uk_enosys_emit_fn emit, void *ctx)
{
	struct uk_enosys_line l = { .len = 0 };

	for (unsigned nr = 0; nr < UK_SYSCALL_MAX; nr++)
		if (counts[nr])
			enosys_add(&l, syscall_name(nr), counts[nr], emit, ctx);
	if (other)
		enosys_add(&l, "unknown numbers", other, emit, ctx);
	if (l.len)
		emit(l.text, ctx);
}

static void print_enosys_line(const char *line, void *ctx)
{
	(void)ctx;
	uk_printk("%s%s%s\n", plat_console_at_line_start() ? "" : "\n",
		  "[uk] syscalls not implemented: ", line);
}

/*
 * "[uk] syscalls not implemented: pipe (1), mremap (2)", as many lines as
 * the list needs: every name is printed, none is cut.
 */
static void report_enosys(int status)
{
	(void)status;
	uk_syscall_enosys_lines(enosys_counts, enosys_other, print_enosys_line,
				NULL);
}
UK_EXIT_HOOK(report_enosys);

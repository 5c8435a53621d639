/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The signal frame, laid out as Linux's x86_64 rt_sigframe: the return
 * address (the restorer, which calls rt_sigreturn), a ucontext whose
 * mcontext holds every register of the interrupted syscall, the siginfo,
 * and the FPU/SSE state (fxsave) the ucontext points to. It goes below the
 * red zone of the interrupted code, or at the top of the alternate stack.
 *
 * rt_sigreturn puts the registers back into the syscall frame, so the
 * syscall that was interrupted returns its own result. rcx and r11 are
 * not restored: the syscall instruction clobbers them anyway, and signals
 * are only ever delivered at a syscall's return.
 */
#include <uk/errno.h>
#include <uk/signal.h>
#include <uk/string.h>

#define RED_ZONE 128
#define FXSAVE_BYTES 512
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_DF (1UL << 10)
/* What a handler may change in the saved flags (Linux's FIX_EFLAGS). */
#define RFLAGS_USER 0x50dd5UL
#define UNBLOCKABLE (UK_SIGBIT(9) | UK_SIGBIT(19))

struct stack_k {
	uint64_t sp;
	int32_t flags, pad_;
	uint64_t size;
};

struct mcontext_k {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, rflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate, reserved[8];
};

struct ucontext_k {
	uint64_t flags, link;
	struct stack_k stack;
	struct mcontext_k mc;
	uint64_t sigmask;
	uint64_t sigmask_rest[15]; /* musl's sigset_t is 128 bytes */
};

struct sigframe_k {
	uint64_t restorer;
	struct ucontext_k uc;
	struct uk_siginfo info;
};

/* Offsets the C library relies on (musl's ucontext_t). */
_Static_assert(__builtin_offsetof(struct ucontext_k, mc) == 40, "uc_mcontext");
_Static_assert(__builtin_offsetof(struct ucontext_k, sigmask) == 296, "uc_sigmask");

static bool on_altstack(const struct uk_signal_state *s, uint64_t sp)
{
	return s->altstack_size && sp > s->altstack_sp &&
	       sp - s->altstack_sp <= s->altstack_size;
}

static void fill_mcontext(struct mcontext_k *mc, const struct uk_syscall_frame *f,
			  long ret)
{
	*mc = (struct mcontext_k){
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r12 = f->r12,
		.r13 = f->r13, .r14 = f->r14, .r15 = f->r15, .rdi = f->rdi,
		.rsi = f->rsi, .rbp = f->rbp, .rbx = f->rbx, .rdx = f->rdx,
		.rax = (uint64_t)ret, .rcx = f->rip, .r11 = f->rflags,
		.rsp = f->rsp, .rip = f->rip, .rflags = f->rflags,
	};
}

bool uk_signal_frame_push(struct uk_syscall_frame *f, int sig, long ret,
			  uint64_t old_mask)
{
	struct uk_signal_state *s = uk_signal_state();
	const struct uk_sigaction_k *a = &s->act[sig];
	uint64_t sp = f->rsp;
	struct sigframe_k *frame;
	uint8_t *fpstate;

	if (!(a->flags & UK_SA_RESTORER) || !a->restorer)
		return false;
	if ((a->flags & UK_SA_ONSTACK) && s->altstack_size &&
	    !(s->altstack_flags & UK_SS_DISABLE) && !on_altstack(s, sp))
		sp = s->altstack_sp + s->altstack_size;
	else
		sp -= RED_ZONE;
	sp = (sp - FXSAVE_BYTES) & ~63UL;
	fpstate = (uint8_t *)sp;
	/* At the handler's entry, as after a call: rsp + 8 is 16-aligned. */
	sp = ((sp - sizeof(*frame)) & ~15UL) - 8;
	frame = (struct sigframe_k *)sp;
	__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[FXSAVE_BYTES])fpstate));
	memset(frame, 0, sizeof(*frame));
	frame->restorer = a->restorer;
	fill_mcontext(&frame->uc.mc, f, ret);
	frame->uc.mc.fpstate = (uint64_t)fpstate;
	frame->uc.mc.oldmask = old_mask;
	frame->uc.sigmask = old_mask;
	frame->uc.stack = (struct stack_k){
		.sp = s->altstack_sp,
		.size = s->altstack_size,
		.flags = !s->altstack_size ? UK_SS_DISABLE
			 : on_altstack(s, f->rsp) ? UK_SS_ONSTACK : s->altstack_flags,
	};
	frame->info = s->info[sig];
	f->rip = a->handler;
	f->rsp = sp;
	f->rdi = (uint64_t)sig;
	f->rsi = (uint64_t)&frame->info;
	f->rdx = (uint64_t)&frame->uc;
	f->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
	return true;
}

/* The restorer's `ret` popped the return address: the frame is 8 below. */
long uk_sys_rt_sigreturn(long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct uk_syscall_frame *f = uk_syscall_frame();
	const struct sigframe_k *frame = (const struct sigframe_k *)(f->rsp - 8);
	const struct mcontext_k *mc = &frame->uc.mc;

	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	uk_signal_state()->blocked = frame->uc.sigmask & ~UNBLOCKABLE;
	if (mc->fpstate && !(mc->fpstate & 15))
		__asm__ volatile("fxrstor64 %0"
				 : : "m"(*(const uint8_t(*)[FXSAVE_BYTES])mc->fpstate));
	f->r8 = mc->r8, f->r9 = mc->r9, f->r10 = mc->r10, f->r12 = mc->r12;
	f->r13 = mc->r13, f->r14 = mc->r14, f->r15 = mc->r15;
	f->rdi = mc->rdi, f->rsi = mc->rsi, f->rbp = mc->rbp, f->rbx = mc->rbx;
	f->rdx = mc->rdx, f->rsp = mc->rsp, f->rip = mc->rip;
	f->rflags = (f->rflags & ~RFLAGS_USER) | (mc->rflags & RFLAGS_USER);
	return (long)mc->rax;
}

long uk_sys_sigaltstack(long ss, long old, long a2, long a3, long a4, long a5)
{
	struct uk_signal_state *s = uk_signal_state();
	bool on = on_altstack(s, uk_syscall_frame()->rsp);

	(void)a2, (void)a3, (void)a4, (void)a5;
	if (old)
		*(struct stack_k *)old = (struct stack_k){
			.sp = s->altstack_sp,
			.size = s->altstack_size,
			.flags = on ? UK_SS_ONSTACK
				 : !s->altstack_size ? UK_SS_DISABLE : 0,
		};
	if (!ss)
		return 0;
	const struct stack_k *n = (const struct stack_k *)ss;
	if (on)
		return -EPERM;
	if (n->flags & UK_SS_DISABLE) {
		s->altstack_sp = s->altstack_size = 0;
		s->altstack_flags = UK_SS_DISABLE;
		return 0;
	}
	if (n->flags)
		return -EINVAL;
	if (n->size < UK_MINSIGSTKSZ)
		return -ENOMEM;
	s->altstack_sp = n->sp;
	s->altstack_size = n->size;
	s->altstack_flags = 0;
	return 0;
}

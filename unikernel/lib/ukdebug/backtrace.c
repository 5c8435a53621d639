/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stack walking. Kernel and application code keep frame pointers; musl is
 * built without them, so a frame-pointer walk alone stops (or goes astray)
 * at the first libc function: abort() -> raise() -> syscall is the usual
 * case. The walk therefore follows frame records where a function has
 * them, and for a function without (the link puts musl and libgcc last in
 * the text, from _text_no_fp) looks up the stack for its return address:
 * the first word that returns right after a direct call to that very
 * function. Leaving such a function, the next framed one finds its own
 * return address the same way, and its frame record just below it.
 *
 * Every pointer read is checked against RAM first, and every return
 * address must be in the image's text: a corrupt frame ends the walk, it
 * neither faults inside a crash report nor shows up as a frame.
 */
#include <uk/debug.h>
#include <uk/plat.h>
#include <uk/print.h>

/* How far above a frameless function's stack pointer its return address
 * is looked for: musl's deepest frames (stdio) stay well inside. */
#define SCAN_WORDS 512

extern const char _image_start[], _etext[], _text_no_fp[];

enum walk_end {
	WALK_OUTERMOST,	/* a zero frame pointer or return address */
	WALK_LOST,	/* no return address found for a frameless function */
	WALK_CORRUPT,	/* a frame record that cannot be one */
};

struct walk {
	uint64_t pc;	/* exact for the first frame, a return address after */
	uint64_t sp;	/* the stack pointer in that frame (0: unknown) */
	uint64_t rbp;	/* the rbp register in that frame */
	int rbp_ok;	/* rbp is the caller's frame pointer, if it has one */
	int first;
	int at_entry;	/* the first function has pushed nothing yet: its
			 * return address is at [sp], rbp is its caller's */
	enum walk_end end;
	uint64_t bad;	/* the value that ended a WALK_CORRUPT walk */
};

static int is_text(uint64_t a)
{
	return a >= (uint64_t)_image_start && a < (uint64_t)_etext;
}

static int read_u64(uint64_t addr, uint64_t *v)
{
	if ((addr & 7) || !plat_addr_readable(addr, 8))
		return 0;
	*v = *(const uint64_t *)addr;
	return 1;
}

/*
 * Is ret the return address of a direct call to the function that starts
 * at fn_start? Return addresses follow the call: e8 rel32 ends at ret.
 */
static int is_direct_call_to(uint64_t ret, uint64_t fn_start)
{
	const uint8_t *call = (const uint8_t *)(ret - 5);
	int32_t rel;

	if (!is_text(ret) || !plat_addr_readable(ret - 5, 5) || call[0] != 0xe8)
		return 0;
	__builtin_memcpy(&rel, call + 1, sizeof(rel));
	return ret + (uint64_t)(int64_t)rel == fn_start;
}

/* Does ret follow a call instruction: e8 rel32, or ff /2 through a
 * register or memory operand (the common encodings)? */
static int follows_call(uint64_t ret)
{
	const uint8_t *b = (const uint8_t *)(ret - 7);

	if (!is_text(ret) || !plat_addr_readable(ret - 7, 7))
		return 0;
	return b[2] == 0xe8 ||					   /* rel32 */
	       (b[5] == 0xff && (b[6] & 0xf8) == 0xd0) ||	   /* *%reg */
	       (b[4] == 0xff && (b[5] & 0xf8) == 0xd0) ||	   /* *%r8-15 */
	       (b[4] == 0xff && (b[5] & 0xf8) == 0x50) ||	   /* disp8 */
	       (b[1] == 0xff && (b[2] == 0x15 || (b[2] & 0xf8) == 0x90)); /* disp32 */
}

/* The syscall shim's frame record returns right after a `syscall`
 * (0f 05). */
static int follows_syscall(uint64_t ret)
{
	const uint8_t *insn = (const uint8_t *)(ret - 2);

	return is_text(ret) && plat_addr_readable(ret - 2, 2) &&
	       insn[0] == 0x0f && insn[1] == 0x05;
}

/* Kernel and application code keep frame pointers; musl and libgcc,
 * linked after _text_no_fp, do not. */
static int has_frame_pointer(uint64_t pc)
{
	return pc < (uint64_t)_text_no_fp;
}

/* Where the walk's function is: a return address may sit just past a
 * call to a noreturn function at the very end of its caller. */
static uint64_t current_pc(const struct walk *w)
{
	return w->first ? w->pc : w->pc - 1;
}

/* Start of the function that holds pc, or 0. */
static uint64_t function_start(uint64_t pc)
{
	uint64_t off;

	return uk_ksym_lookup(pc, &off) ? pc - off : 0;
}

/* Up through a frame record at rbp: [rbp] caller's rbp, [rbp+8] return. */
static int step_frame_record(struct walk *w)
{
	uint64_t rbp = w->rbp, next, ret, sp;

	if (!rbp) {
		w->end = WALK_OUTERMOST;
		return 0;
	}
	if (!read_u64(rbp, &next) || !read_u64(rbp + 8, &ret)) {
		w->end = WALK_CORRUPT;
		w->bad = rbp;
		return 0;
	}
	if (!ret) {
		w->end = WALK_OUTERMOST;
		return 0;
	}
	if (!is_text(ret)) {
		w->end = WALK_CORRUPT;
		w->bad = ret;
		return 0;
	}
	sp = rbp + 16;
	/* The syscall shim's record: the caller's own stack pointer is
	 * what the shim saved (arch/x86_64/syscall_entry.S). */
	if (follows_syscall(ret) && !read_u64(rbp + 32, &sp))
		sp = 0;
	w->pc = ret;
	w->sp = sp;
	w->rbp = next;
	/* Stacks grow down: a caller's frame lies above, and 0 marks the
	 * outermost. A frameless caller's rbp is anything, which matters
	 * only if it is used. */
	w->rbp_ok = !next || next > rbp;
	if (!w->rbp_ok && has_frame_pointer(ret - 1)) {
		w->end = WALK_CORRUPT;
		w->bad = next;
		return 0;
	}
	return 1;
}

/* Up from a function whose frame pointer is unknown: find the word that
 * returns from a direct call to fn. */
static int step_scan(struct walk *w, uint64_t fn, int framed)
{
	uint64_t slot, ret;

	for (slot = w->sp; w->sp && slot < w->sp + SCAN_WORDS * 8; slot += 8) {
		if (!read_u64(slot, &ret))
			break;
		if (!is_direct_call_to(ret, fn))
			continue;
		w->pc = ret;
		w->sp = slot + 8;
		/* A framed function's record sits right below its return
		 * address; a frameless one may have used rbp for anything. */
		w->rbp_ok = framed && read_u64(slot - 8, &w->rbp);
		return 1;
	}
	return 0;
}

/* rbp could be the frame of the function running at sp: it lies above. */
static int rbp_plausible(const struct walk *w)
{
	return w->sp && w->rbp >= w->sp && w->rbp < w->sp + SCAN_WORDS * 8;
}

/*
 * A framed function entered through a jump (GCC's .cold parts) and left
 * by frameless code that reused rbp: its frame record is the first pair
 * above sp that looks like one, a saved rbp further up (or 0) and then a
 * return address after a call.
 */
static int find_frame_record(struct walk *w)
{
	uint64_t slot, saved, ret;

	for (slot = w->sp; w->sp && slot < w->sp + SCAN_WORDS * 8; slot += 8) {
		if (!read_u64(slot, &saved) || !read_u64(slot + 8, &ret))
			break;
		if ((saved && (saved <= slot || saved > slot + (1u << 20))) ||
		    !follows_call(ret))
			continue;
		w->rbp = slot;
		return 1;
	}
	return 0;
}

static int step(struct walk *w)
{
	uint64_t pc = current_pc(w), fn = function_start(pc);
	int framed = has_frame_pointer(pc);

	w->first = 0;
	if (w->at_entry) {
		w->at_entry = 0;
		read_u64(w->sp, &w->pc);
		w->sp += 8;
		return 1;
	}
	if (w->rbp_ok && framed)
		return step_frame_record(w);
	if (fn && step_scan(w, fn, framed))
		return 1;
	/* Called through a pointer, so no direct call to find: a framed
	 * function whose frameless callees left rbp alone still has it. */
	if (framed && (rbp_plausible(w) || find_frame_record(w)))
		return step_frame_record(w);
	w->end = WALK_LOST;
	return 0;
}

static size_t walk_collect(struct walk *w, uint64_t *pcs, size_t max,
			   int *truncated)
{
	size_t n = 0;

	*truncated = 0;
	if (!max)
		return 0;
	pcs[n++] = w->pc;
	while (step(w)) {
		if (n == max) {
			*truncated = 1;
			break;
		}
		pcs[n++] = w->pc;
	}
	return n;
}

size_t uk_backtrace_collect(uint64_t rip, uint64_t rbp, uint64_t *pcs,
			    size_t max, int *truncated)
{
	struct walk w = { .pc = rip, .rbp = rbp, .rbp_ok = 1, .first = 1 };

	return walk_collect(&w, pcs, max, truncated);
}

/*
 * An interrupted function may not have its frame yet: it was stopped on
 * its first instruction (before "push %rbp"), or the compiler built it
 * without one (GCC leaves frameless leaf functions alone even with
 * -fno-omit-frame-pointer). Then rbp is still the caller's, and the
 * frame-pointer walk would skip the caller. Its return address is at
 * [rsp] in both cases: take it when rip is at offset 0, or when [rsp] is
 * the return address of a direct call to rip's function (a framed
 * function has its saved rbp there, a stack address, which fails that
 * test).
 */
static void walk_from_trap(struct walk *w, uint64_t rip, uint64_t rsp,
			   uint64_t rbp)
{
	uint64_t off = 1, ret;

	*w = (struct walk){ .pc = rip, .sp = rsp, .rbp = rbp, .rbp_ok = 1,
			    .first = 1 };
	if (!rsp || !uk_ksym_lookup(rip, &off) || !read_u64(rsp, &ret) ||
	    !is_text(ret) || (off != 0 && !is_direct_call_to(ret, rip - off)))
		return;
	w->at_entry = 1;
}

size_t uk_backtrace_collect_trap(uint64_t rip, uint64_t rsp, uint64_t rbp,
				 uint64_t *pcs, size_t max, int *truncated)
{
	struct walk w;

	walk_from_trap(&w, rip, rsp, rbp);
	return walk_collect(&w, pcs, max, truncated);
}

void uk_backtrace_print(uint64_t rip, uint64_t rsp, uint64_t rbp)
{
	uint64_t pcs[CONFIG_UKDEBUG_BACKTRACE_DEPTH];
	int truncated;
	struct walk w;
	size_t n;

	walk_from_trap(&w, rip, rsp, rbp);
	n = walk_collect(&w, pcs, ARRAY_SIZE(pcs), &truncated);
	uk_printk("[uk] backtrace:\n");
	for (size_t i = 0; i < n; i++) {
		uint64_t off = 0;
		/* Return addresses point after the call: look up pc - 1. */
		const char *name = uk_ksym_lookup(i ? pcs[i] - 1 : pcs[i], &off);
		if (i)
			off++;
		if (name)
			uk_printk("  #%zu 0x%016lx %s+0x%lx\n", i, pcs[i], name, off);
		else
			uk_printk("  #%zu 0x%016lx ?\n", i, pcs[i]);
	}
	if (truncated)
		uk_printk("  ... (deeper frames not shown)\n");
	else if (w.end == WALK_CORRUPT)
		uk_printk("  ... (stack corrupt above: 0x%lx is not a frame)\n",
			  w.bad);
}

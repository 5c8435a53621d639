/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * image_check: what QEMU's multiboot loader would boot is accepted, and
 * everything it would fail on (or boot wrongly) is refused before QEMU
 * starts, with the reason. The images are built here byte by byte: a
 * 64-bit one shaped like a Unitune image, and the 32-bit calibration
 * guest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel.h"
#include "fake_qemu.h"
#include "image.h"
#include "le.h"

#define LOAD 0x100000u
#define EH 64u
#define PH 56u
#define MB (EH + PH)	/* multiboot header offset: 120, 4-aligned */
#define SIZE 256u

struct img {
	unsigned char b[SIZE];
	size_t len;
};

static void mb_header(unsigned char *mb, uint32_t flags, uint32_t load_end)
{
	le_put32(mb, 0x1BADB002u);
	le_put32(mb + 4, flags);
	le_put32(mb + 8, 0u - (0x1BADB002u + flags));
	le_put32(mb + 12, LOAD + MB);	/* header_addr */
	le_put32(mb + 16, LOAD);		/* load_addr */
	le_put32(mb + 20, load_end);
	le_put32(mb + 24, load_end);	/* bss_end_addr */
	le_put32(mb + 28, LOAD + MB + 32);	/* entry */
}

/* An x86-64 executable with one PT_LOAD over the file and an a.out-kludge
 * multiboot header, as unikernel/arch/x86_64/link.ld lays images out. */
static void good64(struct img *m)
{
	unsigned char *e = m->b, *ph = m->b + EH;

	memset(m, 0, sizeof(*m));
	m->len = SIZE;
	memcpy(e, "\x7f" "ELF", 4);
	e[4] = 2; /* ELFCLASS64 */
	e[5] = 1;
	e[6] = 1;
	le_put16(e + 16, 2);	/* ET_EXEC */
	le_put16(e + 18, 62);	/* EM_X86_64 */
	le_put32(e + 20, 1);
	le_put64(e + 24, LOAD + MB + 32);
	le_put64(e + 32, EH);	/* e_phoff */
	le_put16(e + 52, EH);
	le_put16(e + 54, PH);
	le_put16(e + 56, 1);
	le_put32(ph, 1);		/* PT_LOAD */
	le_put32(ph + 4, 7);
	le_put64(ph + 8, 0);	/* p_offset */
	le_put64(ph + 16, LOAD);
	le_put64(ph + 24, LOAD);
	le_put64(ph + 32, SIZE);	/* p_filesz */
	le_put64(ph + 40, SIZE + 4096);
	le_put64(ph + 48, 4096);
	mb_header(m->b + MB, 0x00010002u, LOAD + SIZE);
}

struct env {
	struct fake_env fe;
	char path[128];
	char why[512];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	if (!e || fake_env_init(&e->fe))
		return -1;
	snprintf(e->path, sizeof(e->path), "%s/img.elf", e->fe.dir);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	fake_env_cleanup(&e->fe);
	free(e);
	return 0;
}

/* Write m and check it; the reason must contain want (NULL: accepted). */
static void expect(struct env *e, const struct img *m, const char *want)
{
	int err;

	assert_int_equal(fake_write_file(e->path, m->b, m->len, 0644), 0);
	e->why[0] = '\0';
	err = image_check(e->path, e->why, sizeof(e->why));
	if (!want) {
		if (err)
			fail_msg("refused: %s", e->why);
		return;
	}
	assert_int_equal(err, -ENOEXEC);
	if (!strstr(e->why, want))
		fail_msg("reason '%s' lacks '%s'", e->why, want);
	/* Every reason names the file. */
	assert_non_null(strstr(e->why, e->path));
}

static void test_accepts_images_qemu_boots(void **state)
{
	struct env *e = *state;
	struct img m;
	int n;

	good64(&m);
	expect(e, &m, NULL);
	/* load_end_addr 0: "to the end of the file". */
	mb_header(m.b + MB, 0x00010002u, 0);
	expect(e, &m, NULL);
	/* The calibration guest: 32-bit, i386. */
	n = accel_guest_image(1, 0, m.b, sizeof(m.b));
	assert_true(n > 0);
	m.len = (size_t)n;
	expect(e, &m, NULL);
}

static void test_refuses_other_machines_and_kinds(void **state)
{
	struct env *e = *state;
	struct img m;

	good64(&m);
	le_put16(m.b + 18, 183);	/* EM_AARCH64 */
	expect(e, &m, "another machine");
	good64(&m);
	m.b[4] = 1;		/* ELFCLASS32 with EM_X86_64 */
	expect(e, &m, "another machine");
	good64(&m);
	le_put16(m.b + 16, 3);	/* ET_DYN, like /bin/ls */
	expect(e, &m, "not an executable ELF");
	good64(&m);
	le_put16(m.b + 16, 1);	/* ET_REL */
	expect(e, &m, "not an executable ELF");
}

static void test_refuses_truncated_images(void **state)
{
	struct env *e = *state;
	struct img m;

	good64(&m);
	m.len = SIZE - 8;	/* the PT_LOAD reaches past the end */
	expect(e, &m, "is truncated: segment 0");
	m.len = EH + 8;		/* the program header itself is cut */
	expect(e, &m, "is truncated: its program headers end at 120");
	m.len = 40;		/* the ELF header is cut */
	expect(e, &m, "not a readable ELF");
	/* The segments fit, the multiboot load range does not. */
	good64(&m);
	mb_header(m.b + MB, 0x00010002u, LOAD + SIZE + 4096);
	expect(e, &m, "is truncated: its multiboot header loads");
}

static void test_refuses_bad_multiboot_headers(void **state)
{
	struct env *e = *state;
	struct img m;

	good64(&m);
	memset(m.b + MB, 0, 32);
	expect(e, &m, "no multiboot header in its first 8192 bytes");
	good64(&m);
	le_put32(m.b + MB + 8, 0);	/* checksum */
	expect(e, &m, "no multiboot header");
	good64(&m);
	mb_header(m.b + MB, 0x00000002u, LOAD + SIZE);
	expect(e, &m, "64-bit ELF needs the multiboot header's address");
	good64(&m);
	le_put32(m.b + MB + 16, LOAD + 4096);	/* load_addr above header */
	le_put32(m.b + MB + 8, 0u - (0x1BADB002u + 0x00010002u));
	expect(e, &m, "inconsistent addresses");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_images_qemu_boots),
		cmocka_unit_test(test_refuses_other_machines_and_kinds),
		cmocka_unit_test(test_refuses_truncated_images),
		cmocka_unit_test(test_refuses_bad_multiboot_headers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include <unitune/abi.h>

#include "accel.h"
#include "exitcode.h"
#include "le.h"

/*
 * Layout (file offset = offset from the 1 MiB load address):
 *   0x00 ELF32 header       so the image passes the runner's ELF check
 *   0x34 one PT_LOAD header covering the whole file
 *   0x54 multiboot header   a.out kludge: QEMU loads the file flat
 *   0x74 code
 * QEMU looks for the multiboot magic in the first 8 KiB and, with bit 16
 * set, trusts the header's addresses rather than the ELF headers.
 */
#define LOAD_ADDR 0x100000u
#define EHDR_SIZE 52u
#define PHDR_SIZE 32u
#define MB_OFF (EHDR_SIZE + PHDR_SIZE)
#define MB_SIZE 32u
#define CODE_OFF (MB_OFF + MB_SIZE)
#define MB_MAGIC 0x1BADB002u
#define MB_AOUT_KLUDGE 0x00010000u

int accel_guest_image(uint32_t iters, int status, unsigned char *buf,
		      size_t cap)
{
	/* mov $iters,%ecx; 1: dec %ecx; jnz 1b; mov $v,%al; out %al,$port;
	 * 2: hlt; jmp 2b. With iters == 0 "dec" would wrap: skip the loop. */
	unsigned char code[16];
	size_t clen = 0, size;
	unsigned char *e, *ph, *mb;
	int v = exitcode_port_value(status);

	if (v < 1 || status > UNITUNE_EXIT_STATUS_MAX_DIRECT)
		return -EINVAL;
	if (iters) {
		code[clen++] = 0xb9;
		le_put32(code + clen, iters);
		clen += 4;
		code[clen++] = 0x49;
		code[clen++] = 0x75;
		code[clen++] = 0xfd;
	}
	code[clen++] = 0xb0;
	code[clen++] = (unsigned char)v;
	code[clen++] = 0xe6;
	code[clen++] = UNITUNE_EXIT_PORT;
	code[clen++] = 0xf4;
	code[clen++] = 0xeb;
	code[clen++] = 0xfd;
	size = CODE_OFF + clen;
	if (size > cap)
		return -ENOSPC;
	memset(buf, 0, size);

	e = buf;
	memcpy(e, "\x7f" "ELF", 4);
	e[4] = 1; /* ELFCLASS32 */
	e[5] = 1; /* little endian */
	e[6] = 1; /* EV_CURRENT */
	le_put16(e + 16, 2);  /* ET_EXEC */
	le_put16(e + 18, 3);  /* EM_386 */
	le_put32(e + 20, 1);  /* EV_CURRENT */
	le_put32(e + 24, LOAD_ADDR + CODE_OFF); /* e_entry */
	le_put32(e + 28, EHDR_SIZE);	      /* e_phoff */
	le_put16(e + 40, EHDR_SIZE);	      /* e_ehsize */
	le_put16(e + 42, PHDR_SIZE);	      /* e_phentsize */
	le_put16(e + 44, 1);		      /* e_phnum */

	ph = buf + EHDR_SIZE;
	le_put32(ph + 0, 1);		/* PT_LOAD */
	le_put32(ph + 4, 0);		/* p_offset */
	le_put32(ph + 8, LOAD_ADDR);	/* p_vaddr */
	le_put32(ph + 12, LOAD_ADDR);	/* p_paddr */
	le_put32(ph + 16, (uint32_t)size); /* p_filesz */
	le_put32(ph + 20, (uint32_t)size); /* p_memsz */
	le_put32(ph + 24, 5);		/* R+X */
	le_put32(ph + 28, 0x1000);

	mb = buf + MB_OFF;
	le_put32(mb + 0, MB_MAGIC);
	le_put32(mb + 4, MB_AOUT_KLUDGE);
	le_put32(mb + 8, 0u - (MB_MAGIC + MB_AOUT_KLUDGE));
	le_put32(mb + 12, LOAD_ADDR + MB_OFF);	   /* header_addr */
	le_put32(mb + 16, LOAD_ADDR);		   /* load_addr */
	le_put32(mb + 20, LOAD_ADDR + (uint32_t)size); /* load_end_addr */
	le_put32(mb + 24, LOAD_ADDR + (uint32_t)size); /* bss_end_addr */
	le_put32(mb + 28, LOAD_ADDR + CODE_OFF);	   /* entry_addr */

	memcpy(buf + CODE_OFF, code, clen);
	return (int)size;
}

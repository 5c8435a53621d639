/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdint.h>
#include <unitune/abi.h>
#include <uk/boot.h>
#include <uk/libc.h>
#include <uk/syscall_impl.h>
#include <uk/x86.h>

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_HWCAP 16
#define AT_SECURE 23
#define AT_RANDOM 25
#define PT_TLS 7
#define AUXV_PAIRS 12

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

extern int __libc_start_main(int (*main)(int, char **, char **), int argc,
			     char **argv, void (*init)(void), void (*fini)(void),
			     void (*ldso)(void));
extern int main(int argc, char **argv, char **envp);

/* From link.ld: the TLS template (.tdata), the size of the whole block
 * (.tdata, padding, .tbss) and its alignment. */
extern char _tdata_start[], _tdata_end[], _tls_memsz[], _tls_align[];

/* musl finds the TLS template through AT_PHDR; the loaded image holds no
 * program headers, so describe the one segment it needs. */
static struct elf64_phdr tls_phdr;
static uint8_t at_random[16];
static char *vector[UNITUNE_ARGC_MAX + 1 + UNITUNE_ENVC_MAX + 1 +
		    2 * AUXV_PAIRS];

static int enter_main(int argc, char **argv, char **envp)
{
	uk_boot_enter_main();
	return main(argc, argv, envp);
}

void uk_libc_start(int argc, char **argv, char **envp)
{
	uint32_t a, b, c, hwcap;
	int n = 0;

	for (int i = 0; i < argc; i++)
		vector[n++] = argv[i];
	vector[n++] = NULL;
	for (int i = 0; envp[i]; i++)
		vector[n++] = envp[i];
	vector[n++] = NULL;

	tls_phdr = (struct elf64_phdr){
		.type = PT_TLS,
		.vaddr = (uint64_t)_tdata_start,
		.filesz = (uint64_t)(_tdata_end - _tdata_start),
		.memsz = (uint64_t)_tls_memsz,
		.align = (uint64_t)_tls_align ? (uint64_t)_tls_align : 1,
	};
	/* The stack-protector canary and musl's other secrets seed here. */
	uk_sys_getrandom((long)at_random, sizeof(at_random), 0, 0, 0, 0);
	cpuid(1, 0, &a, &b, &c, &hwcap);

	const uintptr_t aux[AUXV_PAIRS][2] = {
		{ AT_PHDR, (uintptr_t)&tls_phdr },
		{ AT_PHENT, sizeof(tls_phdr) },
		{ AT_PHNUM, 1 },
		{ AT_PAGESZ, 4096 },
		{ AT_HWCAP, hwcap },
		{ AT_RANDOM, (uintptr_t)at_random },
		{ AT_UID, 0 },
		{ AT_EUID, 0 },
		{ AT_GID, 0 },
		{ AT_EGID, 0 },
		{ AT_SECURE, 0 },
		{ AT_NULL, 0 },
	};
	for (int i = 0; i < AUXV_PAIRS; i++) {
		vector[n++] = (char *)aux[i][0];
		vector[n++] = (char *)aux[i][1];
	}
	__libc_start_main(enter_main, argc, vector, NULL, NULL, NULL);
	__builtin_unreachable();
}

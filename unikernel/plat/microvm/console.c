/* SPDX-License-Identifier: BSD-3-Clause */
/* 16550 UART at COM1: the console from the first line of C to the last. */
#include <uk/plat.h>
#include <uk/x86.h>

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1
#define LSR_THRE 0x20
/* Enough for a real 16550 at 115200 baud; QEMU is ready at once. */
#define THRE_SPIN_LIMIT 100000

void plat_console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch */
	outb(COM1 + UART_DLL, 0x01); /* 115200 baud */
	outb(COM1 + UART_DLM, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);
	outb(COM1 + UART_MCR, 0x03);
}

static void uart_putc(char c)
{
	for (int i = 0; i < THRE_SPIN_LIMIT; i++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

static char last_char = '\n';

bool plat_console_at_line_start(void)
{
	return last_char == '\n';
}

void plat_console_write(const char *s, size_t len)
{
	if (len)
		last_char = s[len - 1];
	/* Plain '\n': the host captures bytes, and a terminal adds '\r'. */
	for (size_t i = 0; i < len; i++)
		uart_putc(s[i]);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vcontest [N...]: write N bytes (default 1 MiB) of the pattern
 * byte[i] = i % 251 to the virtio-serial port "unitune.test", once per
 * argument, the pattern running on across writes, and say how long each
 * write took:
 *
 *   vcontest: wrote N bytes in C cycles (B bytes/cycle, M MB/s at H Hz)
 *
 * Run it with `unitune run --port unitune.test=FILE IMAGE -- N...`; FILE
 * then holds sum(N) bytes of the pattern. Exits 1 when the port is
 * missing or a write fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <uk/plat.h>
#include <uk/virtio_console.h>

#define PORT "unitune.test"
#define PERIOD 251

int main(int argc, char *argv[])
{
	struct uk_vcon_port *port = uk_vcon_port_find(PORT);
	uint64_t pos = 0;

	if (!port) {
		fprintf(stderr, "vcontest: no virtio-serial port named " PORT
				" (run with --port " PORT "=FILE)\n");
		return 1;
	}
	int writes = argc > 1 ? argc - 1 : 1;

	for (int w = 0; w < writes; w++) {
		size_t n = 1u << 20;
		unsigned char *buf;
		uint64_t t0, cycles;
		char *end;
		long got;

		if (argc > 1) {
			n = strtoull(argv[w + 1], &end, 0);
			if (end == argv[w + 1] || *end) {
				fprintf(stderr, "vcontest: '%s' is not a byte "
						"count\n", argv[w + 1]);
				return 2;
			}
		}
		buf = malloc(n ? n : 1);
		if (!buf) {
			fprintf(stderr, "vcontest: cannot allocate %zu bytes "
					"(raise --mem)\n", n);
			return 1;
		}
		for (size_t k = 0; k < n; k++)
			buf[k] = (unsigned char)((pos + k) % PERIOD);
		t0 = __builtin_ia32_rdtsc();
		got = uk_vcon_port_write(port, buf, n);
		uk_vcon_flush(port);
		cycles = __builtin_ia32_rdtsc() - t0;
		free(buf);
		if (got != (long)n) {
			fprintf(stderr, "vcontest: write of %zu bytes returned "
					"%ld\n", n, got);
			return 1;
		}
		pos += n;
		uint64_t hz = plat_tsc_hz();
		printf("vcontest: wrote %zu bytes in %llu cycles (%.3f bytes/cycle, "
		       "%.1f MB/s at %llu Hz)\n",
		       n, (unsigned long long)cycles,
		       cycles ? (double)n / (double)cycles : 0.0,
		       cycles ? (double)n * (double)hz / (double)cycles / 1e6 : 0.0,
		       (unsigned long long)hz);
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Copies between iovecs and flat buffers, for the kinds' read and write. */
#include <uk/file.h>
#include <uk/string.h>

size_t uk_iov_total(const struct uk_iovec *iov, int iovcnt)
{
	size_t total = 0;

	for (int i = 0; i < iovcnt; i++)
		total += iov[i].len;
	return total;
}

size_t uk_iov_copy_out(const struct uk_iovec *iov, int iovcnt,
		       const void *src, size_t len)
{
	const char *s = src;
	size_t done = 0;

	for (int i = 0; i < iovcnt && done < len; i++) {
		size_t n = iov[i].len < len - done ? iov[i].len : len - done;

		memcpy(iov[i].base, s + done, n);
		done += n;
	}
	return done;
}

size_t uk_iov_copy_in(void *dst, size_t len, const struct uk_iovec *iov,
		      int iovcnt)
{
	char *d = dst;
	size_t done = 0;

	for (int i = 0; i < iovcnt && done < len; i++) {
		size_t n = iov[i].len < len - done ? iov[i].len : len - done;

		memcpy(d + done, iov[i].base, n);
		done += n;
	}
	return done;
}

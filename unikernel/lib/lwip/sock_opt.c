/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setsockopt and getsockopt (Linux's levels, names and values). What is
 * not listed in lib/lwip/README.md is ENOPROTOOPT.
 */
#include <uk/errno.h>
#include <uk/fd.h>
#include <uk/string.h>
#include <uk/syscall_impl.h>
#include "sock.h"

#define SOL_SOCKET_ 1
#define SOL_TCP_ 6
#define SO_REUSEADDR_ 2
#define SO_TYPE_ 3
#define SO_ERROR_ 4
#define SO_SNDBUF_ 7
#define SO_RCVBUF_ 8
#define SO_KEEPALIVE_ 9
#define SO_RCVTIMEO_ 20
#define SO_SNDTIMEO_ 21
#define SO_ACCEPTCONN_ 30
#define TCP_NODELAY_ 1
/* Linux's smallest buffers (it doubles what is asked, as here). */
#define RCVBUF_MIN 2304
#define SNDBUF_MIN 4608

struct linux_timeval {
	long sec, usec;
};

static int set_timeo(uint64_t *ns, const void *val, uint32_t len)
{
	struct linux_timeval tv;

	if (len < sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.usec < 0 || tv.usec >= 1000000)
		return -EDOM;
	*ns = tv.sec < 0 ? 0 : (uint64_t)tv.sec * 1000000000ULL + (uint64_t)tv.usec * 1000;
	return 0;
}

static int set_opt(struct sock *s, int level, int name, const void *val,
		   uint32_t len)
{
	int v;

	if (name == SO_RCVTIMEO_ && level == SOL_SOCKET_)
		return set_timeo(&s->rcvtimeo_ns, val, len);
	if (name == SO_SNDTIMEO_ && level == SOL_SOCKET_)
		return set_timeo(&s->sndtimeo_ns, val, len);
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	if (level == SOL_SOCKET_) {
		switch (name) {
		case SO_REUSEADDR_:
			s->reuseaddr = v != 0;
			sock_opt_set(s, SOCK_OPT_REUSEADDR, v != 0);
			return 0;
		case SO_KEEPALIVE_:
			sock_opt_set(s, SOCK_OPT_KEEPALIVE, v != 0);
			return 0;
		case SO_RCVBUF_:
			s->rcvbuf = v < RCVBUF_MIN / 2 ? RCVBUF_MIN : 2 * v;
			sock_opt_set(s, SOCK_OPT_RCVBUF, true);
			return 0;
		case SO_SNDBUF_:
			s->sndbuf = v < SNDBUF_MIN / 2 ? SNDBUF_MIN : 2 * v;
			return 0;
		}
	} else if (level == SOL_TCP_ && s->type == SK_STREAM && name == TCP_NODELAY_) {
		s->nodelay = v != 0;
		sock_opt_set(s, SOCK_OPT_NODELAY, v != 0);
		return 0;
	}
	return -ENOPROTOOPT;
}

static int get_opt(struct sock *s, int level, int name, void *val, uint32_t *len)
{
	int v;

	if (level == SOL_SOCKET_) {
		switch (name) {
		case SO_REUSEADDR_: v = s->reuseaddr; break;
		case SO_KEEPALIVE_: v = sock_opt_get(s, SOCK_OPT_KEEPALIVE); break;
		case SO_RCVBUF_: v = s->rcvbuf; break;
		case SO_SNDBUF_: v = s->sndbuf; break;
		case SO_TYPE_: v = s->type; break;
		case SO_ACCEPTCONN_: v = s->listening; break;
		case SO_ERROR_: v = s->error; s->error = 0; break;
		default: return -ENOPROTOOPT;
		}
	} else if (level == SOL_TCP_ && s->type == SK_STREAM && name == TCP_NODELAY_) {
		v = sock_opt_get(s, SOCK_OPT_NODELAY);
	} else {
		return -ENOPROTOOPT;
	}
	if (*len > sizeof(v))
		*len = sizeof(v);
	memcpy(val, &v, *len);
	return 0;
}

long uk_sys_setsockopt(long fd, long level, long name, long val, long len, long a5)
{
	struct sock *s;
	long r = sock_get(fd, &s);

	(void)a5;
	if (r)
		return r;
	if (!val)
		r = -EFAULT;
	if (!r) {
		SOCK_LOCK();
		r = set_opt(s, (int)level, (int)name, (const void *)val, (uint32_t)len);
		SOCK_UNLOCK();
	}
	uk_file_put(&s->file);
	return r;
}

long uk_sys_getsockopt(long fd, long level, long name, long val, long lenp, long a5)
{
	struct sock *s;
	long r = sock_get(fd, &s);

	(void)a5;
	if (r)
		return r;
	if (!val || !lenp)
		r = -EFAULT;
	else if ((int)*(uint32_t *)lenp < 0)
		r = -EINVAL;
	if (!r) {
		SOCK_LOCK();
		r = get_opt(s, (int)level, (int)name, (void *)val, (uint32_t *)lenp);
		SOCK_UNLOCK();
	}
	uk_file_put(&s->file);
	return r;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting lwIP in either integration mode, the interface address from
 * the boot command line, and running code in the stack's context.
 */
#include <uk/boot.h>
#include <uk/errno.h>
#include <uk/lwip.h>
#include "lwip/dhcp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#if CONFIG_LWIP_THREADED
#include "lwip/priv/tcpip_priv.h"
#include "lwip/tcpip.h"
#endif

#if LWIP_VERSION_MAJOR != 2 || LWIP_VERSION_MINOR != 1
#error "this port is written for lwIP 2.1.x; LWIP_SRC holds another version"
#endif

int uk_lwip_errno;

/* ---- the address from the command line -------------------------------- */

static struct uk_lwip_addr boot_addr = {
	PP_HTONL(LWIP_MAKEU32(10, 0, 2, 15)),
	PP_HTONL(LWIP_MAKEU32(255, 255, 255, 0)),
	PP_HTONL(LWIP_MAKEU32(10, 0, 2, 2)),
	0,
};

/* A dotted quad, all four parts, nothing after. */
static int parse_quad(const char *s, uint32_t *out)
{
	ip4_addr_t a;
	int dots = 0;

	for (const char *p = s; *p; p++)
		dots += *p == '.';
	if (dots != 3 || !ip4addr_aton(s, &a))
		return -EINVAL;
	*out = ip4_addr_get_u32(&a);
	return 0;
}

static int param_ip(const char *v)
{
	int err = parse_quad(v, &boot_addr.ip);

	if (!err)
		boot_addr.ip_given = 1;
	return err;
}
UK_PARAM("ip", param_ip, "interface address, A.B.C.D (default 10.0.2.15; with DHCP built in, uk.ip= turns it off)");

static int param_mask(const char *v)
{
	return parse_quad(v, &boot_addr.mask);
}
UK_PARAM("mask", param_mask, "interface netmask, A.B.C.D (default 255.255.255.0)");

static int param_gw(const char *v)
{
	return parse_quad(v, &boot_addr.gw);
}
UK_PARAM("gw", param_gw, "default gateway, A.B.C.D (default 10.0.2.2)");

void uk_lwip_addr_get(struct uk_lwip_addr *out)
{
	*out = boot_addr;
}

int uk_lwip_netif_configure(struct netif *nif)
{
	ip4_addr_t ip, mask, gw;

	ip4_addr_set_u32(&ip, boot_addr.ip);
	ip4_addr_set_u32(&mask, boot_addr.mask);
	ip4_addr_set_u32(&gw, boot_addr.gw);
	if (LWIP_DHCP && !boot_addr.ip_given)
		ip4_addr_set_zero(&ip), ip4_addr_set_zero(&mask), ip4_addr_set_zero(&gw);
	netif_set_addr(nif, &ip, &mask, &gw);
	netif_set_default(nif);
	netif_set_up(nif);
#if LWIP_DHCP
	if (!boot_addr.ip_given && dhcp_start(nif) != ERR_OK)
		return -ENOMEM;
#endif
	return 0;
}

/* ---- starting and running the stack ------------------------------------ */

void uk_lwip_init(void)
{
	static int started;

	if (started)
		return;
	started = 1;
#if CONFIG_LWIP_THREADED
	tcpip_init(NULL, NULL);
#else
	lwip_init();
#endif
}

#if CONFIG_LWIP_THREADED
struct call {
	struct tcpip_api_call_data base;	/* first: lwIP casts it */
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

static err_t call_in_stack(struct tcpip_api_call_data *data)
{
	struct call *c = (struct call *)data;

	c->ret = c->fn(c->arg);
	return ERR_OK;
}

int uk_lwip_call(int (*fn)(void *arg), void *arg)
{
	struct call c = { .fn = fn, .arg = arg };

	tcpip_api_call(call_in_stack, &c.base);
	return c.ret;
}
#else
int uk_lwip_call(int (*fn)(void *arg), void *arg)
{
	return fn(arg);
}

void uk_lwip_poll(void)
{
	netif_poll_all();
	sys_check_timeouts();
}
#endif

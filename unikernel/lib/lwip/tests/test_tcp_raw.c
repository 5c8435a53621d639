/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LWIP_RTC: a TCP connection over the loopback interface with lwIP's raw
 * API, driven by uk_lwip_poll() alone (no stack thread): listen, connect,
 * exchange data both ways, close from both ends, then prove that every
 * pool object, heap byte and allocator byte came back once TIME_WAIT
 * ended, and that the trace points saw the accept and the closes.
 */
#include <uk/lwip.h>
#include <uk/string.h>
#include <uk/test.h>
#include "lwip/tcp.h"
#include "helpers.h"

#define PORT 7000

struct exchange {
	struct tcp_pcb *server, *client;
	char server_rx[16], client_rx[16];
	unsigned server_len, client_len;
	bool connected, server_saw_fin, client_closed, server_closed;
	bool accepted_nodelay, connected_nodelay;
	int errors;
};

static bool receive(struct tcp_pcb *pcb, struct pbuf *p, char *buf, unsigned *len,
		    unsigned cap)
{
	u16_t n = p->tot_len;

	if (*len + n > cap)
		return false;
	pbuf_copy_partial(p, buf + *len, n, 0);
	*len += n;
	tcp_recved(pcb, n);
	pbuf_free(p);
	return true;
}

static err_t server_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct exchange *x = arg;

	if (err != ERR_OK || !p) {
		/* The client closed: close our side too. */
		x->server_saw_fin = true;
		x->server_closed = tcp_close(pcb) == ERR_OK;
		return ERR_OK;
	}
	if (!receive(pcb, p, x->server_rx, &x->server_len, sizeof(x->server_rx)))
		x->errors++;
	if (x->server_len == 4 && !memcmp(x->server_rx, "ping", 4) &&
	    tcp_write(pcb, "pong!", 5, TCP_WRITE_FLAG_COPY) != ERR_OK)
		x->errors++;
	return ERR_OK;
}

static err_t server_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct exchange *x = arg;

	if (err != ERR_OK || !pcb) {
		x->errors++;
		return ERR_VAL;
	}
	x->server = pcb;
	x->accepted_nodelay = tcp_nagle_disabled(pcb);
	tcp_arg(pcb, x);
	tcp_recv(pcb, server_recv);
	return ERR_OK;
}

static err_t client_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct exchange *x = arg;

	if (err != ERR_OK || !p)
		return ERR_OK;
	if (!receive(pcb, p, x->client_rx, &x->client_len, sizeof(x->client_rx)))
		x->errors++;
	/* The whole answer: the client closes first (and so waits in
	 * TIME_WAIT). */
	if (x->client_len == 5) {
		x->client_closed = tcp_close(pcb) == ERR_OK;
		x->client = NULL;
	}
	return ERR_OK;
}

static err_t client_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct exchange *x = arg;

	x->connected = err == ERR_OK;
	x->connected_nodelay = tcp_nagle_disabled(pcb);
	if (tcp_write(pcb, "ping", 4, TCP_WRITE_FLAG_COPY) != ERR_OK ||
	    tcp_output(pcb) != ERR_OK)
		x->errors++;
	return ERR_OK;
}

static void client_error(void *arg, err_t err)
{
	struct exchange *x = arg;

	(void)err;
	x->errors++;
	x->client = NULL;
}

static bool exchange_done(void *arg)
{
	const struct exchange *x = arg;

	return x->server_closed || x->errors;
}

UK_TESTCASE(lwip, raw_tcp_over_loopback_releases_everything)
{
	static struct exchange x;
	struct lwip_mem_snapshot after;
	struct tcp_pcb *listener;
	ip_addr_t lo;
	struct lwip_test_conn t;

	lwip_test_conn_begin(&t);
	x = (struct exchange){ 0 };
	IP_ADDR4(&lo, 127, 0, 0, 1);

	listener = tcp_new();
	UK_ASSERT_TRUE(listener != NULL);
	UK_ASSERT_TRUE(tcp_bind(listener, &lo, PORT) == ERR_OK);
	listener = tcp_listen(listener);
	UK_ASSERT_TRUE(listener != NULL);
	tcp_arg(listener, &x);
	tcp_accept(listener, server_accept);

	x.client = tcp_new();
	UK_ASSERT_TRUE(x.client != NULL);
	tcp_arg(x.client, &x);
	tcp_recv(x.client, client_recv);
	tcp_err(x.client, client_error);
	UK_ASSERT_TRUE(tcp_connect(x.client, &lo, PORT, client_connected) == ERR_OK);

	UK_EXPECT(lwip_test_run_until(exchange_done, &x, 10000));
	UK_EXPECT_EQ(x.errors, 0);
	UK_EXPECT(x.connected);
	UK_EXPECT_EQ(x.server_len, 4);
	UK_EXPECT(!memcmp(x.server_rx, "ping", 4));
	UK_EXPECT_EQ(x.client_len, 5);
	UK_EXPECT(!memcmp(x.client_rx, "pong!", 5));
	UK_EXPECT(x.client_closed && x.server_saw_fin && x.server_closed);
	/* Nagle's default reaches both kinds of new connection. */
	UK_EXPECT_EQ(x.accepted_nodelay, IS_ENABLED(CONFIG_LWIP_TCP_NODELAY));
	UK_EXPECT_EQ(x.connected_nodelay, IS_ENABLED(CONFIG_LWIP_TCP_NODELAY));
	UK_EXPECT(tcp_close(listener) == ERR_OK);

	/* The client's side lingers in TIME_WAIT, then goes. */
	UK_EXPECT_EQ(lwip_test_wait_released(&t.before), -1);
	lwip_test_snapshot(&after);
	UK_EXPECT_EQ(after.memp_used[MEMP_TCP_PCB], t.before.memp_used[MEMP_TCP_PCB]);
	UK_EXPECT_EQ(lwip_stats.memp[MEMP_TCP_PCB]->err, 0);
	UK_EXPECT_EQ(lwip_stats.tcp.chkerr, t.tcp_chkerr);

	if (t.tracing) {
		lwip_test_trace_stop();
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_accept", true, 0), 1);
		/* Each side is told its peer closed (FIN), the client too,
		 * although it had closed first. */
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_close", true, 0), 2);
		UK_EXPECT_EQ(lwip_test_trace_count("lwip_close", false, (uintptr_t)&x), 2);
	}
}

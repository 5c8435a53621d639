/* SPDX-License-Identifier: BSD-3-Clause */
/* The Kconfig options reach lwIP (lwipopts.h is the file lwIP reads, and
 * its defaults do not win), and the drop reasons have their names. */
#include <uk/lwip.h>
#include <uk/string.h>
#include <uk/test.h>
#include "lwip/opt.h"
#include "lwip/priv/tcp_priv.h"

UK_TESTCASE(lwip, options_reach_lwip)
{
	UK_EXPECT_EQ(TCP_MSL, CONFIG_LWIP_TCP_MSL);
	UK_EXPECT_EQ(TCP_MSS, CONFIG_LWIP_TCP_MSS);
	UK_EXPECT_EQ(TCP_WND, CONFIG_LWIP_TCP_WND);
	UK_EXPECT_EQ(TCP_SND_BUF, CONFIG_LWIP_TCP_SND_BUF);
	UK_EXPECT_EQ(MEMP_NUM_TCP_PCB, CONFIG_LWIP_MEMP_NUM_TCP_PCB);
	UK_EXPECT_EQ(PBUF_POOL_SIZE, CONFIG_LWIP_PBUF_POOL_SIZE);
	UK_EXPECT_EQ(CHECKSUM_CHECK_TCP, IS_ENABLED(CONFIG_LWIP_CHECKSUM_CHECK));
	UK_EXPECT_EQ(NO_SYS, IS_ENABLED(CONFIG_LWIP_RTC));
	UK_EXPECT_EQ(LWIP_HAVE_LOOPIF, 1);
	/* Derived send queue: at least what lwIP's own check demands. */
	UK_EXPECT(TCP_SND_QUEUELEN >= 2 * TCP_SND_BUF / TCP_MSS);
	UK_EXPECT(TCP_SNDLOWAT < TCP_SND_BUF);
}

UK_TESTCASE(lwip, drop_reasons_have_names)
{
	UK_EXPECT(!strcmp(uk_lwip_drop_name(1), "link.drop"));
	UK_EXPECT(!strcmp(uk_lwip_drop_name(1 + 8 * 4 + 1), "tcp.chkerr"));
	UK_EXPECT(!strcmp(uk_lwip_drop_name(1 + 8 * 2 + 1), "ip.chkerr"));
	UK_EXPECT(!strcmp(uk_lwip_drop_name(8 * 5), "tcp.err"));
	UK_EXPECT(uk_lwip_drop_name(0) == NULL);
	UK_EXPECT(uk_lwip_drop_name(8 * 5 + 1) == NULL);
}

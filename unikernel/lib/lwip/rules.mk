# SPDX-License-Identifier: BSD-3-Clause
#
# Compiling lwIP (included by unikernel/Makefile after the flags, through
# MKRULES-y). lwIP's sources and this port's see musl's headers after the
# compiler's own (-idirafter: lwIP calls string.h, stdlib.h and ctype.h
# functions, which the kernel links from musl's libc.a) and lwIP's
# include folder.
LWIP_CPPFLAGS := -idirafter $(MUSL_INCLUDE) -I$(LWIP_SRC)/src/include
# lwIP's own files only: our -Wextra finds unused parameters and sign
# comparisons in its code, which we do not edit.
LWIP_SRC_CFLAGS :=

# The extra flags and the source's place are part of what an lwIP object
# is built from: a change rebuilds them, as the kernel's flags do.
LWIP_FLAGS_STAMP := $(O)/obj/lwip-src/flags
LWIP_FLAGS_NOW := $(LWIP_CPPFLAGS) $(LWIP_SRC_CFLAGS)
$(eval $(call stamp,$(LWIP_FLAGS_STAMP),LWIP_FLAGS_NOW))

$(O)/obj/lwip-src/%.c.o: $(LWIP_SRC)/src/%.c $(FLAGS_STAMP) $(LWIP_FLAGS_STAMP) | $(GENHDRS-y) $(CONFIG_H)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC,lwip/$*.c)$(CC) $(CPPFLAGS) $(LWIP_CPPFLAGS) $(CFLAGS) $(LWIP_SRC_CFLAGS) -c $< -o $@ $(FIXDEP)

# The port and its tests include lwIP's headers too.
$(O)/obj/lib/lwip/%.c.o: CPPFLAGS += $(LWIP_CPPFLAGS)
$(O)/obj/lib/lwip/%.c.o: $(LWIP_FLAGS_STAMP)

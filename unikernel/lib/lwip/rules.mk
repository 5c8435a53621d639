# SPDX-License-Identifier: BSD-3-Clause
#
# Compiling lwIP (included by unikernel/Makefile after the flags, through
# MKRULES-y). lwIP's sources and this port's see musl's headers after the
# compiler's own (-idirafter: lwIP calls string.h, stdlib.h and ctype.h
# functions, which the kernel links from musl's libc.a) and lwIP's
# include folder.
LWIP_CPPFLAGS := -idirafter $(MUSL_INCLUDE) -I$(LWIP_SRC)/src/include
# lwIP 2.1.3 compiles cleanly with the kernel's -Wall -Wextra -Werror in
# every mode and memory choice (both selftest images and the variants in
# README.md were built), so its files get the kernel's flags unchanged. A
# warning a newer compiler finds in lwIP's code, which we do not edit, is
# relaxed here, in the lwip-src rule only.

# The extra flags and the source's place are part of what an lwIP object
# is built from: a change rebuilds them, as the kernel's flags do.
LWIP_FLAGS_STAMP := $(O)/obj/lwip-src/flags
LWIP_FLAGS_NOW := $(LWIP_CPPFLAGS)
$(eval $(call stamp,$(LWIP_FLAGS_STAMP),LWIP_FLAGS_NOW))

$(O)/obj/lwip-src/%.c.o: $(LWIP_SRC)/src/%.c $(FLAGS_STAMP) $(LWIP_FLAGS_STAMP) | $(GENHDRS-y) $(CONFIG_H)
	@mkdir -p $(dir $@)
	$(Q)$(call say,CC,lwip/$*.c)$(CC) $(CPPFLAGS) $(LWIP_CPPFLAGS) $(CFLAGS) -c $< -o $@ $(FIXDEP)

# The port and its tests include lwIP's headers too.
$(O)/obj/lib/lwip/%.c.o: CPPFLAGS += $(LWIP_CPPFLAGS)
$(O)/obj/lib/lwip/%.c.o: $(LWIP_FLAGS_STAMP)

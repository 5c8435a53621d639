# SPDX-License-Identifier: BSD-3-Clause
# The network device path on QEMU user networking (slirp): uknetdev, the
# virtio-net driver and the IOAPIC, driven by the netprobe app with no
# network stack. netprobe ARPs for the gateway 10.0.2.2, pings it, and
# (with -s 80) waits idle for a TCP SYN that the host sends by connecting
# to a port forwarded to the guest: that frame arrives while the guest
# waits, so in interrupt mode it must be the device's interrupt that
# wakes it. Every mode runs: interrupts and polling, under the
# run-to-completion and the cooperative scheduler.
#
# The device comes from `unitune run --net user` (QEMU's user networking
# with restrict=on: slirp answers for its own addresses, nothing is
# routed out) and the SYN from a client of `--publish 0:80`, which the
# runner binds on 127.0.0.1 only. Other microvm interrupt layouts need
# machine options the runner does not take: a wrapper given to --qemu
# adds them (layout_qemu).

# layout_qemu FILE MACHINE_OPTIONS: a QEMU wrapper for --qemu that adds
# machine options (QEMU merges them into the runner's -M).
layout_qemu() {
	{
		echo '#!/bin/sh'
		echo "exec ${UNITUNE_QEMU:-qemu-system-x86_64} \"\$@\" -M $2"
	} >"$1"
	chmod +x "$1"
}

# netprobe_syn IMAGE [MACHINE_OPTIONS]: run netprobe -s 80 (out, err) with
# port 80 published, and connect to the published port once it waits;
# echoes its exit status.
netprobe_syn() {
	local img=$1 opts=${2:-} pid rc=0 port qemu=()
	if [ -n "$opts" ]; then
		layout_qemu qemu-layout "$opts"
		qemu=(--qemu ./qemu-layout)
	fi
	"$UNITUNE" run --accel tcg --timeout 60 "${qemu[@]}" -p 0:80 "$img" \
		-- -s 80 >out 2>err &
	pid=$!
	while kill -0 "$pid" 2>/dev/null &&
		! grep -q '^netprobe: waiting for a TCP SYN' out; do
		sleep 0.1
	done
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:80$/\1/p' err)
	if [ -n "$port" ] && grep -q '^netprobe: waiting for a TCP SYN' out; then
		exec 3<>"/dev/tcp/127.0.0.1/$port"
		wait "$pid" || rc=$?
		exec 3>&-
		echo "$rc"
		return
	fi
	wait "$pid" || rc=$?
	echo "no published port or no wait (status $rc)" >&2
	[ "$rc" != 0 ] || rc=1
	echo "$rc"
}

# net_stat NAME: a field of netprobe's stats line in out.
net_stat() {
	sed -n 's/^netprobe: stats //p' out | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# check_netprobe irq|poll: the whole conversation, the counters, and the
# wake-ups of the mode.
check_netprobe() {
	local d
	expect_grep "^netprobe: device virtio-net mac 52:54:00:12:34:56 mtu 1500 link up wakeup $1\$" out
	expect_grep '^netprobe: arp 10\.0\.2\.2 is-at 52:55:0a:00:02:02$' out
	expect_grep '^netprobe: echo reply from 10\.0\.2\.2 id 0x5554 seq 1 ttl [0-9]+ payload 56 bytes ok$' out
	expect_grep '^netprobe: tcp syn from 10\.0\.2\.2:[0-9]+ to port 80 ok$' out
	expect_grep '^netprobe: tx completed 2 of 2$' out
	expect_no_grep 'warning' out
	# ARP reply, echo reply, SYN (slirp may repeat the SYN).
	[ "$(net_stat rx_packets)" -ge 3 ] ||
		fail "rx_packets '$(net_stat rx_packets)', expected at least 3"
	expect_eq 2 "$(net_stat tx_packets)" "tx_packets"
	expect_eq 158 "$(net_stat tx_bytes)" "tx_bytes (a 60-byte ARP frame, a 98-byte echo)"
	for d in rx_ring_full rx_no_buffer rx_stack_full rx_bad tx_ring_full; do
		expect_eq 0 "$(net_stat $d)" "$d"
	done
	if [ "$1" = irq ]; then
		[ "$(net_stat irqs)" -ge 1 ] || fail "no interrupt woke the waiting guest"
	else
		expect_eq 0 "$(net_stat irqs)" "interrupts in polling mode"
		expect_no_grep 'interrupt on GSI' out
	fi
}

# check_gsi BASE: the GSI the driver routed is BASE + the transport's slot.
check_gsi() {
	local line addr gsi
	line=$(grep '^\[uk\] virtio-net at 0x[0-9a-f]*: interrupt on GSI [0-9]*$' out) ||
		fail "no 'interrupt on GSI' line"
	addr=$(echo "$line" | sed 's/.* at \(0x[0-9a-f]*\):.*/\1/')
	gsi=${line##* }
	expect_eq $(($1 + (addr - 0xfeb00000) / 512)) "$gsi" "GSI of the transport at $addr"
}

irq_none_image() {
	test_image netprobe irq-none --set CONFIG_UKNETDEV_IRQ=y --set CONFIG_UKSCHED_NONE=y
}

test_netprobe_interrupts_run_to_completion() {
	img=$(irq_none_image)
	expect_eq 0 "$(netprobe_syn "$img")" "status"
	check_netprobe irq
	check_gsi 24 # QEMU's default microvm: ACPI and a second IOAPIC
}

test_netprobe_interrupts_cooperative() {
	img=$(test_image netprobe irq-coop --set CONFIG_UKNETDEV_IRQ=y --set CONFIG_UKSCHED_COOP=y)
	expect_eq 0 "$(netprobe_syn "$img")" "status"
	check_netprobe irq
	check_gsi 24
}

test_netprobe_polling_run_to_completion() {
	img=$(test_image netprobe poll-none --set CONFIG_UKNETDEV_POLL=y --set CONFIG_UKSCHED_NONE=y)
	expect_eq 0 "$(netprobe_syn "$img")" "status"
	check_netprobe poll
}

test_netprobe_polling_cooperative() {
	img=$(test_image netprobe poll-coop --set CONFIG_UKNETDEV_POLL=y --set CONFIG_UKSCHED_COOP=y)
	expect_eq 0 "$(netprobe_syn "$img")" "status"
	check_netprobe poll
}

# microvm wires virtio-mmio to other GSIs without the second IOAPIC (16 +
# slot) or without ACPI (5 + slot); the interrupt must still arrive.
test_netprobe_interrupts_on_other_microvm_layouts() {
	img=$(irq_none_image)
	expect_eq 0 "$(netprobe_syn "$img" ioapic2=off)" "status with ioapic2=off"
	check_netprobe irq
	check_gsi 16
	expect_eq 0 "$(netprobe_syn "$img" acpi=off)" "status with acpi=off"
	check_netprobe irq
	check_gsi 5
}

test_netprobe_trace_points() {
	img=$(irq_none_image)
	expect_eq 0 "$(run_status "$UNITUNE" record --accel tcg --timeout 60 \
		--net user -F 0 -T 'netdev_*' -o n.uttr "$img")" "status"
	"$UNITUNE" report --tracepoints n.uttr >tp
	expect_grep '^  netdev_tx +2$' tp
	# The ARP reply and the echo reply come in one burst or two.
	expect_grep '^  netdev_rx +[12]$' tp
	expect_grep '^  netdev_drop +0$' tp
}

test_netprobe_without_a_device_or_with_bad_arguments() {
	img=$(irq_none_image)
	expect_eq 1 "$(run_status "$UNITUNE" run --accel tcg "$img")" "status without a device"
	expect_grep '^netprobe: no network device \(QEMU needs -device virtio-net-device\)$' out
	expect_no_grep '^\[uk\] virtio' out
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg "$img" -- -t soon)" "status with -t soon"
	expect_grep "^netprobe: -t 'soon' is not a timeout in milliseconds \(1-3600000\)$" out
	expect_eq 2 "$(run_status "$UNITUNE" run --accel tcg "$img" -- -s 70000)" "status with -s 70000"
	expect_grep "^netprobe: -s '70000' is not a port \(1-65535\)$" out
}

# The device API is off by default: an app that does not ask for it
# carries no network code.
test_hello_has_no_network_code() {
	img=$(test_image hello)
	nm "$img" >syms
	grep -q ' T main$' syms || fail "no symbol table to look at"
	expect_no_grep 'uk_netdev|vnet_|plat_irq_attach|plat_virtio_mmio_gsi' syms
}

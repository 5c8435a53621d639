# SPDX-License-Identifier: BSD-3-Clause
# POSIX sockets over lwIP (lib/lwip/sock*.c) in both integration modes:
# sockprobe's checks over the guest's loopback interface (errno values,
# non-blocking connect, poll/epoll readiness, resets, UDP, getaddrinfo),
# and its echo server reached from the host through a published port
# (`unitune run -p 0:7`), in each integration mode and wake-up mode.

# Modes: rtc, threaded (the netconn backend, its default), threaded-raw
# (threaded with the raw-API backend under the core lock); the images are
# net_mode_image's (tests/lib.sh).
sock_image() { # rtc|threaded|threaded-raw irq|poll
	if [ "$1" = threaded-raw ]; then
		net_mode_image sockprobe "threaded_$2" raw --set CONFIG_LWIP_SOCK_RAW=y
	else
		net_mode_image sockprobe "$1_$2"
	fi
}

# sock_checks MODE BACKEND: every check of the loopback run passes, none
# skipped, with the sockets over the BACKEND (RAW or NETCONN).
sock_checks() {
	local img rc=0 mode=${1%-raw}
	img=$(sock_image "$1" irq)
	grep -q "^CONFIG_LWIP_$(echo "$mode" | tr a-z A-Z)=y" "$(dirname "$img")/.config" ||
		fail "image is not in $mode mode"
	grep -q "^CONFIG_LWIP_SOCK_$2=y" "$(dirname "$img")/.config" ||
		fail "image's sockets are not over the $2 backend"
	"$UNITUNE" run --accel tcg --timeout 60 "$img" >out 2>err || rc=$?
	expect_eq 0 "$rc" "sockprobe status (failed checks)"
	expect_grep '^sockprobe: 0 failed$' out
	expect_no_grep 'FAIL' out
	[ "$(grep -c ': ok$' out)" -ge 35 ] ||
		fail "only $(grep -c ': ok$' out) checks passed"
}

test_sock_checks_run_to_completion() { sock_checks rtc RAW; }
test_sock_checks_threaded() { sock_checks threaded NETCONN; }
test_sock_checks_threaded_raw_api() { sock_checks threaded-raw RAW; }

# Threaded mode's sockets are lwIP's netconn API with its tcpip thread:
# the image holds the netconn backend and not the raw one's (its
# on_accept callback of sock_tcp.c; the link drops unused sections), and
# a run of the checks fires the netconn event callback and switches
# threads.
# Run to completion holds the raw backend only.
test_sock_threaded_runs_over_netconn() {
	local img
	img=$(sock_image threaded irq)
	nm "$img" >syms
	expect_grep ' netconn_new_with_proto_and_callback$' syms
	expect_grep ' on_event$' syms
	expect_no_grep ' on_accept$' syms
	expect_eq 0 "$(run_status "$UNITUNE" record --accel tcg --timeout 60 -F 0 \
		-T 'sock_netconn_event,sched_switch' -o s.uttr "$img")" "record status"
	"$UNITUNE" report --tracepoints s.uttr >tp
	grep -Eq '^  sock_netconn_event +[1-9][0-9]*$' tp || fail "no netconn event: $(cat tp)"
	grep -Eq '^  sched_switch +[1-9][0-9]*$' tp || fail "no thread switch: $(cat tp)"
	img=$(sock_image rtc irq)
	nm "$img" >syms
	expect_grep ' on_accept$' syms
	expect_no_grep 'netconn|on_event$' syms
}

# A client on the host: sends BYTES of a pattern through the published
# port while reading the echo, and prints "echoed N" when all came back
# equal.
echo_client() { # port bytes
	python3 - "$1" "$2" <<'PY'
import socket, sys
port, total = int(sys.argv[1]), int(sys.argv[2])
data = bytes((i * 7 + i // 251) & 0xff for i in range(total))
s = socket.create_connection(("127.0.0.1", port), timeout=30)
sent, got, shut = 0, bytearray(), False
while len(got) < total:
    if sent < total:
        sent += s.send(data[sent:sent + 16384])
    elif not shut:
        s.shutdown(socket.SHUT_WR)
        shut = True
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
print("echoed %d" % len(got) if bytes(got) == data else "mismatch after %d" % len(got))
PY
}

# sock_echo MODE WAKE BYTES: the guest serves one connection, the host
# gets every byte back, the guest counts them and exits 0.
sock_echo() {
	local img pid port i rc=0
	img=$(sock_image "$1" "$2")
	"$UNITUNE" run --accel tcg --timeout 120 -p 0:7 "$img" -- -s 7 -n 1 \
		>out 2>err &
	pid=$!
	for i in $(seq 1 600); do
		grep -q '^sockprobe: echo server on port 7$' out && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	expect_grep '^sockprobe: echo server on port 7$' out
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:7$/\1/p' err)
	[ -n "$port" ] || fail "no published port in err"
	expect_eq "echoed $3" "$(echo_client "$port" "$3")" "client"
	wait "$pid" || rc=$?
	expect_eq 0 "$rc" "guest status"
	expect_grep "^sockprobe: served 1 connections, $3 bytes\$" out
	expect_no_grep 'warning' out
	if [ "$2" = irq ]; then
		expect_grep 'interrupt on GSI' out
	else
		expect_no_grep 'interrupt on GSI' out
	fi
}

test_sock_echo_rtc_interrupts() { sock_echo rtc irq 300000; }
test_sock_echo_rtc_polling() { sock_echo rtc poll 300000; }
test_sock_echo_threaded_interrupts() { sock_echo threaded irq 300000; }
test_sock_echo_threaded_polling() { sock_echo threaded poll 300000; }

# An image without lwIP carries no socket layer.
test_sock_hello_has_no_socket_layer() {
	local img
	img=$(test_image hello)
	! nm "$img" | grep -q ' uk_sys_socket$' || fail "hello links the socket layer"
}

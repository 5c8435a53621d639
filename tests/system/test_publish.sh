# SPDX-License-Identifier: BSD-3-Clause
# Published ports and the guest's network, host side: `unitune run` and
# `unitune record` with --publish (-p) and --net. The guest has no
# network driver in these images, so what is checked is QEMU's side:
# its arguments, where it listens, what a client connecting sees, and
# the errors.

# Start a listener on 127.0.0.1 (a free port) that lives until the test
# ends; its port in the file "held".
hold_port() {
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open("held", "w").write("%d\n" % s.getsockname()[1])
time.sleep(300)' &
	held_pid=$!
	trap 'kill $held_pid 2>/dev/null' EXIT
	local i
	for i in $(seq 1 100); do
		[ -s held ] && return 0
		sleep 0.1
	done
	fail "the listener never said its port"
}

# wait_published PID FILE: wait until FILE (stderr of unitune PID) has its
# "published" line, while unitune still runs.
wait_published() {
	local i
	for i in $(seq 1 600); do
		grep -q '^unitune: published ' "$2" && return 0
		kill -0 "$1" 2>/dev/null || fail "unitune ended first: $(cat "$2")"
		sleep 0.1
	done
	fail "no published line in $2"
}

# The listening TCP sockets of process PID, "ADDRESS:PORT" one a line.
listeners_of() {
	ss -Htlnp | awk -v p="pid=$1," 'index($0, p) { print $4 }' | sort
}

# The child QEMU of unitune PID.
qemu_of() {
	local q
	q=$(pgrep -P "$1" | head -n 1)
	[ -n "$q" ] || fail "unitune $1 has no child"
	grep -q qemu "/proc/$q/comm" || fail "child $q of unitune is $(cat "/proc/$q/comm")"
	echo "$q"
}

need_ss() {
	command -v ss >/dev/null || skip "ss (iproute2) is not installed"
}

test_run_publish_bad_values_are_usage_errors() {
	local img=x.elf spec want
	# Each bad value: status 2, before any image is looked at, and a
	# message that names it.
	while IFS='|' read -r spec want; do
		# shellcheck disable=SC2086
		expect_eq 2 "$(run_status "$UNITUNE" run $spec "$img")" "$spec"
		expect_grep "$want" err
		[ ! -s out ] || fail "$spec printed on stdout"
	done <<'EOF'
-p 80|^unitune run: --publish '80' has no ':' \(expected HOSTPORT:GUESTPORT
-p a:80|host port 'a' in 'a:80' is not a number in 0\.\.65535
-p 65536:80|host port '65536' in '65536:80'
-p 8080:0|guest port '0' in '8080:0' is not a number in 1\.\.65535
-p 8080:http|guest port 'http'
--publish 0.0.0.0:8080:80|the host address is always 127\.0\.0\.1
-p 8080:80/udp|only TCP is forwarded
-p 8080:80,8081:81|'8080:80,8081:81': one port per --publish; repeat -p for each
-p 8080:80 -p 8080:81|host port 8080 is published twice \(8080:80 and 8080:81\)
--net none -p 8080:80|--net none gives the guest no network, so nothing can be published
--net tap|--net 'tap' is not none or user
-p trace=out.bin|-p/--publish 'trace=out.bin' is not HOSTPORT:GUESTPORT: -p now means --publish; for a virtio-serial port write --port trace=out.bin
EOF
	expect_eq 2 "$(run_status "$UNITUNE" record -p 8080 "$img")" "record -p 8080"
	expect_grep "^unitune record: --publish '8080' has no ':'" err
	expect_eq 2 "$(run_status "$UNITUNE" record --net none -p 0:80 "$img")" "record --net none -p"
	expect_grep 'nothing can be published' err
}

# A host port someone else listens on: status 125 and a line naming it,
# at once rather than a hang (timeout(1) would say 124).
test_run_publish_port_in_use_is_an_error() {
	local img port
	img=$(test_image hello)
	hold_port
	port=$(cat held)
	expect_eq 125 "$(run_status timeout 60 "$UNITUNE" run --accel tcg -p "$port:80" "$img")" "status"
	expect_eq 1 "$(wc -l <err)" "stderr lines"
	expect_grep "^unitune run: qemu failed: 127\.0\.0\.1:$port is already in use \(publish $port:80\): stop what listens there, or publish another host port \(0 picks a free one\)$" err
	expect_no_grep 'Hello' out
	# The same in JSON, with the port that failed.
	expect_eq 125 "$(run_status timeout 60 "$UNITUNE" run --accel tcg --json -p 0:81 -p "$port:80" "$img")" "json status"
	python3 - out "$port" <<'PY' || fail "run --json: $(cat out)"
import json, sys
d = json.load(open(sys.argv[1]))
port = int(sys.argv[2])
assert d["outcome"] == "qemu failed" and d["exit_status"] == 125, d
assert d["net"] == "user" and d["publish_failed"] == port, d
assert [p["guest_port"] for p in d["publish"]] == [81, 80], d
assert d["publish"][1]["host_port"] == port and d["publish"][0]["host_port"] > 0, d
assert all(p["host_address"] == "127.0.0.1" for p in d["publish"]), d
assert "already in use" in d["reason"], d
PY
	expect_eq 125 "$(run_status timeout 60 "$UNITUNE" record --accel tcg -o t.uttr -p "$port:80" "$img")" "record status"
	expect_grep "^unitune record: qemu failed: 127\.0\.0\.1:$port is already in use" err
	expect_no_grep 'no trace data' err
}

# A privileged host port, for a user who may not listen there: 125 and
# the reason, as root cannot show (so the test runs unitune as nobody).
test_run_publish_privileged_port_is_an_error() {
	local img
	[ "$(id -u)" = 0 ] || skip "needs root to run a command as nobody"
	command -v setpriv >/dev/null || skip "setpriv (util-linux) is missing"
	[ "$(cat /proc/sys/net/ipv4/ip_unprivileged_port_start)" -gt 80 ] ||
		skip "any user may listen on port 80 here"
	img=$(test_image hello)
	cp "$img" hello.elf
	chmod 755 .
	chmod 644 hello.elf
	expect_eq 125 "$(run_status setpriv --reuid=65534 --regid=65534 --clear-groups \
		env HOME="$PWD" "$UNITUNE" run --accel tcg -p 80:80 hello.elf)" "status"
	expect_grep '^unitune run: qemu failed: no permission to listen on 127\.0\.0\.1:80 \(publish 80:80\): ports below 1024 need privileges; publish a higher host port$' err
}

# -v shows the network QEMU is given; the published line names the port
# QEMU was given; without --publish or --net there is no NIC at all.
test_run_publish_qemu_arguments() {
	local img port
	img=$(test_image hello)
	expect_eq 0 "$(run_status "$UNITUNE" run -v --accel tcg -p 0:80 "$img")" "status"
	expect_grep '^Hello from Unitune!$' out
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:80$/\1/p' err)
	[ -n "$port" ] || fail "no published line: $(cat err)"
	expect_grep " -global virtio-mmio\.force-legacy=false -netdev user,id=net0,restrict=on,hostfwd=tcp:127\.0\.0\.1:$port-:80 -device virtio-net-device,netdev=net0 " err
	# The guest sees its device by probing; its command line is unchanged.
	expect_grep " -append ' -- ' " err
	expect_grep '^\[uk\] virtio: device type 1 at 0x[0-9a-f]+: no driver in this image$' out

	expect_eq 0 "$(run_status "$UNITUNE" run -v --accel tcg --net user "$img")" "--net user"
	expect_grep ' -netdev user,id=net0,restrict=on -device virtio-net-device,netdev=net0 ' err
	expect_no_grep 'hostfwd|published' err

	expect_eq 0 "$(run_status "$UNITUNE" run -v --accel tcg "$img")" "no network"
	expect_no_grep 'netdev|virtio-net|published' err
	expect_no_grep 'virtio' out
	expect_eq 0 "$(run_status "$UNITUNE" run -v --accel tcg --net none "$img")" "--net none"
	expect_no_grep 'netdev|virtio-net' err
}

# A free port is picked and printed; QEMU listens on it and on nothing
# else, on 127.0.0.1 only. slirp accepts a connection there even though
# the guest never answers, and resets it when QEMU ends; then nothing
# listens any more.
test_run_publish_free_port_listens_on_loopback_only() {
	local img upid qpid port got
	need_ss
	img=$(test_image spin)
	"$UNITUNE" run --accel tcg --timeout 120 -p 0:80 "$img" >out 2>err &
	upid=$!
	wait_published "$upid" err
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:80$/\1/p' err)
	[ -n "$port" ] || fail "no port in: $(cat err)"
	qpid=$(qemu_of "$upid")
	got=$(listeners_of "$qpid" | tr '\n' ' ')
	expect_eq "127.0.0.1:$port " "$got" "QEMU's listening sockets"
	python3 - "$port" "$qpid" <<'PY' || fail "connection to the published port"
import os, signal, socket, sys
port, qemu = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(b"GET / HTTP/1.0\r\n\r\n")
print("accepted by QEMU")
os.kill(qemu, signal.SIGTERM)
s.settimeout(60)
try:
    data = s.recv(100)
    assert data == b"", data
    print("closed when QEMU ended")
except ConnectionResetError:
    print("reset when QEMU ended")
PY
	got=0
	wait "$upid" || got=$?
	expect_eq 125 "$got" "status after QEMU was killed"
	expect_grep '^unitune run: qemu failed: .*terminating on signal 15' err
	python3 - "$port" <<'PY' || fail "the port still accepts after QEMU ended"
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
    sys.exit(1)
except ConnectionRefusedError:
    pass
PY
}

test_run_without_publish_qemu_listens_nowhere() {
	local img upid qpid
	need_ss
	img=$(test_image spin)
	"$UNITUNE" run --accel tcg --timeout 120 "$img" >out 2>err &
	upid=$!
	for _ in $(seq 1 600); do
		grep -q '^spin: looping forever$' out && break
		sleep 0.1
	done
	expect_grep '^spin: looping forever$' out
	qpid=$(qemu_of "$upid")
	[ -z "$(listeners_of "$qpid")" ] || fail "QEMU listens on: $(listeners_of "$qpid")"
	kill "$qpid"
	wait "$upid" || true
	expect_no_grep published err
}

# record takes the same options through the same code, and still
# records its trace.
test_record_publishes_like_run() {
	local img port
	img=$(test_image hello)
	expect_eq 0 "$(run_status "$UNITUNE" record --accel tcg -p 0:80 -o t.uttr "$img")" "status"
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:80$/\1/p' err)
	[ -n "$port" ] || fail "no published line: $(cat err)"
	expect_grep '^unitune record: trace t\.uttr: [0-9]+ records' err
	expect_eq 0 "$(run_status "$UNITUNE" record -v --accel tcg --net user -o t.uttr "$img")" "--net user"
	expect_grep ' -netdev user,id=net0,restrict=on -device virtio-net-device,netdev=net0' err
}

# The timeout stops a server like any guest (benchmarks once read the
# refused and reset connections of a stopped server as network errors):
# the message says so, and how to serve without a timeout. A guest
# without published ports gets the plain message.
test_run_publish_timeout_says_how_to_keep_serving() {
	local img
	img=$(test_image spin)
	expect_eq 124 "$(run_status "$UNITUNE" run --accel tcg --timeout 1 -p 0:80 "$img")" "status"
	expect_grep '^unitune: published 127\.0\.0\.1:[0-9]+ -> guest:80$' err
	expect_grep '^unitune run: timeout: guest did not exit within 1 s \(published ports do not keep a guest running: --timeout 0 serves until the guest is stopped\)$' err
	expect_eq 124 "$(run_status "$UNITUNE" run --accel tcg --timeout 1 "$img")" "status without --publish"
	expect_grep '^unitune run: timeout: guest did not exit within 1 s$' err
}

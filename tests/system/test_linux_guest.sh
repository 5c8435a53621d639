# SPDX-License-Identifier: BSD-3-Clause
# The Linux baseline of `unitune bench http --baseline linux`: the guest
# scripts/linux-guest.sh builds from Debian packages boots through
# `unitune run --initrd` and serves httpd's own page, byte for byte,
# through the published port. One boot (about 3 s under TCG; the cached
# build takes seconds, the first one a download).

LINUX_GUEST="$ROOT/build/linux-guest"

linux_guest_build() {
	"$ROOT/scripts/linux-guest.sh" >built 2>build.log || {
		cat build.log >&2
		fail "scripts/linux-guest.sh failed"
	}
	expect_eq "$LINUX_GUEST" "$(cat built)" "the folder it prints"
	[ -s "$LINUX_GUEST/vmlinuz" ] && [ -s "$LINUX_GUEST/initrd.gz" ] ||
		fail "no vmlinuz or initrd.gz in $LINUX_GUEST"
}

test_linux_guest_serves_the_page() {
	local pid port i
	linux_guest_build
	# A second call finds the cache and only prints the folder.
	"$ROOT/scripts/linux-guest.sh" >again 2>again.log || fail "second build failed"
	expect_eq "" "$(cat again.log)" "the cached build's messages"
	"$UNITUNE" run -v --accel tcg --mem 256M -t 120 -p 0:80 \
		--initrd "$LINUX_GUEST/initrd.gz" "$LINUX_GUEST/vmlinuz" >console 2>err &
	pid=$!
	for i in $(seq 1 600); do
		grep -q '^unitune: published ' err && break
		kill -0 "$pid" 2>/dev/null || fail "unitune ended first: $(cat err)"
		sleep 0.1
	done
	port=$(sed -n 's/^unitune: published 127\.0\.0\.1:\([0-9]*\) -> guest:80$/\1/p' err)
	[ -n "$port" ] || { kill "$pid"; fail "no published port in err"; }
	expect_grep "-append 'console=ttyS0 panic=-1 quiet tsc_early_khz=[0-9]+000 tsc=reliable' .*-initrd " err
	if ! wait_http_ready "http://127.0.0.1:$port/" "$pid"; then
		wait_http_ready "http://127.0.0.1:$port/" "$pid" || {
			kill "$pid"
			tail -n 20 console >&2
			fail "nginx never answered on 127.0.0.1:$port"
		}
	fi
	curl -fsS --noproxy '*' -o page "http://127.0.0.1:$port/" || fail "curl failed"
	kill "$pid"
	wait "$pid" || true
	expect_grep '^linux-guest: starting nginx' console
	cmp page "$LINUX_GUEST/index.html" || fail "nginx served other bytes than the built page"
	make -s -C "$ROOT" build/httpd/httpd >/dev/null || fail "httpd did not build"
	"$ROOT/build/httpd/httpd" --print-body >httpd-page
	cmp page httpd-page || fail "nginx's page is not httpd's"
}

# Bad --initrd input, refused before QEMU starts.
test_linux_guest_bad_initrd_input() {
	expect_eq 126 "$(run_status "$UNITUNE" run --initrd /nonexistent.gz "$ROOT/bin/unitune")" \
		"a kernel that is no bzImage"
	expect_grep '^unitune run: bad image: kernel .*/bin/unitune is not an x86 bzImage' err
	linux_guest_build
	expect_eq 126 "$(run_status "$UNITUNE" run --initrd /nonexistent.gz "$LINUX_GUEST/vmlinuz")" \
		"a missing initrd"
	expect_grep 'initrd /nonexistent\.gz: No such file or directory' err
	expect_eq 2 "$(run_status "$UNITUNE" run --initrd '' "$LINUX_GUEST/vmlinuz")" "an empty --initrd"
	expect_grep 'needs a file' err
}

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Build the Linux guest of `unitune bench http --baseline linux` from
# Debian packages only, and print the folder that holds it:
#
#   scripts/linux-guest.sh [--force]
#   -> build/linux-guest/vmlinuz     the kernel of linux-image-cloud-amd64
#      build/linux-guest/initrd.gz   busybox-static, nginx and its libraries
#      build/linux-guest/index.html  the page nginx serves (httpd's own)
#      build/linux-guest/key         what the build was made from
#
# The kernel comes out of the .deb (apt-get download, dpkg-deb -x): nothing
# is installed to /boot. The cloud kernel builds virtio and virtio-net as
# modules, so the initramfs carries them and /init loads them (virtio-mmio
# for microvm, virtio-pci for q35). /init mounts proc, sys and dev, gives
# eth0 QEMU user networking's address (10.0.2.15/24 via 10.0.2.2), and runs
# nginx with one worker and no access log, as the unikernel's httpd has one
# thread and logs nothing. The page is httpd's `--print-body`, so both
# servers send the same bytes.
#
# The result is cached, keyed by the package versions, this script and the
# page: run it again and it only prints the folder. --force rebuilds.
# scripts/deps.sh installs busybox-static, cpio and nginx's libraries;
# nginx itself is only downloaded (installing it would start it on port 80).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${LINUX_GUEST_DIR:-$ROOT/build/linux-guest}
KMETA=linux-image-cloud-amd64
# Load order: each after what it depends on (modinfo -F depends).
MODULES="virtio_ring virtio virtio_mmio virtio_pci_legacy_dev \
virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"

die() {
	echo "linux-guest.sh: $*" >&2
	exit 1
}

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*) die "unknown option '$1' (use --force)" ;;
esac

for tool in cpio gzip dpkg-deb apt-get apt-cache ldd make sha256sum; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool is missing; run scripts/deps.sh"
done
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod ||
	die "busybox-static is missing; run scripts/deps.sh"

version() { # package: the version apt would download
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

# The kernel package the metapackage points at.
kpkg=$(apt-cache depends "$KMETA" 2>/dev/null |
	awk '/Depends: linux-image-/ { print $2; exit }')
[ -n "$kpkg" ] || die "apt knows no $KMETA (apt-get update?)"

# The page: httpd's own, from its native build.
make -s -C "$ROOT" build/httpd/httpd >/dev/null ||
	die "cannot build build/httpd/httpd (for the page)"

mkdir -p "$OUT"
tmp=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$ROOT/build/httpd/httpd" --print-body >"$tmp/index.html" ||
	die "httpd --print-body failed"

key="$kpkg=$(version "$kpkg") busybox-static=$(version busybox-static) \
nginx=$(version nginx) script=$(sha256sum "$0" | cut -c1-16) \
page=$(sha256sum "$tmp/index.html" | cut -c1-16)"
if [ "$force" = 0 ] && [ -f "$OUT/key" ] && [ "$(cat "$OUT/key")" = "$key" ] &&
	[ -f "$OUT/vmlinuz" ] && [ -f "$OUT/initrd.gz" ]; then
	echo "$OUT"
	exit 0
fi
echo "linux-guest.sh: building $key" >&2

# The kernel and its modules, and nginx, from their .debs: installing
# nginx would start it on the host's port 80.
(cd "$tmp" && apt-get download -qq "$kpkg" nginx >/dev/null 2>&1) ||
	die "apt-get download $kpkg nginx failed"
dpkg-deb -x "$tmp"/"$kpkg"_*.deb "$tmp/deb"
dpkg-deb -x "$tmp"/nginx_*.deb "$tmp/nginx"
nginx=$tmp/nginx/usr/sbin/nginx
[ -x "$nginx" ] || die "the nginx package holds no usr/sbin/nginx"
kdir=$(ls -d "$tmp"/deb/lib/modules/*/ | head -n 1)
[ -n "$kdir" ] || die "$kpkg holds no modules"
cp "$tmp"/deb/boot/vmlinuz-* "$tmp/vmlinuz"

root=$tmp/root
mkdir -p "$root/bin" "$root/sbin" "$root/etc/nginx" "$root/www" \
	"$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/tmp" \
	"$root/var/log/nginx" "$root/var/lib/nginx" "$root/lib/modules"
cp /bin/busybox "$root/bin/busybox"
for m in $MODULES; do
	f=$(find "$kdir" -name "$m.ko" | head -n 1)
	[ -n "$f" ] || die "$kpkg has no module $m.ko"
	cp "$f" "$root/lib/modules/"
done

# nginx and every library it loads, at the paths the loader looks in
# (nginx's dependencies are installed on the host: ldd finds them).
ldd "$nginx" >"$tmp/ldd" 2>&1 || die "ldd $nginx: $(cat "$tmp/ldd")"
if grep -q 'not found' "$tmp/ldd"; then
	die "nginx needs libraries this host lacks: $(grep 'not found' "$tmp/ldd" | tr -s ' \t\n' ' ')(apt-get install nginx's dependencies)"
fi
cp "$nginx" "$root/sbin/nginx"
for lib in $(awk '/=> \// { print $3 } /^\t\// { print $1 }' "$tmp/ldd"); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
cp "$tmp/index.html" "$root/www/index.html"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# keepalive_requests: the unikernel never closes a kept-alive connection,
# nginx does after 1000 requests by default; wrk would count reconnects.
cat >"$root/etc/nginx/nginx.conf" <<'EOF'
worker_processes 1;
worker_rlimit_nofile 16384;
daemon off;
error_log stderr warn;
pid /run/nginx.pid;
events { worker_connections 8192; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000000;
	default_type text/html;
	server {
		listen 80 default_server;
		root /www;
		index index.html;
	}
}
EOF

cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $MODULES; do insmod /lib/modules/\$m.ko 2>/dev/null; done
# The NIC's driver probes as its module loads; wait a little for eth0.
n=0
while [ ! -e /sys/class/net/eth0 ] && [ \$n -lt 50 ]; do
	sleep 0.1; n=\$((n + 1))
done
[ -e /sys/class/net/eth0 ] || echo "linux-guest: no eth0"
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ip route add default via 10.0.2.2
echo "linux-guest: starting nginx"
/sbin/nginx -c /etc/nginx/nginx.conf
echo "linux-guest: nginx exited with status \$?"
poweroff -f
EOF
chmod 755 "$root/init"

(cd "$root" && find . | sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -9 -n >"$tmp/initrd.gz"
mv "$tmp/vmlinuz" "$OUT/vmlinuz"
mv "$tmp/initrd.gz" "$OUT/initrd.gz"
mv "$tmp/index.html" "$OUT/index.html"
echo "$key" >"$OUT/key"
echo "$OUT"

# Shared settings of armjit's scripts (POSIX sh). Source it:
#	. "$(dirname "$0")/lib.sh"
#
# KERNEL names the stock Debian kernel to build for and boot:
#	6.1		bookworm linux-image-armmp (the default)
#	6.1-lpae	bookworm linux-image-armmp-lpae
#	6.1-rt		bookworm linux-image-rt-armmp
#	6.12, 6.12-lpae	the same from bookworm-backports (private apt lists)
#	trixie, trixie-lpae	Debian 13's armmp, armmp-lpae (private lists)
#	sid		Debian unstable's armmp (private lists)
#	rpi		bookworm armel linux-image-rpi: Raspberry Pi 1 and
#			Zero (ARMv6K, uniprocessor; private lists)
# The package names (ABI, version, upstream series) are resolved from the
# metapackage, never hard-coded. A new kernel is one line in the case below
# (and, if its kbuild can't run here, KBUILD_FROM_SOURCE=1).
#
# Cache layout (git-ignored; ARMJIT_CACHE overrides the place):
#	.cache/<KERNEL>/debs/	the downloaded .debs
#	.cache/<KERNEL>/root/	all of them extracted: boot/vmlinuz-$KV,
#				lib/modules/$KV, the headers (fixed up to
#				cross-build on x86_64), the amd64 linux-kbuild,
#				bin/busybox (armhf or armel, static)
#	.cache/<KERNEL>/env	shell assignments: KERNEL KV KPKGVER KSERIES
#				KROOT HDRS VMLINUZ MODDIR DTBDIR BUSYBOX
#				SRCDIR SRCTAR (load it with load_kenv)
#	.cache/src-<name>/	the linux-source-<series> .deb of the image's
#				version (scripts/fetch-source), shared by all
#				flavours of a kernel (<name>: KERNEL up to its
#				first '-': 6.1, 6.12, trixie, sid; bookworm-
#				backports' and trixie's 6.12 differ):
#	    linux-source-<series>.tar.xz   the whole tree, as shipped
#	    linux-source -> linux-source-<series>/
#	    linux-source-<series>/         a subset of it (checkpatch, BPF
#				selftests, tools/lib/bpf, ...; see SRC_PATHS).
#				Need more? src_extract PATH... adds paths.
#	.cache/apt-<suite>/	private apt sources and lists (backports,
#				trixie, sid; apt-<suite>-armel for armel)
#	.cache/kbuild-<KV>/	kbuild host programs built from linux-source
#				(KBUILD_FROM_SOURCE: the suite's amd64
#				linux-kbuild needs a newer libc than the host's)

ARMJIT_ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$ARMJIT_ROOT/scripts/lib.sh" ] ||
	ARMJIT_ROOT=$(git rev-parse --show-toplevel)
CACHE=${ARMJIT_CACHE:-$ARMJIT_ROOT/.cache}
KERNEL=${KERNEL:-6.1}
KCACHE=$CACHE/$KERNEL
APT_SYS_OPTS="-o DPkg::Lock::Timeout=600 -o APT::Sandbox::User=root"
APT_OPTS=$APT_SYS_OPTS
msg() { echo "${0##*/}: $*" >&2; }
die() { msg "$*"; exit 1; }

# KERNEL -> META (image metapackage), KARCH (its Debian architecture:
# armhf, or armel for the Pi 1/Zero kernel), SUITE ("" = the system's
# sources, else a suite reached through private lists; "-backports" is the
# system's; armel always takes private lists, the system has no armel),
# KBUILD_FROM_SOURCE (1: the amd64 linux-kbuild of the suite
# can't run on the host; scripts/build-kbuild makes its programs).
# The upstream series (KSERIES) comes from the image's name.
KBUILD_FROM_SOURCE=0
KARCH=armhf
case $KERNEL in
6.1)		META=linux-image-armmp;		SUITE= ;;
6.1-lpae)	META=linux-image-armmp-lpae;	SUITE= ;;
6.1-rt)		META=linux-image-rt-armmp;	SUITE= ;;
6.12)		META=linux-image-armmp;		SUITE=-backports ;;
6.12-lpae)	META=linux-image-armmp-lpae;	SUITE=-backports ;;
trixie)		META=linux-image-armmp;		SUITE=trixie ;;
trixie-lpae)	META=linux-image-armmp-lpae;	SUITE=trixie ;;
sid)		META=linux-image-armmp;		SUITE=sid ;;
# bookworm-security has no armel index on the mirror here: bookworm's.
rpi)		META=linux-image-rpi;		SUITE=bookworm KARCH=armel ;;
*)		die "unknown KERNEL=$KERNEL (6.1 6.1-lpae 6.1-rt 6.12 6.12-lpae trixie trixie-lpae sid rpi)" ;;
esac
# The cross compiler and the guest's user space follow the architecture:
# armel (ARMv5TE code, runs on the ARM1176) for the Pi kernel.
# DEFAULT_CPU: what scripts/vm --cpu (make CPU=) boots when not told:
# cortex-a15 on -M virt for armmp, the Raspberry Pi 1 A+ for rpi.
if [ "$KARCH" = armel ]; then
	DEFAULT_CPU=raspi1ap
	CROSS_COMPILE=${CROSS_COMPILE:-arm-linux-gnueabi-}
	GUEST_BIN=$ARMJIT_ROOT/build/guest-armel
else
	DEFAULT_CPU=cortex-a15
	CROSS_COMPILE=${CROSS_COMPILE:-arm-linux-gnueabihf-}
	GUEST_BIN=$ARMJIT_ROOT/build/guest
fi
case $SUITE in trixie|sid) KBUILD_FROM_SOURCE=1 ;; esac
SRCKEY=${KERNEL%%-*}

# Private apt configuration for SUITE: its own sources list (the mirror the
# system uses, KARCH and amd64) and lists directory, so the system's apt
# state is never touched. armel is no dpkg architecture of the host: apt is
# told of it on the command line.
if [ -n "$SUITE" ]; then
	CODENAME=$(. /etc/os-release && echo "$VERSION_CODENAME")
	case $SUITE in -*) SUITE=$CODENAME$SUITE ;; esac
	PRIV=$CACHE/apt-$SUITE
	[ "$KARCH" = armhf ] || PRIV=$PRIV-$KARCH
	APT_OPTS="$APT_OPTS -o Dir::Etc::sourcelist=$PRIV/sources.list
		-o Dir::Etc::sourceparts=$PRIV/parts.d
		-o Dir::State::Lists=$PRIV/lists -o Dir::Cache=$PRIV/cache"
	[ "$KARCH" = armhf ] || APT_OPTS="$APT_OPTS
		-o APT::Architectures::=amd64 -o APT::Architectures::=$KARCH"
fi

apt_get() { apt-get $APT_OPTS "$@"; }
apt_cache() { apt-cache $APT_OPTS "$@"; }

# Creates and updates the private lists once (first use of SUITE).
priv_apt_setup() {
	[ -n "$SUITE" ] || return 0
	[ -f "$PRIV/.stamp" ] && return 0
	mkdir -p "$PRIV/lists/partial" "$PRIV/cache/archives/partial" \
		"$PRIV/parts.d"
	uri=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' \
		'Created-By: Packages' | awk -v s="$CODENAME" '$2 == s { print $1; exit }')
	[ -n "$uri" ] || die "no $CODENAME entry in the system's apt sources"
	echo "deb [arch=$KARCH,amd64] $uri $SUITE main" >"$PRIV/sources.list"
	msg "apt-get update ($SUITE $KARCH, private lists)"
	apt_get update -qq >&2 || true
	apt_cache show "$META:$KARCH" >/dev/null 2>&1 ||
		die "$META:$KARCH does not resolve in $SUITE"
	touch "$PRIV/.stamp"
}

# Paths of the source tree extracted by scripts/fetch-source.
SRC_PATHS="scripts/checkpatch.pl scripts/spelling.txt
	scripts/const_structs.checkpatch tools/testing/selftests/bpf
	tools/testing/selftests/kselftest.h tools/lib/bpf tools/include
	tools/scripts include/uapi/linux/bpf.h lib/test_bpf.c arch/arm/net"

# build_plugin SRC SO: builds a QEMU TCG plugin of bench/ (pcount.c,
# ccount.c: the QEMU 7.2 API declared by hand) if SO is older than SRC.
build_plugin() {
	[ -f "$2" ] && [ "$2" -nt "$1" ] && [ "$2" -nt bench/qemu_plugin_api.h ] ||
		gcc -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter \
			-o "$2" "$1"
}

# Sources the env file of KERNEL (run scripts/fetch-kernel first).
load_kenv() {
	[ -f "$KCACHE/env" ] || die "no $KCACHE/env: run scripts/fetch-kernel"
	. "$KCACHE/env"
}

# src_extract PATH...: adds paths of the kernel tree to $SRCDIR (needs
# scripts/fetch-source run once; decompressing takes ~15 s).
src_extract() {
	load_kenv
	[ -f "$SRCTAR" ] || die "no $SRCTAR: run scripts/fetch-source"
	tar -xJf "$SRCTAR" -C "${SRCDIR%/*}" \
		$(for p; do echo "linux-source-$KSERIES/$p"; done)
}

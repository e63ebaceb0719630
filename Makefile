# armjit, top level. Every target first installs missing host packages
# (scripts/setup-host) and fetches the stock kernel (cached in .cache/).
#
#   make              armjit.ko for KERNEL: build/$(KERNEL)/armjit.ko
#   make fetch        download/extract the kernel and its linux-source
#   make check        all tests (host, guest; for KERNEL=6.1 also trixie and 6.12
#                     boots with test_bpf and the selftests); ends "N passed, N
#                     failed, N skipped"
#   make check-all    make check's tests over 6.1, 6.1-lpae, 6.1-rt, 6.12, trixie,
#                     trixie-lpae, sid and 6.1 on cortex-a9; summary in
#                     build/check-all.log (slow)
#   make test-bpf     test_bpf's three suites through armjit (HARDEN=0|1|2, CPU=,
#                     RANGES="0,827 953,1025": only those test_range ids, TIMEOUT=)
#   make demo         boot, toggle armjit, test_bpf stock JIT vs armjit
#   make selftests    the BPF selftest programs in the guest: interpreter, stock
#                     JIT, armjit (KTAP; RUN_ARGS= passes runner options)
#   make bench        icount figures: interp/stock/armjit (bench/results-$KERNEL.*)
#   make profile      per-instruction counts of a selftest program's JIT'ed code
#                     (PROG=l4lb MODE=armjit|stock REPEAT=100 ALL=1: every insn;
#                     build/$KERNEL/profile/PROG.MODE.txt)
#   make compile-profile  where the JIT's compile time goes, on this machine
#                     (tests/host: compile-bench, callgrind, perf;
#                     build/compile-profile.txt; no guest)
#   make compile-profile-guest  where a load's guest instructions go, per kernel
#                     and armjit function: interp, stock, armjit (QEMU plugin
#                     bench/ccount.c; PROGS=xdp,l4lb LOADS=20, or
#                     PROGS=gen4096: make bench's generated program;
#                     build/$KERNEL/compile-profile/profile.txt)
#   make checkpatch   checkpatch.pl --no-tree on module/*.[ch]
#   make dkms-test    Debian's dkms builds armjit in an armhf chroot (bookworm; trixie
#                     for KERNEL=trixie; armel bookworm for KERNEL=rpi), boot it (slow)
#   make system-test  a whole Debian armhf system (SUITE=trixie or bookworm)
#                     with the .deb installed by apt, booted in QEMU with armjit
#                     on from the first BPF program: systemd, seccomp, cgroup and
#                     socket filters, apt remove (tests/system/; slow)
#   make deb          build/deb/armjit-dkms_<version>_all.deb (debhelper,
#                     dh-dkms) and lintian on it (fails on errors/warnings)
#   make stress       stress/: toggle/unload storms, mixed tail calls, blinding,
#                     sysfs fuzz, differential fuzzing (STRESS_CYCLES=, FUZZ_N=)
#   make fuzz         the differential fuzzer alone: N=1000 programs from SEED=1;
#                     prints seed, count, mismatches, oopses, runtime; fails on
#                     any mismatch or kernel complaint (log build/$KERNEL/fuzz.log)
#   make fuzz-host    the fuzzer's programs on the host under qemu-arm (no guest):
#                     N=1000 from SEED=1, a third each on cortex-a15, cortex-a9
#                     (hwdiv=0) and arm1176 (ARMv6K code), each JIT'ed at opt 1
#                     and 0 against the reference
#                     interpreter; differences shrunk, opcode coverage table, rate;
#                     MAX_SECONDS=T: stop after T seconds with the programs done
#   make clean        remove build/ (the .cache/ stays)
#
# KERNEL=6.1 (default), 6.1-lpae, 6.1-rt, 6.12, 6.12-lpae (bookworm-backports),
# trixie, trixie-lpae (Debian 13), sid (unstable: 7.2 now), rpi (bookworm armel,
# Raspberry Pi 1/Zero): see scripts/lib.sh.
# CPU=cortex-a15 (default), cortex-a7, cortex-a9 (no hardware divide); for
# KERNEL=rpi the board: raspi1ap (default, Pi 1 A+) or raspi0 (Pi Zero).
# Empty: the kernel's default (scripts/lib.sh DEFAULT_CPU).

KERNEL ?= 6.1
CPU ?=
HARDEN ?= 0
export KERNEL

CPU_ARG := $(if $(CPU),--cpu $(CPU))
VM := scripts/vm $(CPU_ARG)

.PHONY: all module setup fetch check check-all test-bpf selftests demo bench profile compile-profile compile-profile-guest checkpatch dkms-test deb system-test stress fuzz fuzz-host clean

all: module

setup:
	@scripts/setup-host

fetch: setup
	@scripts/fetch-kernel
	@scripts/fetch-source

module: fetch
	@scripts/build

check: fetch
	@CPU=$(CPU) scripts/check

check-all: fetch
	@scripts/check-all

test-bpf: module
	@$(VM) --timeout $(or $(TIMEOUT),900) --file tests/guest -- HARDEN=$(HARDEN) RANGES="'$(RANGES)'" sh guest/test_bpf.sh

selftests: module
	@$(MAKE) -C selftests run_tests VM_ARGS="$(CPU_ARG)" \
		RUN_ARGS="$(or $(RUN_ARGS),--expect-jited armjit)"

demo: module
	@$(VM) --file tests/guest -- sh guest/demo.sh

bench: module
	@bench/run

profile: module
	@CPU=$(CPU) bench/profile $(if $(ALL),--all) $(or $(PROG),l4lb) \
		$(or $(MODE),armjit) $(or $(REPEAT),100)

compile-profile:
	@$(MAKE) -C tests/host compile-profile PROFILE=$(CURDIR)/build/compile-profile.txt

compile-profile-guest: module
	@CPU=$(CPU) bench/compile-profile "$(PROGS)" "$(LOADS)"	# empty: its defaults

stress: module
	@$(MAKE) -C stress run VM_ARGS="$(CPU_ARG)"

N ?= 1000
SEED ?= 1
fuzz: module
	@N=$(N) SEED=$(SEED) CPU=$(CPU) stress/fuzz-run

fuzz-host: setup
	@$(MAKE) -s -C tests/host armjit-test armjit-test-v6
	@tests/host/fuzz-host.py -n $(N) --seed $(SEED) $(if $(MAX_SECONDS),--seconds $(MAX_SECONDS))

checkpatch: fetch
	@scripts/checkpatch

dkms-test: fetch
	@tests/dkms/dkms-test

deb:
	@scripts/deb

SUITE ?= trixie
system-test:
	@tests/system/system-test $(SUITE)

clean:
	rm -rf build
	@[ ! -f tests/host/Makefile ] || $(MAKE) -C tests/host clean
	@[ ! -f selftests/Makefile ] || $(MAKE) -C selftests clean
bpftool-test: fetch ; @tests/bpftool/bpftool-test

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/imgcount.py: the instructions of the JIT'ed code alone, per run.

make bench (bench/run) boots with the TCG plugin bench/ccount.c counting
every instruction executed in the arm32 module area [0xbf000000,
0xc0000000), where both JITs put their images; each marker the guest
executes writes the counts since the last one to COUNTS.N. Two kinds of
window (bench/guest.sh):

    # bench-img prog=P fam=F mode=M hi32=H snap=S runs=R
        the selftest runner's BPF_PROG_TEST_RUN calls of one program and
        packet family (--img-marks); the modules then loaded are the
        "timg-mods mods=..." line's
    timg idx=N mode=M snap=S mods=NAME@ADDR+SIZE,... init=ADDR
        one test_bpf test (tests.txt line N): its load and runs

What ran in the module area outside the modules loaded (their core, and
test_bpf's freed init text, whose size comes from the .ko) is the JIT'ed
images: the program, its functions, its tail calls' targets. armjit's
code calls only kernel routines (helpers, __aeabi_*, div64_*), never
armjit.ko's, so leaving armjit.ko out hides nothing of a run; kernel code
lies above the area and is not counted. Also counted, and so included:
kprobe slots (armjit's probes fire a few times a load: ~25 instructions a
test_bpf window, against its 1000 runs).

A test_bpf window is divided by test_bpf's run count of the test
(MAX_TESTRUNS or the test's nr_testruns, read from the kernel's
lib/test_bpf.c): summed over its sub-tests as make bench's per-run figures
are. Prints a line a window:

    simgrun prog=P fam=F mode=M hi32=H insns=TOTAL runs=R per_run=X
    timgrun idx=N mode=M insns=TOTAL runs=R per_run=X
"""
import argparse
import lzma
import os
import re
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import kv, read_tests  # noqa: E402  (bench/report.py)

AREA_LO, AREA_HI = 0xbf000000, 0xc0000000


def elf_section_size(path, name):
    """Size of section NAME of a 32-bit little-endian ELF (.ko or .ko.xz)."""
    opener = lzma.open if path.endswith('.xz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    if data[:4] != b'\x7fELF' or data[4] != 1 or data[5] != 1:
        sys.exit(f'imgcount: {path}: not a 32-bit little-endian ELF')
    shoff, = struct.unpack_from('<I', data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x2e)
    secs = [struct.unpack_from('<10I', data, shoff + i * shentsize)
            for i in range(shnum)]
    stroff = secs[shstrndx][4]
    for s in secs:
        end = data.index(b'\0', stroff + s[0])
        if data[stroff + s[0]:end].decode() == name:
            return s[5]
    return 0


class TestRuns:
    """test_bpf's run counts (run_one(), test_tail_calls()), from the
    kernel's lib/test_bpf.c, read once."""

    def __init__(self, src):
        self.src = src
        self.text = open(src).read()
        self.defs = dict(re.findall(r'^#define\s+(\w+)\s+(\d+)\s*$',
                                    self.text, re.M))
        self.maxruns = int(self.defs['MAX_TESTRUNS'])

    def runs(self, name, suite):
        """The run count of the test NAME of SUITE."""
        if suite != 'test_bpf':
            return self.maxruns
        text = self.text
        lit = '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '",'
        pos = text.find('\t\t' + lit)
        if pos < 0:
            sys.exit(f'imgcount: test "{name}" not in {self.src}')
        # the test's initializer ends at the next "\t}," line
        end = text.find('\n\t},', pos)
        m = re.search(r'\.nr_testruns\s*=\s*(\w+)', text[pos:end])
        if not m:
            return self.maxruns
        v = m.group(1)
        v = int(self.defs[v]) if v in self.defs else int(v, 0)
        return min(v, self.maxruns)


def parse_mods(text):
    """NAME@ADDR+SIZE,... (guest.sh's mods()): [(lo, hi)]"""
    out = []
    for m in text.split(','):
        if not m:
            continue
        _, rng = m.split('@')
        addr, size = rng.split('+')
        out.append((int(addr, 16), int(addr, 16) + int(size)))
    if any(lo == 0 for lo, _ in out):
        sys.exit('imgcount: module addresses hidden (kptr_restrict)')
    return out


def window(counts, snap, skip):
    """Instructions counts.SNAP holds in the module area outside SKIP."""
    total = 0
    try:
        f = open(f'{counts}.{snap}')
    except OSError as e:
        sys.exit(f'imgcount: {e}')
    with f:
        for line in f:
            addr, n = line.split()
            addr = int(addr, 16)
            if AREA_LO <= addr < AREA_HI and \
                    not any(lo <= addr < hi for lo, hi in skip):
                total += int(n)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--counts', required=True, help="ccount's out= prefix")
    ap.add_argument('--ko', required=True, help='test_bpf.ko(.xz)')
    ap.add_argument('--src', required=True, help="the kernel's lib/test_bpf.c")
    ap.add_argument('--tests', required=True, help='bench/tests.txt')
    ap.add_argument('txt', help='the guest lines (results-K.txt)')
    a = ap.parse_args()

    tests = read_tests(a.tests)
    test_runs = TestRuns(a.src)
    init_size = elf_section_size(a.ko, '.init.text')
    lines = open(a.txt).read().splitlines()
    runner_mods = []
    for line in lines:
        if line.startswith('timg-mods '):
            runner_mods = parse_mods(kv(line).get('mods', ''))
    for line in lines:
        if line.startswith('# bench-img '):
            # the selftest runner's BPF_PROG_TEST_RUN calls
            d = kv(line)
            runs = int(d['runs'])
            if not runs or not runner_mods:
                continue
            total = window(a.counts, d['snap'], runner_mods)
            print(f"simgrun prog={d['prog']} fam={d['fam']} mode={d['mode']} "
                  f"hi32={d['hi32']} insns={total} runs={runs} "
                  f"per_run={total / runs:.2f}")
        elif line.startswith('timg '):
            d = kv(line)
            idx = int(d['idx'])
            suite, name = tests[idx - 1]['suite'], tests[idx - 1]['name']
            skip = parse_mods(d.get('mods', ''))
            if d.get('init'):
                ia = int(d['init'], 16)
                skip.append((ia, ia + init_size))
            total = window(a.counts, d['snap'], skip)
            runs = test_runs.runs(name, suite)
            print(f"timgrun idx={idx} mode={d['mode']} insns={total} "
                  f"runs={runs} per_run={total / runs:.2f}")


if __name__ == '__main__':
    main()

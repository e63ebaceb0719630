#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Normalise an armjit-test --dump-images file for comparison across commits.

Usage: image-norm.py ARMJIT-TEST-BINARY DUMP > NORMALISED

The words of an image depend on where things are mapped: a bl to a helper
or a kernel-routine stand-in (the runner's text moves when the JIT's code
changes size), a movw/movt pair loading the address of a test's data, a
heap allocation, another function's image. Such words are rewritten as
WORD=WHAT, WHAT what it points to: a symbol of the binary (nm) plus an
offset, an image of the same dump ("img N.F+off": JIT run N, function
F), or the heap (an offset from the page after _end). Everything else
stays as it is, and image addresses themselves are dropped. A test's
random constant may look like an address: image-compare.py takes two
such words as the same when either their words or their targets are.
"""
import bisect
import subprocess
import sys

NM = "arm-linux-gnueabihf-nm"


def load_symbols(binary):
    out = subprocess.run([NM, "-n", binary], capture_output=True, text=True,
                         check=True).stdout
    addrs, names, end = [], [], None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] in "aUwvN":
            continue
        a = int(parts[0], 16)
        if parts[2] == "_end":
            end = a
        if parts[2].startswith("$") or not a:
            continue
        addrs.append(a)
        names.append(parts[2])
    return addrs, names, end


class Resolver:
    def __init__(self, binary):
        self.addrs, self.names, self.end = load_symbols(binary)
        self.heap = (self.end + 4095) & ~4095
        self.images = []    # (start, end, seq, f)

    def name(self, v):
        for start, end, seq, f in reversed(self.images):
            if start <= v < end:
                return "img%d.%d+%d" % (seq, f, v - start)
        if self.addrs and self.addrs[0] <= v < self.end:
            i = bisect.bisect_right(self.addrs, v) - 1
            return "%s+%d" % (self.names[i], v - self.addrs[i])
        if self.heap <= v < self.heap + (256 << 20):
            return "heap+%d" % (v - self.heap)
        return None


def sext24(x):
    return x - (1 << 24) if x & (1 << 23) else x


def norm_image(res, base, words):
    out = ["%08x" % w for w in words]
    n = len(words)
    for i, w in enumerate(words):
        cond = w >> 28
        if cond != 0xf and (w >> 25) & 7 == 5:          # b, bl
            t = (base + 4 * i + 8 + 4 * sext24(w & 0xffffff)) & 0xffffffff
            if not base <= t < base + 4 * n:
                nm = res.name(t)
                if nm:
                    out[i] = "%08x=%s:%s" % (w, "bl" if w & (1 << 24)
                                             else "b", nm)
        # movw rd, #lo ; movt rd, #hi (unconditional, same rd)
        if (w & 0xfff00000) == 0xe3000000 and i + 1 < n:
            m = words[i + 1]
            rd = (w >> 12) & 15
            if (m & 0xfff00000) == 0xe3400000 and (m >> 12) & 15 == rd:
                lo = ((w >> 4) & 0xf000) | (w & 0xfff)
                hi = ((m >> 4) & 0xf000) | (m & 0xfff)
                nm = res.name(hi << 16 | lo)
                if nm:
                    out[i] = "%08x=movw:%s" % (w, nm)
                    out[i + 1] = "%08x=movt:%s" % (m, nm)
    return out


def main():
    res = Resolver(sys.argv[1])
    lines = open(sys.argv[2], errors="replace").read().split("\n")
    i, seq, group = 0, 0, []
    w = sys.stdout.write

    def flush():
        # all images of one JIT first: functions call each other
        for f, base, nw, epi, words in group:
            res.images.append((base, base + 4 * nw, seq, f))
        for f, base, nw, epi, words in group:
            w("I %d words %d epilogue %d\n" % (f, nw, epi))
            out = norm_image(res, base, words)
            for k in range(0, nw, 8):
                w(" ".join(out[k:k + 8]) + "\n")
        group.clear()

    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("J "):
            flush()
            seq = int(line.split()[1])
            w(line + "\n")
            continue
        if not line.startswith("I "):
            continue
        p = line.split()
        f, base, nw, epi = int(p[1]), int(p[3], 16), int(p[5]), int(p[7])
        words = []
        while len(words) < nw:
            words += [int(x, 16) for x in lines[i].split()]
            i += 1
        group.append((f, base, nw, epi, words))
    flush()


if __name__ == "__main__":
    main()

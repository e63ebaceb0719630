#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail on any ARMv7-only instruction in ARMv6K images.

Usage: v6-check.py DUMP...   (armjit-test --arch=6 --dump-images=DUMP)

Every word of every image is disassembled by GNU objdump twice, as ARMv6K
(-m armv6k) and as ARMv7 (-m armv7): a word objdump calls UNDEFINED for
ARMv6K, or reads differently for the two, is an encoding ARMv6K lacks
(movw/movt, dmb/dsb/isb, udiv/sdiv, mls, ubfx/sbfx/bfi/bfc, ...). The
decoder is binutils', not armjit's own (armjit_decode.h). Words are
checked once each; known ARMv7-only words checked with them must be
caught, or the check itself is broken. KTAP on stdout, nonzero on a
finding.
"""
import os
import subprocess
import sys
import tempfile

OBJDUMP = os.environ.get("OBJDUMP", "arm-linux-gnueabihf-objdump")

# ARMv7-only words the check must catch (itself tested on every run)
SENTINELS = {
    0xe3012234: "movw r2, #0x1234",
    0xe3412234: "movt r2, #0x1234",
    0xf57ff05b: "dmb ish",
    0xe730f211: "udiv r0, r1, r2",
    0xe710f211: "sdiv r0, r1, r2",
    0xe0630291: "mls r3, r1, r2, r0",
    0xe7e70251: "ubfx r0, r1, #4, #8",
    0xe7c7021f: "bfc r0, #4, #4",
}


def read_dumps(paths):
    """The distinct words (hex text), images, words, literal pool words.

    An image's last "pool N" words are its literal pool: data, not code,
    left out.
    """
    words, images, total, pools = set(), 0, 0, 0
    for path in paths:
        with open(path) as f:
            code = 0
            for line in f:
                if line.startswith("J "):
                    continue
                if line.startswith("I "):
                    images += 1
                    p = line.split()
                    pool = int(p[p.index("pool") + 1]) if "pool" in p else 0
                    code = int(p[5]) - pool
                    pools += pool
                    continue
                ws = line.split()
                take = ws[:max(code, 0)]
                code -= len(ws)
                total += len(take)
                words.update(take)
    return {int(w, 16) for w in words}, images, total, pools


def where(paths, word):
    """The first JIT run and image holding word (for the report)."""
    hexw = "%08x" % word
    for path in paths:
        jit, img, idx = "?", -1, 0
        with open(path) as f:
            for line in f:
                if line.startswith("J "):
                    jit = line.split(" err ")[0]
                elif line.startswith("I "):
                    img, idx = int(line.split()[1]), 0
                else:
                    ws = line.split()
                    if hexw in ws:
                        return "%s: %s, image %d, word %d" % (
                            os.path.basename(path), jit, img,
                            idx + ws.index(hexw))
                    idx += len(ws)
    return "?"


def disasm(words, machine):
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(b"".join(w.to_bytes(4, "little") for w in words))
        f.flush()
        out = subprocess.run([OBJDUMP, "-D", "-b", "binary", "-m", machine,
                              f.name], capture_output=True, text=True,
                             check=True).stdout
    text = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].strip().endswith(":"):
            continue
        addr = int(parts[0].strip()[:-1], 16)
        text[addr // 4] = "\t".join(p.strip() for p in parts[2:])
    return [text.get(i, "<missing>") for i in range(len(words))]


def v7_only(t6, t7):
    return "UNDEFINED" in t6 or "<missing>" in t6 or t6 != t7


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    seen, images, total, pools = read_dumps(sys.argv[1:])
    words = sorted(seen) + sorted(SENTINELS)
    v6, v7 = disasm(words, "armv6k"), disasm(words, "armv7")
    found, caught = [], 0
    for i, w in enumerate(words):
        bad = v7_only(v6[i], v7[i])
        if i >= len(seen):
            caught += bad
            if not bad:
                print("# sentinel %08x (%s) not caught: armv6k says %r" %
                      (w, SENTINELS[w], v6[i]))
        elif bad:
            found.append("# %08x: ARMv7 %r, ARMv6K %r (%s)" %
                         (w, v7[i], v6[i],
                          where(sys.argv[1:], w) if len(found) < 10 else
                          "..."))
    print("TAP version 13\n1..2")
    print("# %d images, %d words, %d distinct (literal pool words left out: %d), from %s" %
          (images, total, len(seen), pools, " ".join(sys.argv[1:])))
    ok_self = caught == len(SENTINELS)
    print("%s 1 v6-check: the %d ARMv7-only sentinels are caught" %
          ("ok" if ok_self else "not ok", len(SENTINELS)))
    for line in found[:40]:
        print(line)
    if len(found) > 40:
        print("# ... %d in all" % len(found))
    ok_img = not found and images > 0
    print("%s 2 v6-check: no ARMv7-only encoding in %d ARMv6K images" %
          ("ok" if ok_img else "not ok", images))
    print("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0" %
          (ok_self + ok_img, 2 - ok_self - ok_img))
    return 0 if ok_self and ok_img else 1


if __name__ == "__main__":
    sys.exit(main())

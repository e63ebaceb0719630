#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two `make -C tests/host images` files (image-norm.py output).

Usage: image-compare.py BASE NEW

Every line must match. A word image-norm.py resolved (WORD=WHAT) matches
when the two words are equal (a constant that only looks like an
address) or what they point to is (the same helper, data or image at
another address). Prints the counts and the first differences; exit 1
if any.
"""
import sys


def same(a, b):
    if a == b:
        return True
    if "=" not in a or "=" not in b:
        return False
    wa, ta = a.split("=", 1)
    wb, tb = b.split("=", 1)
    return wa == wb or ta == tb


def main():
    base = open(sys.argv[1], errors="replace").read().split("\n")
    new = open(sys.argv[2], errors="replace").read().split("\n")
    for name, lines in ((sys.argv[1], base), (sys.argv[2], new)):
        jits = [x for x in lines if x.startswith("J ")]
        errs = [x for x in jits if " err 0 " not in x]
        print("%s: %d JIT runs (%d refused), %d images, %d words" % (
            name, len(jits), len(errs),
            sum(x.startswith("I ") for x in lines),
            sum(int(x.split()[3]) for x in lines if x.startswith("I "))))
    mode, jit, img, shown, bad = "", "", "", 0, set()
    if len(base) != len(new):
        print("different number of lines: %d vs %d" % (len(base), len(new)))
    for a, b in zip(base, new):
        if a.startswith("M "):
            mode = a
        elif a.startswith("J "):
            jit, img = a, ""
        elif a.startswith("I "):
            img, word = a, 0
        ta, tb = a.split(" "), b.split(" ")
        if a.startswith(("M ", "J ", "I ")) or len(ta) != len(tb):
            ok = a == b
        else:
            ok = all(same(x, y) for x, y in zip(ta, tb))
        if not ok:
            bad.add((mode, jit))
            if shown < 10:
                print("DIFF %s | %s | %s\n  - %s\n  + %s" % (mode, jit, img,
                                                            a, b))
            shown += 1
        if img and not a.startswith("I "):
            word += len(ta)
    if shown or len(base) != len(new):
        print("image-compare: DIFFERENT: %d lines in %d JIT runs" % (
            shown, len(bad)))
        sys.exit(1)
    print("image-compare: all identical")


if __name__ == "__main__":
    main()

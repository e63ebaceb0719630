#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two raw --dump-images files, each with the armjit-test that wrote it.

Usage: image-compare-raw.py BASE-BINARY BASE-DUMP NEW-BINARY NEW-DUMP

The quick way to compare one run (a15, a9, a15 --ret32) of two commits:
only images whose words differ are normalised (image-norm.py) and
compared as image-compare.py does. Prints the JIT runs and images
compared and how many differ.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


norm = load("norm", os.path.join(HERE, "image-norm.py"))
cmpm = load("cmpm", os.path.join(HERE, "image-compare.py"))


def groups(path):
    f = open(path, errors='replace')
    cur = None
    for line in f:
        if line.startswith('J '):
            if cur: yield cur
            cur = [line.rstrip('\n'), []]
        elif line.startswith('I '):
            p = line.split()
            cur[1].append([int(p[1]), int(p[3], 16), int(p[5]), int(p[7]), []])
        else:
            cur[1][-1][4].extend(line.split())
    if cur: yield cur

ra = norm.Resolver(sys.argv[1]); rb = norm.Resolver(sys.argv[3])
n = nimg = bad = 0
for (ja, ia), (jb, ib) in zip(groups(sys.argv[2]), groups(sys.argv[4])):
    n += 1
    if ja != jb or len(ia) != len(ib):
        bad += 1; print('DIFF', ja, '|', jb); continue
    seq = int(ja.split()[1])
    for x, y in zip(ia, ib):
        ra.images.append((x[1], x[1] + 4 * x[2], seq, x[0]))
        rb.images.append((y[1], y[1] + 4 * y[2], seq, y[0]))
    for x, y in zip(ia, ib):
        nimg += 1
        if (x[0], x[2], x[3]) != (y[0], y[2], y[3]):
            bad += 1; print('DIFF size', ja, x[:4], y[:4]); continue
        if x[4] == y[4]:
            continue
        wa = norm.norm_image(ra, x[1], [int(w, 16) for w in x[4]])
        wb = norm.norm_image(rb, y[1], [int(w, 16) for w in y[4]])
        if not all(cmpm.same(p, q) for p, q in zip(wa, wb)):
            bad += 1; print('DIFF words', ja, x[0])
    if len(ra.images) > 64:
        del ra.images[:32]; del rb.images[:32]
print('%s: %d JIT runs, %d images compared, %d differ' % (sys.argv[4], n, nimg, bad))
sys.exit(1 if bad else 0)

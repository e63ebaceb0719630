#!/usr/bin/env python3
"""bench/compile_profile.py [--title T] [--top N] LOG COUNTS: `make compile-profile-guest`'s report.

LOG is the guest's output of bench/compile-profile: the selftest runner's
"# cprofile snapshot=N prog=P mode=M loads=L" lines and /proc/kallsyms'
text symbols between "@@kallsyms" and "@@end". COUNTS.N are bench/ccount.c's
snapshots: "ADDR COUNT" per executed kernel address between two markers;
snapshot N of a cprofile line holds its LOADS loads.

Prints, per program: the instructions per load in each mode (interp, stock,
armjit) and the JIT's cost (the mode's minus the interpreter's), the same
per owner (armjit's module, the rest of the kernel), then the functions
that make most of the difference, per load, in every mode. With --ko
(armjit.ko as loaded, with its debug info), also armjit's source lines
(addr2line) that take most of its load-phase instructions.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys

MODES = ("interp", "stock", "armjit")


def parse_log(path):
    runs, syms, in_syms = [], [], False
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line == "@@kallsyms":
                in_syms = True
            elif line == "@@end":
                in_syms = False
            elif in_syms:
                m = re.match(r"([0-9a-f]+) [tTwW] (\S+)(?:\s+\[(\S+)\])?$", line)
                # $a/$d/$t: ARM mapping symbols of modules, not functions
                if m and not m.group(2).startswith("$"):
                    syms.append((int(m.group(1), 16), m.group(2), m.group(3) or ""))
            elif line.startswith("# cprofile "):
                runs.append(dict(kv.split("=", 1) for kv in line[11:].split()
                                 if "=" in kv))
    syms.sort()
    return runs, syms


def attribute(path, syms, starts):
    """{(name, module): count} of snapshot @path."""
    per = collections.Counter()
    with open(path) as f:
        for line in f:
            addr, n = line.split()
            addr = int(addr, 16)
            i = bisect.bisect_right(starts, addr) - 1
            key = (syms[i][1], syms[i][2]) if i >= 0 else ("?", "")
            per[key] += int(n)
    return per


def armjit_lines(ko, counts_path, syms, loads, top, out):
    """armjit's source lines by instructions per load (addr2line on @ko)."""
    text = {}
    dump = subprocess.run(["arm-linux-gnueabihf-objdump", "-t", ko], check=True,
                          capture_output=True, text=True).stdout
    for line in dump.splitlines():
        f = line.split()
        if len(f) >= 6 and f[3] == ".text" and "F" in f[2]:
            text[f[-1]] = int(f[0], 16)
    bases = {a - text[n] for a, n, m in syms if m == "armjit" and n in text}
    if len(bases) != 1:
        out.write("\n(armjit.ko doesn't match the guest's symbols: no lines)\n")
        return
    base = bases.pop()
    size = max(text.values()) + 0x10000
    cnt = collections.Counter()
    with open(counts_path) as f:
        for line in f:
            a, n = line.split()
            off = int(a, 16) - base
            if 0 <= off < size:
                cnt[off] += int(n)
    addrs = sorted(cnt)
    where = subprocess.run(["arm-linux-gnueabihf-addr2line", "-e", ko] +
                           ["%x" % a for a in addrs], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    per = collections.Counter()
    for a, w in zip(addrs, where):
        per[os.path.basename(re.sub(r" \(discriminator \d+\)", "", w))] += cnt[a]
    out.write("\narmjit's source lines (load, armjit; inlined code counts at "
              "the inlined line), instructions per load:\n\n")
    for k, v in per.most_common(top):
        out.write("%10s  %s\n" % (fmt(v / loads), k))


def fmt(n):
    return "%.0f" % n if abs(n) >= 10 else "%.1f" % n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--title")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--ko", help="armjit.ko as loaded in the guest")
    ap.add_argument("log")
    ap.add_argument("counts", help="prefix of the snapshots (COUNTS.N)")
    args = ap.parse_args()

    runs, syms = parse_log(args.log)
    if not syms:
        sys.exit("compile_profile.py: no kallsyms in %s" % args.log)
    starts = [s[0] for s in syms]
    prof = collections.defaultdict(dict)    # (prog, phase) -> mode -> per load
    snap = {}
    for r in runs:
        snap[(r["prog"], r.get("phase", "load"), r["mode"])] = \
            ("%s.%s" % (args.counts, r["snapshot"]), int(r["loads"]))
        loads = int(r["loads"])
        per = attribute("%s.%s" % (args.counts, r["snapshot"]), syms, starts)
        prof[(r["prog"], r.get("phase", "load"))][r["mode"]] = \
            {k: v / loads for k, v in per.items()}
    out = sys.stdout
    if args.title:
        out.write("# %s\n" % args.title)
    out.write("# guest instructions per load in 0xbf000000-0xffffffff; phase load: "
              "BPF_PROG_LOAD (verifier + JIT), free: close to the image's free; "
              "JIT's cost = mode - interp\n")
    for (prog, phase), modes in prof.items():
        have = [m for m in MODES if m in modes]
        tot = {m: sum(modes[m].values()) for m in have}
        own = {m: collections.Counter() for m in have}
        for m in have:
            for (name, mod), v in modes[m].items():
                own[m][mod or "kernel"] += v
        out.write("\n## %s, %s\n\n" % (prog, phase))
        out.write("| | %s |%s\n" % (" | ".join(have),
                  "".join(" %s-interp |" % m for m in have if m != "interp")))
        out.write("|---|%s\n" % ("---:|" * (2 * len(have) - 1)))
        rows = [("total", tot)] + [("in " + o, {m: own[m][o] for m in have})
                                   for o in sorted(set().union(*own.values()))]
        for label, d in rows:
            out.write("| %s | %s |%s\n" % (label,
                      " | ".join(fmt(d.get(m, 0)) for m in have),
                      "".join(" %s |" % fmt(d.get(m, 0) - d.get("interp", 0))
                              for m in have if m != "interp")))
        keys = set().union(*(modes[m].keys() for m in have))
        base = modes.get("interp", {})

        def cost(k):
            return max(modes[m].get(k, 0) - base.get(k, 0)
                       for m in have if m != "interp") if len(have) > 1 else 0
        top = sorted(keys, key=lambda k: -cost(k))[:args.top]
        out.write("\nTop %d functions by JIT cost (per load):\n\n" % len(top))
        out.write("| function | %s |%s\n" % (" | ".join(have),
                  "".join(" %s-interp |" % m for m in have if m != "interp")))
        out.write("|---|%s\n" % ("---:|" * (2 * len(have) - 1)))
        for k in top:
            name = k[0] + (" [%s]" % k[1] if k[1] else "")
            out.write("| %s | %s |%s\n" % (name,
                      " | ".join(fmt(modes[m].get(k, 0)) for m in have),
                      "".join(" %s |" % fmt(modes[m].get(k, 0) - base.get(k, 0))
                              for m in have if m != "interp")))
        if args.ko and phase == "load" and (prog, phase, "armjit") in snap:
            path, loads = snap[(prog, phase, "armjit")]
            armjit_lines(args.ko, path, syms, loads, args.top, out)


if __name__ == "__main__":
    main()

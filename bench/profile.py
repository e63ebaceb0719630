#!/usr/bin/env python3
"""bench/profile.py [--all] [--title T] [--runs N] LOG COUNTS: `make profile`'s report.

LOG is the guest's output of bench/profile: the selftest runner's
"# bench ..." lines and its --dump directory as hex, one file between
"@@file NAME" and "@@end" (PROG.MODE.jited, .xlated, .syms; syms: one
"ADDR LEN" line per JIT'ed function, in the order of the image). COUNTS is
bench/pcount.c's output: "ADDR COUNT" per executed instruction address.

Prints, per JIT'ed function, the instructions executed in it in total and
per run (runs: the sum of the "# bench" lines' repeat counts, 2 families x
REPEAT; xdp runs once a family), then its disassembly
(arm-linux-gnueabihf-objdump) with each instruction's count and offset in
the function: only executed instructions (default) or --all. Only the
JIT'ed code counts: helpers and the kernel's test-run loop are not in it.
"""
import argparse
import re
import subprocess
import sys
import tempfile

OBJDUMP = "arm-linux-gnueabihf-objdump"
# b/bl/blx with an immediate target, any condition
BRANCH = re.compile(r"^(bl?x?(?:eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?)"
                    r"\s+0x([0-9a-f]+)\b(.*)$")


def parse_log(path):
    files, bench, cur = {}, [], None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("@@file "):
                cur = line[7:].strip()
                files[cur] = bytearray()
            elif line.startswith("@@end"):
                cur = None
            elif cur is not None:
                files[cur] += bytes(int(x, 16) for x in line.split())
            elif line.startswith("# bench "):
                bench.append(dict(kv.split("=", 1) for kv in line[8:].split()
                                  if "=" in kv))
    return files, bench


def parse_counts(path):
    counts = {}
    with open(path) as f:
        for line in f:
            addr, n = line.split()
            counts[int(addr, 16)] = int(n)
    return counts


def disassemble(code, addr):
    """{address: instruction text} of @code, loaded at @addr."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
        tmp.write(code)
        tmp.flush()
        out = subprocess.run([OBJDUMP, "-D", "-b", "binary", "-marm", "-EL",
                              "--adjust-vma=%#x" % addr, tmp.name],
                             check=True, capture_output=True, text=True).stdout
    insns = {}
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$", line)
        if m:
            insns[int(m.group(1), 16)] = m.group(2).replace("\t", " ").rstrip()
    return insns


def branch_target(text, funcs, me):
    """Branch targets as offsets: "+0x34" in this function, "fN+0x34" in another."""
    m = BRANCH.match(text)
    if not m:
        return text
    target = int(m.group(2), 16)
    for i, (addr, ln) in enumerate(funcs):
        if addr <= target < addr + ln:
            where = "" if i == me else "f%d" % i
            return "%s %s+%#x%s" % (m.group(1), where, target - addr, m.group(3))
    return text


def report(name, files, counts, runs, show_all, out):
    syms = files[name + ".syms"].decode().split("\n")
    funcs = [(int(s.split()[0], 16), int(s.split()[1])) for s in syms if s.strip()]
    img = bytes(files.get(name + ".jited", b""))
    if sum(ln for _, ln in funcs) != len(img):
        sys.exit("profile.py: %s: function lengths %d != image %d bytes" %
                 (name, sum(ln for _, ln in funcs), len(img)))
    grand = sum(counts.get(a + i, 0) for a, ln in funcs for i in range(0, ln, 4))
    out.write("# %s: %d bytes, %d function(s), %d runs: %d instructions "
              "executed, %.1f per run\n" %
              (name, len(img), len(funcs), runs, grand, grand / runs))
    off = 0
    for fi, (addr, ln) in enumerate(funcs):
        insns = disassemble(img[off:off + ln], addr)
        cnt = [counts.get(addr + i, 0) for i in range(0, ln, 4)]
        total, hit = sum(cnt), sum(1 for c in cnt if c)
        out.write("\n## f%d at %#x (image offset %#x), %d bytes: %d executed, "
                  "%.1f per run; %d of %d instructions executed\n" %
                  (fi, addr, off, ln, total, total / runs, hit, len(cnt)))
        out.write("%10s %6s  %s\n" % ("count", "offset", "instruction"))
        skipped = 0
        for i, c in enumerate(cnt):
            if not c and not show_all:
                skipped += 1
                continue
            if skipped:
                out.write("%10s %6s  (%d not executed)\n" % ("", "...", skipped))
                skipped = 0
            text = insns.get(addr + 4 * i, "?")
            out.write("%10d %6x  %s\n" % (c, 4 * i, branch_target(text, funcs, fi)))
        if skipped:
            out.write("%10s %6s  (%d not executed)\n" % ("", "...", skipped))
        off += ln
    return grand


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--all", action="store_true",
                    help="every instruction, not only the executed ones")
    ap.add_argument("--title", help="first line of the report")
    ap.add_argument("--runs", type=int,
                    help="runs of the program (default: from the # bench lines)")
    ap.add_argument("log")
    ap.add_argument("counts")
    args = ap.parse_args()

    files, bench = parse_log(args.log)
    counts = parse_counts(args.counts)
    names = sorted(f[:-5] for f in files if f.endswith(".syms"))
    if not names:
        sys.exit("profile.py: no dumped image in %s (not JIT'ed?)" % args.log)
    out = sys.stdout
    if args.title:
        out.write("# %s\n" % args.title)
    for name in names:
        prog, mode = name.rsplit(".", 1)
        runs = args.runs
        if not runs:
            # a repeat of 0 runs once, as in the runner
            runs = sum(max(int(b.get("repeat", 0)), 1) for b in bench
                       if b.get("prog") == prog and b.get("mode") == mode)
        if not runs:
            sys.exit("profile.py: no '# bench prog=%s mode=%s' line in %s; "
                     "give --runs" % (prog, mode, args.log))
        report(name, files, counts, runs, args.all, out)


if __name__ == "__main__":
    main()

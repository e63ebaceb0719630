#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make fuzz-host N=... SEED=...: the host fuzzer (fuzz.c) on three CPUs at
once, each under qemu-arm-static: cortex-a15 (hardware divide) takes the
first third of the seeds, cortex-a9 (hwdiv=0: the kernel's division
routines) the second, arm1176 (ARMv6K code: armjit-test-v6 --arch=6) the
last (--cpus picks others, e.g. --cpus a15,a9 for the halves of before);
every program JIT'ed at opt 1 and opt 0 and compared
with the reference interpreter. Prints every difference the runs found
(with its reduced reproducer), the merged opcode coverage table, and the
rate: programs per hour of wall time and per hour of 2 CPUs' time (the
processes' own user + system time, what the figure would be on 2 cores
of their own), with the load average around the run. Exit 1 on any
difference or interpreter failure.

    fuzz-host.py [-n N] [--seed S] [--seconds T] [--out DIR] [--bin B]
                 [--bin-v6 B] [--qemu QEMU] [--cpus a15,a9,v6]

--seconds: each run stops after T seconds with the programs it did (the
summary says how many, and which seeds).
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# --cpus names: qemu CPU, armjit-test arguments, ARMv6K binary
CPUS = {
    "a15": ("cortex-a15", ["--hwdiv=1"], False),
    "a9": ("cortex-a9", ["--hwdiv=0"], False),
    "v6": ("arm1176", ["--arch=6", "--hwdiv=0"], True),
}

# coverage columns in the table's order, and the rows each group shows
COLS = ["K=0", "K:imm8m", "K:-imm8m", "K:wide", "X", "X:d=s",
        "16", "32", "64", "fp", "ptr", "-"]


def group_cols(row):
    """The operand classes that make sense for a row (a 0 shows a gap)."""
    op = row.split()
    if row.startswith(("ldx", "st", "atomic")):
        return ["fp", "ptr"]
    if op[0] in ("alu32", "alu64") and op[1] in ("to_be", "to_le"):
        return ["16", "32", "64"]
    if op[0] in ("alu32", "alu64") and op[1] == "neg":
        return ["-"]
    if op[0] in ("alu32", "alu64") and op[1] in ("lsh", "rsh", "arsh"):
        return ["K=0", "K:imm8m", "X", "X:d=s"]	# amounts < 32 or 64
    if op[0] in ("alu32", "alu64") and op[1] in ("div", "mod"):
        return COLS[1:6]			# K=0: the verifier refuses it
    if op[0] in ("alu32", "alu64") or (op[0] in ("jmp", "jmp32") and
                                       op[1] not in ("ja", "exit")):
        return COLS[:6]
    return ["-"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=0)
    ap.add_argument("--out", default=os.path.join(HERE, "build"))
    ap.add_argument("--bin", default=os.path.join(HERE, "armjit-test"))
    ap.add_argument("--bin-v6", default=os.path.join(HERE, "armjit-test-v6"))
    ap.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-arm-static"))
    ap.add_argument("--cpus", default="a15,a9,v6")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    names = a.cpus.split(",")
    if not names or any(c not in CPUS for c in names):
        ap.error("--cpus: a comma-separated list of %s" % ", ".join(CPUS))
    # seeds in order, the first CPUs take one more if N doesn't divide
    runs, seed = [], a.seed
    for i, name in enumerate(names):
        n = a.n // len(names) + (i < a.n % len(names))
        runs.append((name, seed, n))
        seed += n
    load0 = os.getloadavg()
    t0 = time.monotonic()
    procs = []
    for name, seed, n in runs:
        if not n:
            continue
        cpu, args, v6 = CPUS[name]
        out = os.path.join(a.out, "fuzz-%s.out" % cpu)
        f = open(out, "w")
        cmd = [a.qemu, "-cpu", cpu, a.bin_v6 if v6 else a.bin] + args + [
            "fuzz", "--seed", str(seed), "-n", str(n)]
        if a.seconds:
            cmd += ["--seconds", str(a.seconds)]
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT)
        procs.append((p, f, out, cpu, seed, n))
    cpu_s = 0.0
    status = 0
    for p, f, out, cpu, seed, n in procs:
        _, st, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(st)
        f.close()
        cpu_s += ru.ru_utime + ru.ru_stime
    wall = time.monotonic() - t0
    load1 = os.getloadavg()

    cov = {}
    tot = {}
    for p, f, out, cpu, seed, n in procs:
        summary = None
        for line in open(out, errors="replace"):
            line = line.rstrip("\n")
            if line.startswith("@cov "):
                row, col, cnt = line[5:].rsplit("|", 2)
                cov.setdefault(row, {})
                cov[row][col] = cov[row].get(col, 0) + int(cnt)
            elif line.startswith("@fuzz "):
                summary = dict(kv.split("=", 1) for kv in line[6:].split())
            elif line.startswith("#"):
                print("[%s] %s" % (cpu, line))
        if summary is None:
            print("fuzz-host: %s: no summary (exit %d), see %s" %
                  (cpu, p.returncode, out))
            status = 1
            continue
        if p.returncode:
            status = 1
        print("fuzz-host: %s arch=%s hwdiv=%s seeds %d..%d: %s programs, %s differences, "
              "%s interpreter failures, %s with bpf-to-bpf calls, %s ended by a "
              "tail call, %s blinded, %s with zext inserted, %s ret32; mean ARM "
              "insns per image opt 0 / opt 1: %.1f / %.1f; %s s" %
              (cpu, summary.get("arch", "?"), summary["hwdiv"], seed, seed + int(summary["programs"]) - 1,
               summary["programs"],
               summary["differences"], summary["ref_errors"],
               summary["with_calls"], summary["tail_taken"], summary["blinded"],
               summary["zext"], summary["ret32"],
               int(summary["words0"]) / max(1, int(summary["jits0"])),
               int(summary["words1"]) / max(1, int(summary["jits1"])),
               summary["seconds"]))
        for k, v in summary.items():
            try:
                tot[k] = tot.get(k, 0) + int(v)
            except ValueError:
                pass

    print("\n# opcode coverage: insns the interpreter ran at least once, "
          "summed over programs, by operand class")
    print("# (K: immediate 0, ARM imm8m, its negation/complement imm8m, any "
          "other; X: register, X:d=s the same on both sides; 16/32/64: swap "
          "width; fp/ptr: memory at R10 or another pointer)")
    width = max([len(r) for r in cov] + [10])
    print("%-*s %s" % (width, "row", " ".join("%9s" % c for c in COLS)))
    gaps = []
    for row in sorted(cov):
        want = group_cols(row)
        cells = []
        for c in COLS:
            v = cov[row].get(c, 0)
            if c in want or v:
                cells.append("%9d" % v)
                if not v:
                    gaps.append("%s %s" % (row, c))
            else:
                cells.append("%9s" % ".")
        print("%-*s %s" % (width, row, " ".join(cells)))
    print("# never run: %s" % (", ".join(gaps) if gaps else "none"))

    progs = tot.get("programs", 0)
    print("\nfuzz-host: %d programs (each at opt 1 and opt 0: %d JITs), "
          "%d differences, %d interpreter failures; %d with bpf-to-bpf calls, "
          "%d ended by a tail call, %d blinded" %
          (progs, tot.get("jits0", 0) + tot.get("jits1", 0),
           tot.get("differences", 0), tot.get("ref_errors", 0),
           tot.get("with_calls", 0), tot.get("tail_taken", 0),
           tot.get("blinded", 0)))
    print("fuzz-host: %.0f s wall, %.0f s CPU (user+sys of the qemu-arm "
          "processes); %.0f programs/hour wall, %.0f programs/hour on 2 CPUs "
          "of their own; load average %.2f before, %.2f after (%d CPUs)" %
          (wall, cpu_s, progs * 3600 / max(wall, 1e-9),
           progs * 3600 / max(cpu_s / 2, 1e-9), load0[0], load1[0],
           os.cpu_count()))
    if tot.get("differences", 0) or tot.get("ref_errors", 0):
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

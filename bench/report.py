#!/usr/bin/env python3
"""bench/report.py [--kernel K] results-K.txt: the table of `make bench`.

Reads the guest's lines (bench/guest.sh): the selftest runner's
"# bench ..." lines, "tbench ..." lines of the test_bpf tests and the
"ibench ..." lines of the inlined helpers (a section of their own). Prints a
table, writes results-K.md next to the input, and plots instructions per run
(results-K.png, gnuplot). Under icount a guest ns is one guest instruction.
"""
import argparse
import math
import os
import re
import subprocess
import sys

MODES = ("interp", "stock", "armjit")
HERE = os.path.dirname(os.path.abspath(__file__))


def kv(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def read_tests(path=None):
    """bench/tests.txt (or PATH): [{suite, group, label, name}]"""
    tests = []
    with open(path or os.path.join(HERE, "tests.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            suite, group, label, name = line.split("|", 3)
            tests.append(dict(suite=suite, group=group, label=label, name=name))
    return tests


class Row:
    """One program (and packet family) with a figure per mode."""

    def __init__(self, kind, label, desc):
        self.kind, self.label, self.desc = kind, label, desc
        self.group = None   # test_bpf group (tests.txt)
        self.ns = {}        # mode -> instructions per run (None: n/a)
        self.jited = {}     # mode -> bool
        self.len = {}       # mode -> jited bytes
        self.load = {}      # mode -> instructions of one BPF_PROG_LOAD
        self.fallback = None  # armjit handed it to the stock JIT / failed
        self.img = {}       # mode -> instructions a run in the JIT'ed code
        self.img_runs = {}  # mode -> the runs they were counted over


def parse(path):
    rows, order = {}, []
    stats = None
    tests = read_tests()
    failures = []

    def row(key, kind, label, desc):
        if key not in rows:
            rows[key] = Row(kind, label, desc)
            order.append(key)
        return rows[key]

    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# armjit stats:"):
                stats = kv(line)
            elif line.startswith("# bench "):
                d = kv(line)
                if d.get("hi32") != "0":
                    continue
                key = ("sel", d["prog"], d["fam"])
                r = row(key, "selftest", "%s/%s" % (d["prog"], d["fam"]),
                        "%s, pkt_%s, repeat %s" % (d["prog"], d["fam"], d["repeat"]))
                m = d["mode"]
                r.jited[m] = d["jited"] == "1"
                r.ns[m] = int(d["ns"])
                r.len[m] = int(d["len"])
                if "load_ns" in d and int(d["load_ns"]) >= 0:
                    r.load[m] = int(d["load_ns"])
                if m == "armjit" and stats is not None:
                    r.fallback = (stats.get("stock", "+0") != "+0" or
                                  stats.get("failed", "+0") != "+0")
                if m == "stock" and not r.jited[m]:
                    r.ns[m] = None      # the stock JIT can't JIT it
            elif line.startswith("tbench "):
                d = kv(line)
                t = tests[int(d["idx"]) - 1]
                key = ("tb", t["label"])
                r = row(key, "test_bpf", t["label"], "%s: %s" % (t["group"], t["name"]))
                r.group = t["group"]
                m = d["mode"]
                r.jited[m] = d["jited"] == "1"
                if d["res"] == "PASS":
                    r.ns[m] = sum(int(x) for x in d["ns"].split(","))
                else:
                    r.ns[m] = None
                    if d["res"] != "NOLOAD" or m != "stock":
                        failures.append("%s %s: %s" % (t["label"], m, d["res"]))
                if m == "stock" and not r.jited[m]:
                    r.ns[m] = None
                if m == "armjit":
                    r.fallback = d.get("stock", "+0") != "+0" or \
                        d.get("failed", "+0") != "+0" or not r.jited[m]
            elif line.startswith("simgrun "):
                d = kv(line)
                if d.get("hi32") == "0" and ("sel", d["prog"], d["fam"]) in rows:
                    r = rows[("sel", d["prog"], d["fam"])]
                    r.img[d["mode"]] = float(d["per_run"])
                    r.img_runs[d["mode"]] = int(d["runs"])
            elif line.startswith("timgrun "):
                d = kv(line)
                t = tests[int(d["idx"]) - 1]
                r = row(("tb", t["label"]), "test_bpf", t["label"],
                        "%s: %s" % (t["group"], t["name"]))
                r.img[d["mode"]] = float(d["per_run"])
                r.img_runs[d["mode"]] = int(d["runs"])
            elif line.startswith("not ok") or line.startswith("# FAIL"):
                failures.append("selftests: " + line)
    return [rows[k] for k in order], failures


IMODES = ("interp", "stock", "armjit-noinline", "armjit")


def fields_of(path, prefix):
    """The key=value fields of each line of PATH that starts with PREFIX."""
    with open(path) as f:
        return [kv(line) for line in f if line.startswith(prefix)]


def inline_bench(path):
    """The ibench lines (inline_helpers --bench): mode -> its fields."""
    return {d["mode"]: d for d in fields_of(path, "ibench ")}


def inline_table(ib):
    """Instructions per run of eight bpf_get_smp_processor_id calls per
    mode, and what emitting them in place saves."""
    head = ["mode", "instructions per run", "jited B", "xlated insns",
            "calls in place", "result", "armjit fallback"]
    body, fails = [], []
    ns = {}
    for m in IMODES:
        d = ib.get(m)
        if d is None:
            continue
        ok = d.get("res") == "PASS"
        if ok:
            ns[m] = int(d["ns"])
        else:
            fails.append("inlined helpers %s: %s (load error %s)" % (
                m, d.get("res"), d.get("load")))
        jited = d.get("jited") == "1"
        fallback = "-"
        if m.startswith("armjit"):
            fallback = "yes" if d.get("stock", "+0") != "+0" or \
                d.get("failed", "+0") != "+0" or not jited else "no"
        body.append([m, fmt(ns.get(m)), d["len"] if jited else "n/a",
                     d.get("xlated", "?"), d.get("inlined", "?").lstrip("+"),
                     d.get("res", "?"), fallback])
    lines = []
    a, n = ns.get("armjit"), ns.get("armjit-noinline")
    sites = int(ib.get("armjit", {}).get("sites", "8"))
    if a is not None and n:
        lines.append("armjit/armjit-noinline %.3f: %d instructions a run "
                     "fewer, %.1f a call site (%d sites)" % (
                         a / n, n - a, (n - a) / sites, sites))
    for other in ("stock", "interp"):
        if a is not None and ns.get(other):
            lines.append("armjit/%s %.3f" % (other, a / ns[other]))
    return head, body, lines, fails


def ratio(a, b):
    return a / b if a is not None and b else None


def geomean(xs):
    xs = [x for x in xs if x]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs)), len(xs)


def fmt(x, nd=0):
    if x is None:
        return "n/a"
    return ("%." + str(nd) + "f") % x if nd else str(x)


def sig3(x):
    """Instructions per run; 3 significant digits from 10000 up (tests with
    few runs vary by a few instructions from boot to boot)."""
    if x is None or x < 10000:
        return x
    e = 10 ** (len(str(x)) - 3)
    return (x + e // 2) // e * e


def mega(x):
    """Load cost in millions of instructions, 2 decimals (a load is timed
    with the 16 ns arch timer: +-16 from boot to boot)."""
    return None if x is None else "%.2f" % (x / 1e6)


def table(rows):
    head = ["program", "interp", "stock", "armjit", "armjit/stock",
            "armjit/interp", "stock B", "armjit B",
            "load interp M", "load stock M", "load armjit M", "armjit fallback"]
    out = []
    for r in rows:
        a, s, i = r.ns.get("armjit"), r.ns.get("stock"), r.ns.get("interp")
        out.append([
            r.label, fmt(sig3(i)), fmt(sig3(s)), fmt(sig3(a)),
            fmt(ratio(a, s), 3) if s is not None else "n/a",
            fmt(ratio(a, i), 3),
            fmt(r.len.get("stock")) if r.jited.get("stock") and r.len else "n/a",
            fmt(r.len.get("armjit")) if r.jited.get("armjit") and r.len else "n/a",
            mega(r.load.get("interp")) or "n/a",
            mega(r.load.get("stock")) or "n/a",
            mega(r.load.get("armjit")) or "n/a",
            {None: "?", True: "yes", False: "no"}[r.fallback],
        ])
    return head, out


def measured(rows):
    """The programs the targets and means are about (not the floor)."""
    return [r for r in rows if r.group != "floor"]


def floor_lines(rows):
    """The floor row and the test_bpf ratios net of it."""
    fl = [r for r in rows if r.group == "floor"]
    if not fl or any(fl[0].ns.get(m) is None for m in ("stock", "armjit")):
        return []
    f = fl[0]
    out = ["%s (%s): interp %s, stock %s, armjit %s instructions a run: "
           "test_bpf's loop around the program plus each JIT's prologue "
           "and epilogue, in every test_bpf figure of that mode" % (
               f.label, f.desc, fmt(f.ns.get("interp")), fmt(f.ns["stock"]),
               fmt(f.ns["armjit"]))]
    net = []
    for r in measured(rows):
        if r.kind != "test_bpf" or r.ns.get("stock") is None or \
                r.ns.get("armjit") is None:
            continue
        a, b = r.ns["armjit"] - f.ns["armjit"], r.ns["stock"] - f.ns["stock"]
        if b > 0:
            net.append((r.label, max(a, 0) / b))
    if net:
        g = geomean(x for _, x in net if x > 0)
        out.append("net of it, armjit/stock: " +
                   ", ".join("%s %.3f" % x for x in net) +
                   "; geometric mean %s (n=%d)" % (fmt(g and g[0], 3), len(net)))
    return out


def summary(rows):
    rows = measured(rows)
    lines = []
    for title, sel in (("selftest programs", "selftest"),
                       ("test_bpf tests", "test_bpf"), ("all", None)):
        rs = [r for r in rows if sel is None or r.kind == sel]
        js = [r for r in rs if r.ns.get("stock") is not None]
        g = lambda rr, a, b: geomean(ratio(r.ns.get(a), r.ns.get(b)) for r in rr)
        gs, gi = g(js, "armjit", "stock"), g(rs, "armjit", "interp")
        gsi, gai = g(js, "stock", "interp"), g(js, "armjit", "interp")
        f = lambda x: fmt(x and x[0], 3)
        lines.append("%s: armjit/stock %s (n=%d); armjit/interp %s (n=%d); "
                     "where stock JITs: stock/interp %s, armjit/interp %s" % (
                         title, f(gs), gs[1] if gs else 0, f(gi),
                         gi[1] if gi else 0, f(gsi), f(gai)))
    return lines


def targets(rows):
    """Issue 8's goals, each met or missed and by how much."""
    rows = measured(rows)
    js = [r for r in rows if r.ns.get("stock") is not None and
          r.ns.get("armjit") is not None]
    out = []

    def each(title, rr, a, b, limit, better="<="):
        miss = []
        for r in rr:
            x = ratio(r.ns.get(a), r.ns.get(b))
            if x is not None and x > limit:
                miss.append("%s %.3f" % (r.label, x))
        g = geomean(ratio(r.ns.get(a), r.ns.get(b)) for r in rr)
        out.append("%s %s %.2f on each program: %s (%d of %d miss%s); "
                   "geometric mean %s" % (
                       title, better, limit,
                       "met" if not miss else "missed", len(miss), len(rr),
                       ": " + ", ".join(miss) if miss else "",
                       fmt(g and g[0], 3)))

    each("armjit/stock instructions", js, "armjit", "stock", 0.7)
    each("armjit/interp instructions", [r for r in rows if r.ns.get("interp")
                                        and r.ns.get("armjit")],
         "armjit", "interp", 0.25)
    lens = [(r.len["armjit"], r.len["stock"]) for r in rows
            if r.label.endswith("/v4") and r.jited.get("armjit") and
            r.jited.get("stock") and r.len.get("stock")]
    g = geomean(a / b for a, b in lens)
    out.append("armjit/stock jited_len, geometric mean <= 0.80: %s (%s, n=%d)" % (
        "met" if g and g[0] <= 0.8 else "missed", fmt(g and g[0], 3),
        len(lens)))
    fb = [r.label for r in rows if r.fallback]
    out.append("no program falls back: %s" % (
        "met" if not fb else "missed: " + ", ".join(fb)))
    return out


def image_rows(rows):
    """Programs both JITs run, with their images' instructions."""
    return [r for r in measured(rows) if
            r.ns.get("stock") is not None and r.ns.get("armjit") is not None
            and r.img.get("stock") and "armjit" in r.img]


def image_table(rows):
    """Instructions a run in the JIT'ed code alone (bench/imgcount.py)
    beside the whole run's."""
    head = ["program", "stock image", "armjit image", "armjit/stock image",
            "armjit/stock whole run", "whole run outside the image (stock)"]
    body = []
    for r in image_rows(rows):
        body.append([r.label, "%.1f" % r.img["stock"],
                     "%.1f" % r.img["armjit"],
                     "%.3f" % (r.img["armjit"] / r.img["stock"]),
                     "%.3f" % (r.ns["armjit"] / r.ns["stock"]),
                     "%.0f%%" % (100 - 100 * r.img["stock"] / r.ns["stock"])])
    return head, body


# The whole run is timed by the guest's clock: its coarsest tick on the
# boards the bench boots (the Pi's 1 MHz system timer), per run measured.
CLOCK_TICK = 1000


def image_checks(rows):
    """bench/imgcount.py's figures against the whole runs': a JIT'ed
    program has instructions in its image, never more than the run's."""
    out = []
    for r in measured(rows):
        for m in ("stock", "armjit"):
            if not r.jited.get(m) or r.ns.get(m) is None:
                continue
            x = r.img.get(m)
            if not x:
                out.append("image: %s %s: no instructions counted in its "
                           "image" % (r.label, m))
            elif x > r.ns[m] + CLOCK_TICK / r.img_runs.get(m, 1):
                out.append("image: %s %s: %.1f in the image, above the "
                           "whole run's %d" % (r.label, m, x, r.ns[m]))
    return out


def image_target(rows):
    rr = image_rows(rows)
    if not rr:
        return []
    xs = [(r.label, r.img["armjit"] / r.img["stock"]) for r in rr]
    miss = ["%s %.3f" % x for x in xs if x[1] > 0.7]
    g = geomean(x for _, x in xs)
    return ["armjit/stock instructions in the JIT'ed code <= 0.70 on each "
            "program: %s (%d of %d miss%s); geometric mean %s" % (
                "met" if not miss else "missed", len(miss), len(xs),
                ": " + ", ".join(miss) if miss else "", fmt(g and g[0], 3))]


def text_table(head, body):
    w = [max(len(x) for x in col) for col in zip(head, *body)]
    line = lambda cells: "  ".join(c.rjust(n) if i else c.ljust(n)
                                   for i, (c, n) in enumerate(zip(cells, w)))
    return "\n".join([line(head), line(["-" * n for n in w])] +
                     [line(b) for b in body])


def md_table(head, body):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(b) + " |" for b in body]
    return "\n".join(out)


def gnuplot(script, dat):
    """Run gnuplot on SCRIPT (a failure only warns), then remove DAT."""
    try:
        subprocess.run(["gnuplot"], input=script.encode(), check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("report: gnuplot failed: %s" % e, file=sys.stderr)
    finally:
        os.unlink(dat)


def plot(rows, png, kernel):
    dat = png[:-4] + ".dat"
    with open(dat, "w") as f:
        f.write("# program interp stock armjit (guest instructions per run; ? = n/a)\n")
        for r in rows:
            f.write("%s %s\n" % (r.label, " ".join(
                str(r.ns[m]) if r.ns.get(m) else "?" for m in MODES)))
    script = """
set terminal pngcairo size 1400,700 font ",10"
set output '%s'
set termoption noenhanced
set title "armjit bench, Debian %s armmp, QEMU -icount shift=0 (guest instructions per run, log scale)"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [10:*]
set ylabel "instructions per run"
set xtics rotate by -45 scale 0
set grid ytics
set key top left
plot '%s' using 2:xtic(1) title 'interp', '' using 3 title 'stock JIT', '' using 4 title 'armjit'
""" % (png, kernel, dat)
    gnuplot(script, dat)


def gen_loads(path):
    """The generated programs' loads ("# bench-gen"): {len: {mode: d}}."""
    gen = {}
    for d in fields_of(path, "# bench-gen "):
        gen.setdefault(int(d["len"]), {})[d["mode"]] = d
    return gen


def gen_table(gen):
    """Compile cost by program length: table rows, target lines, failures."""
    head = ["insns", "load interp M", "stock JIT M", "armjit JIT M",
            "armjit/stock JIT", "armjit/stock load", "stock JIT/insn",
            "armjit JIT/insn", "stock B", "armjit B"]
    body, lines, fails = [], [], []
    pts = []
    for n in sorted(gen):
        g = gen[n]
        if "interp" not in g:
            continue
        li = int(g["interp"]["load_ns"])
        cost = {m: int(g[m]["load_ns"]) - li for m in ("stock", "armjit")
                if m in g and g[m]["jited"] == "1"}
        for m in ("stock", "armjit"):
            if m in g and g[m]["jited"] != "1":
                fails.append("generated %d insns: %s didn't JIT it" % (n, m))
        row = [str(n), mega(li)]
        row += [mega(cost[m]) if m in cost else "n/a" for m in ("stock", "armjit")]
        if "stock" in cost and "armjit" in cost and cost["stock"] > 0:
            row.append("%.2f" % (cost["armjit"] / cost["stock"]))
            row.append("%.3f" % (int(g["armjit"]["load_ns"]) /
                                 int(g["stock"]["load_ns"])))
            pts.append((n, cost["stock"], cost["armjit"],
                        int(g["armjit"]["load_ns"]) / int(g["stock"]["load_ns"])))
        else:
            row += ["n/a", "n/a"]
        row += ["%d" % (cost[m] / n) if m in cost else "n/a"
                for m in ("stock", "armjit")]
        row += [g[m]["jited_len"] if m in g else "n/a" for m in ("stock", "armjit")]
        body.append(row)
    if pts:
        worst = max(pts, key=lambda p: p[2] / p[1])
        lines.append("armjit's JIT time <= 2x the stock JIT's on every length: %s "
                     "(highest %.2fx, %d insns)" % (
                         "met" if worst[2] / worst[1] <= 2 else "NOT met",
                         worst[2] / worst[1], worst[0]))
        wl = max(pts, key=lambda p: p[3])
        lines.append("whole load <= 1.1x stock's on every length: %s "
                     "(highest %.3fx, %d insns)" % (
                         "met" if wl[3] <= 1.1 else "NOT met", wl[3], wl[0]))
        a, b = pts[0], pts[-1]
        if b[0] > a[0]:
            grow = (b[2] / b[0]) / (a[2] / a[0])
            nlogn = math.log(b[0]) / math.log(a[0])
            lines.append("growth: armjit's JIT cost per insn from %d to %d insns "
                         "x%.2f (stock's x%.2f); n log n allows x%.2f: %s" % (
                             a[0], b[0], grow, (b[1] / b[0]) / (a[1] / a[0]),
                             nlogn, "met" if grow <= nlogn else "NOT met"))
    return head, body, lines, fails, pts


def gen_plot(pts, png, kernel):
    """JIT cost against program length, stock and armjit, log-log."""
    dat = png[:-4] + ".dat"
    with open(dat, "w") as f:
        f.write("# insns stock armjit (JIT cost: load minus interpreted load)\n")
        for n, st, aj, _ in pts:
            f.write("%d %d %d\n" % (n, st, aj))
    script = """
set terminal pngcairo size 900,600 font ",10"
set output '%s'
set title "compile cost by program length, Debian %s (generated straight-line programs, guest instructions)"
set logscale xy
set xlabel "BPF insns"
set ylabel "JIT cost (load minus interpreted load)"
set grid
set key top left
plot '%s' using 1:2 with linespoints title 'stock JIT', '' using 1:3 with linespoints title 'armjit'
""" % (png, kernel, dat)
    gnuplot(script, dat)


def print_section(title, head, body, lines, tag):
    """A table on stdout under TITLE, then its LINES as "TAG: ..."."""
    if not body:
        return
    print()
    print(title)
    print(text_table(head, body))
    for t in lines:
        print("%s: %s" % (tag, t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=os.environ.get("KERNEL", "6.1"))
    ap.add_argument("--runtime", type=int)
    ap.add_argument("results")
    a = ap.parse_args()
    rows, failures = parse(a.results)
    if any(r.img for r in rows):
        failures += image_checks(rows)
    base = a.results[:-4] if a.results.endswith(".txt") else a.results
    head, body = table(rows)
    summ = summary(rows)
    kline = ""
    with open(a.results) as f:
        for line in f:
            if line.startswith("bench: kernel"):
                kline = line.strip()[len("bench: "):]

    print(text_table(head, body))
    print()
    for s in summ:
        print(s)
    for t in targets(rows) + image_target(rows):
        print("target: " + t)
    ghead, gbody = image_table(rows)
    if gbody:
        print()
        print("the JIT'ed code alone (instructions a run in the images):")
        print(text_table(ghead, gbody))
    for t in floor_lines(rows):
        print("floor: " + t)
    ib = inline_bench(a.results)
    ihead, ibody, ilines, ifails = inline_table(ib)
    failures += ifails
    print_section("inlined helpers (eight bpf_get_smp_processor_id calls):",
                  ihead, ibody, ilines, "inlined")
    gen = gen_loads(a.results)
    ghd, gbd, glines, gfails, gpts = gen_table(gen)
    failures += gfails
    print_section("compile cost by program length (generated programs):",
                  ghd, gbd, glines, "compile")
    for x in failures:
        print("FAILED: " + x)
    if a.runtime is not None:
        print("run time %ds" % a.runtime)

    sel = [r for r in rows if r.kind == "selftest"]
    md = ["# armjit benchmark, KERNEL=%s" % a.kernel, "",
          "Generated by `make bench` (bench/run, bench/report.py) from "
          "`%s` (%s). One boot of QEMU with `-icount shift=0,sleep=off`: "
          "a guest ns is one guest instruction, so every figure is a "
          "count of guest instructions. Two runs agree except for xdp "
          "(a few instructions, see below) and +-1 in a few averages." % (
              os.path.basename(a.results), kline or "kernel ?"), "",
          "Columns: `interp`, `stock`, `armjit` are instructions per run "
          "(selftests: BPF_PROG_TEST_RUN's average over the repeat count, "
          "loaded without BPF_F_TEST_RND_HI32; test_bpf: the test's "
          "ns/run, summed over its sub-tests); `n/a` where the stock JIT "
          "can't JIT the program (6.1: bpf-to-bpf calls run interpreted, "
          "ALU64 DIV/MOD and atomics fail to load). `stock B`/`armjit B`: "
          "jited_prog_len (selftests only: test_bpf doesn't report it). "
          "`load * M`: millions of instructions of a BPF_PROG_LOAD of the "
          "relocated program, the fewest of 5 (`LOAD_REPS`; one load "
          "moves by some 0.04 M between boots) (verifier + JIT; the JIT's compile cost is load minus "
          "load interp; selftests only). `armjit fallback`: armjit handed "
          "the program (or one of its functions) to the stock JIT "
          "(/sys/kernel/armjit/stats `stock`/`failed` changed), so it ran "
          "as the stock kernel would. xdp runs once a call by design (each "
          "run moves the packet's head): the runner calls it 64 times "
          "(`--samples`, a fresh packet each) and takes the mean; each "
          "duration is quantized to 16 instructions (62.5 MHz arch timer), "
          "so the mean is good to a few instructions. Figures of 10000 and more are "
          "rounded to 3 significant digits (test_bpf tests with few runs "
          "vary by 1-2 instructions between boots); the exact figures are "
          "in the .txt file. Ratios and means use the exact figures.", "",
          md_table(head, body), "", "## Geometric means", ""]
    md += ["- " + s for s in summ]
    md += ["", "Ratios below 1: armjit runs fewer instructions.",
           "armjit/stock covers only programs the stock JIT JITs."]
    md += ["", "## Targets (issue 8)", ""] + ["- " + t for t in targets(rows)]
    md += ["- " + t for t in image_target(rows)]
    md += ["", "A test_bpf figure includes test_bpf's own loop around each "
           "run (and a selftest figure BPF_PROG_TEST_RUN's, ~174 "
           "instructions for an empty program on 6.1): that part is the "
           "same in every mode, so on short programs it bounds the ratios "
           "from below."]
    if gbody:
        md += ["", "## The JIT'ed code alone", "",
               "Instructions a run executed inside the JIT'ed images "
               "(the program, its functions and tail-call targets), "
               "counted exactly by the TCG plugin bench/ccount.c in the "
               "module area of the same boot, less the modules' own code "
               "(test_bpf's loop, armjit's compiler; bench/imgcount.py), "
               "divided by the runs (test_bpf's run count; the selftest "
               "runner's repeat times samples). A whole-run figure above "
               "also holds the loop around the program and the kernel "
               "functions it calls (helpers, the `LD_NLATTR_NEST` lookup, "
               "BPF_PROG_TEST_RUN), which no JIT emits: where they "
               "dominate, the whole-run ratio says little about the JIT. "
               "The last column is that share, in the stock JIT's run. "
               "xdp's figure here is exact (no timer ticks).", "",
               md_table(ghead, gbody), ""]
    if ibody:
        md += ["", "## Inlined helpers", "",
               "Eight `bpf_get_smp_processor_id` calls in a straight line, "
               "each between a `bpf_fastcall` spill and fill of r1, summed "
               "(`tests/guest/inline_helpers --bench`, a sched_cls program "
               "run by BPF_PROG_TEST_RUN %s times): instructions per run "
               "in each mode. `armjit` emits the helper in place (`mrc` "
               "of TPIDRURO, the current task, and one `ldr` of its CPU "
               "number); "
               "where the verifier asks (6.10 and later) armjit's yes also "
               "drops the spill/fill pairs (`xlated insns`). "
               "`armjit-noinline` is the same JIT with debugfs "
               "`armjit/no_inline` = 1: it answers no and calls the "
               "helper. `calls in place`: armjit's `inlined` counter over "
               "the load; `armjit fallback`: armjit handed it to the stock JIT or "
               "failed." % ib.get("armjit", ib.get("interp", {})).get(
                   "repeat", "?"), "",
               md_table(ihead, ibody), ""]
        md += ["- " + t for t in ilines]
    fls = floor_lines(rows)
    if fls:
        md += ["", "## Floor", ""] + ["- " + t for t in fls]
    if failures:
        md += ["", "## Failures", ""] + ["- " + x for x in failures]
    jit_cost = []
    for r in sel:
        if r.label.endswith("/v4") and "interp" in r.load:
            c = ["%s %s M" % (m, mega(r.load[m] - r.load["interp"]))
                 for m in ("stock", "armjit") if m in r.load and
                 r.jited.get(m)]
            if c and r.jited.get("stock") and r.jited.get("armjit") and \
                    "stock" in r.load and "armjit" in r.load:
                js = r.load["stock"] - r.load["interp"]
                if js > 0:
                    c.append("JIT %.2fx stock's, whole load %.3fx" % (
                        (r.load["armjit"] - r.load["interp"]) / js,
                        r.load["armjit"] / r.load["stock"]))
            if c:
                jit_cost.append("- %s: %s" % (r.label[:-3], ", ".join(c)))
    if jit_cost:
        md += ["", "## Compile cost (load minus interpreted load, instructions)", ""] + jit_cost
    if gbd:
        md += ["", "## Compile cost by program length", "",
               "Generated socket filters of each length "
               "(`armjit-selftests --gen-lens`: straight-line 64-bit "
               "ALU, multiplies, shifts, stack stores and loads, ld_imm64, "
               "helper calls; no 32-bit ops, whose zext the verifier "
               "patches in one program copy each, and no divides, which "
               "6.1's stock JIT lacks in 64 bits; the same program for a "
               "length on every boot), BPF_PROG_LOAD under the "
               "interpreter, the stock JIT and armjit: up to 4096 insns "
               "the fewest instructions of 5 loads (`LOAD_REPS`; one load of a short "
               "program is within the noise of the interpreted load it "
               "is compared with), longer ones once. "
               "`JIT`: load minus interpreted load (the JIT's cost), in "
               "millions of instructions and per BPF insn; `load`: the "
               "whole load (verifier and JIT). Targets of issue 22: JIT "
               "time <= 2x the stock JIT's, whole load <= 1.1x, growth no "
               "worse than n log n.", "",
               md_table(ghd, gbd), ""] + ["- " + t for t in glines]
        md += ["", "![compile cost by length](results-%s-compile.png)" % a.kernel]
    md += ["", "![instructions per run](results-%s.png)" % a.kernel, ""]
    with open(base + ".md", "w") as f:
        f.write("\n".join(md))
    plot(rows, base + ".png", a.kernel)
    if gpts:
        gen_plot(gpts, base + "-compile.png", a.kernel)


if __name__ == "__main__":
    main()

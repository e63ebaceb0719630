// SPDX-License-Identifier: GPL-2.0
/*
 * armjit: a loadable eBPF JIT for 32-bit ARM.
 *
 * A kprobe on bpf_int_jit_compile() diverts every JIT request to
 * armjit_entry(), which compiles the program with armjit or hands it to the
 * stock JIT. /sys/kernel/armjit/enabled switches the diversion on and off,
 * /sys/kernel/armjit/opt the optimisations (armjit_jit.h, ARMJIT_OPT_*).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/wait_bit.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/kallsyms.h>
#include "armjit.h"
#include "armjit_jit.h"
#include "armjit_insn.h"

/* armjit emits little-endian ARM-state code and probes with kprobes. */
#if defined(CONFIG_THUMB2_KERNEL) || defined(CONFIG_CPU_BIG_ENDIAN)
#error "armjit supports little-endian ARM (not Thumb-2) kernels only"
#endif
#if !defined(CONFIG_KPROBES) || !defined(CONFIG_BPF_JIT)
#error "armjit needs CONFIG_KPROBES and CONFIG_BPF_JIT"
#endif

struct armjit_stats armjit_stats;

static bool armjit_enabled;
/* the capability kretprobe is in place (armjit_cap_init()) */
static bool armjit_cap_on;
unsigned int armjit_opt = ARMJIT_OPT_MAX_LEVEL;

/* Compiles running through armjit's text; unload waits for them. */
static atomic_t armjit_inflight = ATOMIC_INIT(0);

/*
 * Tasks in armjit_call_stock(): their call of the stock JIT goes through
 * armjit's kprobe untouched. Not told by the return address alone: a
 * kretprobe (perf, bpftrace) on bpf_int_jit_compile registered after
 * armjit's kprobe runs first and replaces lr with its trampoline.
 */
struct armjit_handoff {
	struct list_head node;
	struct task_struct *task;
};
static LIST_HEAD(armjit_handoffs);
static DEFINE_SPINLOCK(armjit_handoff_lock);

static bool armjit_handed_off(void)
{
	struct armjit_handoff *h;
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&armjit_handoff_lock, flags);
	list_for_each_entry(h, &armjit_handoffs, node)
		if (h->task == current)
			ret = true;
	spin_unlock_irqrestore(&armjit_handoff_lock, flags);
	return ret;
}

/*
 * Call the stock JIT. Its kprobe lets the call through (see
 * armjit_pre_handler). Not a tail call: the result is used after the
 * call, so the return address stays ours.
 */
static noinline struct bpf_prog *armjit_call_stock(ARMJIT_JIT_PARAMS)
{
	struct armjit_handoff h = { .task = current };
	struct bpf_prog *ret;
	unsigned long flags;

	spin_lock_irqsave(&armjit_handoff_lock, flags);
	list_add(&h.node, &armjit_handoffs);
	spin_unlock_irqrestore(&armjit_handoff_lock, flags);
	ret = armjit_jit_call(armjit_syms.bpf_int_jit_compile);
	spin_lock_irqsave(&armjit_handoff_lock, flags);
	list_del(&h.node);
	spin_unlock_irqrestore(&armjit_handoff_lock, flags);
	atomic_long_inc(&armjit_stats.stock);
	return ret;
}

/*
 * The verifier's fallback after jit_subprogs() failed: a main program
 * whose bpf-to-bpf calls now go through the interpreter (BPF_CALL_ARGS),
 * with a tail call. The kernel only accepted it because a JIT declared
 * subprogram tail calls (armjit's answer, armjit_cap_handler()); it must
 * not run interpreted. 6.12 and later interpret what no JIT compiled;
 * kprobe_override makes bpf_check_tail_call() refuse it (the prog array
 * "incompatible"): the load fails with -EINVAL. 6.1 refuses it anyway
 * (-ENOTSUPP: jit_requested programs must be JIT'ed).
 */
static bool armjit_refuse_fallback(struct bpf_prog *prog)
{
	bool calls = false, tail = false;
	u32 i;

	if (prog->is_func)
		return false;
	for (i = 0; i < prog->len; i++) {
		u8 code = prog->insnsi[i].code;

		calls |= code == (BPF_JMP | BPF_CALL_ARGS);
		tail |= code == (BPF_JMP | BPF_TAIL_CALL);
	}
	if (!calls || !tail)
		return false;
	prog->kprobe_override = 1;
	pr_warn_ratelimited("refused: a program with bpf-to-bpf calls and tail calls that no JIT compiled\n");
	return true;
}

static bool armjit_told_yes(void);
static void armjit_restore_calls(struct bpf_prog *prog);

/* A subprogram JIT'ed in the verifier's first pass, back for the extra. */
static bool armjit_is_extra_pass(const struct bpf_prog *prog)
{
	return prog->is_func && prog->jited;
}

/* Same prototype as bpf_int_jit_compile(); reached from the kprobe. */
static struct bpf_prog *armjit_entry(ARMJIT_JIT_PARAMS)
{
	struct bpf_prog *jited = NULL;
	bool told = armjit_told_yes();

	atomic_long_inc(&armjit_stats.seen);
	if (armjit_is_extra_pass(prog) && !armjit_is_pending(prog)) {
		armjit_drop_foreign(prog);
		jited = prog;
	} else if (prog->jit_requested || armjit_taken_over(prog)) {
		prog->jit_requested = 1;
		jited = armjit_jit_compile(prog);
		if (jited)
			atomic_long_inc(&armjit_stats.compiled);
	}
	/*
	 * Its verifier was told armjit inlines helpers: never the stock
	 * JIT (armjit_inline_handler()).
	 */
	if (!jited && told) {
		armjit_restore_calls(prog);
		jited = prog;
	}
	/* the stock JIT would run a taken-over program unblinded */
	if (!jited && armjit_taken_over(prog))
		jited = prog;
	if (!jited)
		jited = armjit_jit_call(armjit_call_stock);

	/* Last use of module data: only the epilogue runs after this. */
	if (atomic_dec_and_test(&armjit_inflight))
		wake_up_var(&armjit_inflight);
	return jited;
}

static int armjit_pre_handler(struct kprobe *p, struct pt_regs *regs)
{
	struct bpf_prog *prog = (struct bpf_prog *)regs->ARMJIT_JIT_PROG_REG;

	/* Our own call to the stock JIT (armjit_call_stock) goes through. */
	if (within_module(regs->ARM_lr, THIS_MODULE) || armjit_handed_off())
		return 0;
	/* whatever the toggle says: refused, on to the stock JIT */
	if (armjit_refuse_fallback(prog))
		return 0;
	/*
	 * Every subprogram's extra pass comes to armjit whatever the toggle
	 * says: armjit's own (pending) ones, and those another JIT compiled
	 * first, which armjit refuses cleanly.
	 */
	if (!READ_ONCE(armjit_enabled) && !armjit_is_pending(prog) &&
	    !armjit_is_extra_pass(prog) && !armjit_taken_over(prog) &&
	    !armjit_told_yes())
		return 0;
	atomic_inc(&armjit_inflight);
	instruction_pointer_set(regs, (unsigned long)armjit_entry);
	return 1;	/* resume at the new pc, skip the probed insn */
}

/* Never called for diverted hits; its presence keeps the probe unoptimized
 * (an optimized probe would ignore the new pc).
 */
static void armjit_post_handler(struct kprobe *p, struct pt_regs *regs,
				unsigned long flags)
{
}

static_assert(__same_type(&armjit_entry, &bpf_int_jit_compile));

/*
 * The tail-call ABI (armjit_jit.h). debugfs armjit/tc_abi: the version the
 * next images' marker says (tests: an older armjit's image stand-in).
 * armjit_stock_tc: what their stub does with a stock caller's tail call,
 * from armjit_stock_probe() at load.
 */
u8 armjit_tc_abi = ARMJIT_TC_ABI;
u8 armjit_stock_tc = ARMJIT_STOCK_TC_TRAP;

/* For tests of the refusal: the probe's answer is ignored. */
static bool tc_probe_fail;
module_param(tc_probe_fail, bool, 0444);
MODULE_PARM_DESC(tc_probe_fail, "Tests only: refuse stock->armjit tail calls as if the stock JIT's prologue differed");

/*
 * The stock JIT's tail call jumps to bpf_func + its prologue's length:
 * an add of that length to a register, then bx to it.
 */
static bool armjit_stock_lands(const u32 *w, unsigned int n, u32 off)
{
	unsigned int i;
	u8 r;

	for (i = 0; i + 1 < n; i++)
		for (r = ARM_R0; r <= ARM_IP; r++)
			if (w[i] == arm_add_i(r, r, off) &&
			    w[i + 1] == arm_bx(r))
				return true;
	return false;
}

/* The stub's expectations of the probe's image; NULL: all met. */
static const char *armjit_stock_check(const u32 *w, unsigned int n,
				      bool *frame)
{
	/* the immediates of the two subs depend on the stack size */
	const u32 sub_mask = ~0xfffU;

	*frame = n >= ARMJIT_STOCK_PROLOGUE / 4 &&
		 w[0] == arm_push(ARMJIT_STOCK_PUSH) &&
		 w[1] == arm_mov_r(ARM_R11, ARM_SP) &&
		 armjit_stock_lands(w, n, ARMJIT_STOCK_PROLOGUE);
	if (!*frame)
		return "the stock JIT's frame or prologue length differs from armjit's stub";
	if (w[2] != arm_mov_i(ARM_R3, 0) ||
	    (w[3] & sub_mask) != (arm_sub_i(ARM_R2, ARM_SP, 0) & sub_mask) ||
	    (w[4] & sub_mask) != (arm_sub_i(ARM_SP, ARM_SP, 0) & sub_mask) ||
	    w[5] != arm_strd_i(ARM_R2, ARM_R11, -64) ||
	    w[6] != arm_mov_i(ARM_R2, 0) ||
	    w[7] != arm_strd_i(ARM_R2, ARM_R11, ARMJIT_STOCK_TCC_OFF) ||
	    w[8] != arm_mov_r(ARM_R2, ARM_R0))
		return "the stock JIT's tail-call counter or ctx differs from armjit's stub";
	return NULL;
}

/*
 * Compile a program with a tail call with the stock JIT (before armjit's
 * kprobe is there) and compare it with what armjit's stub assumes: never
 * a stub that guesses. Anything short of a match refuses stock->armjit
 * tail calls, with one line saying why.
 */
static void __init armjit_stock_probe(void)
{
	static const struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_RAW_INSN(BPF_JMP | BPF_TAIL_CALL, 0, 0, 0, 0),
		BPF_EXIT_INSN(),
	};
	struct bpf_verifier_env *env __maybe_unused = NULL;
	struct bpf_prog *prog, *jited = NULL;
	const char *why = "no memory for the stock JIT's probe program";
	bool frame = false;

	prog = bpf_prog_alloc(bpf_prog_size(ARRAY_SIZE(insns)), 0);
	if (prog) {
		memcpy(prog->insnsi, insns, sizeof(insns));
		prog->len = ARRAY_SIZE(insns);
		prog->jit_requested = 1;
		prog->blinding_requested = 0;
		jited = armjit_jit_call(armjit_syms.bpf_int_jit_compile);
		why = "the stock JIT declined its probe program";
	}
	if (jited && jited->jited)
		why = armjit_stock_check((const u32 *)jited->bpf_func,
					 jited->jited_len / 4, &frame);
	if (!why && tc_probe_fail)
		why = "tc_probe_fail=1 (tests)";
	if (jited)
		bpf_prog_free(jited);
	else if (prog)
		bpf_prog_free(prog);
	armjit_stock_tc = !why ? ARMJIT_STOCK_TC_ON :
		frame ? ARMJIT_STOCK_TC_REFUSE : ARMJIT_STOCK_TC_TRAP;
	if (why)
		pr_warn("stock->armjit tail calls refused: %s\n", why);
}

static struct kprobe armjit_kp = {
	.symbol_name	= "bpf_int_jit_compile",
	.pre_handler	= armjit_pre_handler,
	.post_handler	= armjit_post_handler,
};

/*
 * The verifier frees subprograms without an extra pass when another one
 * fails to JIT: drop armjit's hold on them.
 */
static int armjit_free_pre_handler(struct kprobe *p, struct pt_regs *regs)
{
	armjit_forget_pending((struct bpf_prog *)regs->ARM_r0);
	return 0;
}

static struct kprobe armjit_free_kp = {
	.symbol_name	= "bpf_jit_free",
	.pre_handler	= armjit_free_pre_handler,
	.post_handler	= armjit_post_handler,
};

#if ARMJIT_JIT_ENV
/*
 * The caller blinds before the JIT here, and a program its blinder can't
 * rewrite (a jump offset that no longer fits 16 bits) never reaches any
 * JIT. armjit's blinder has no such limit: while armjit is enabled, such a
 * program gets an unblinded clone, which armjit blinds itself or leaves to
 * the interpreter (armjit_taken_over()).
 */
static noinline struct bpf_prog *armjit_blind_entry(ARMJIT_BLIND_PARAMS)
{
	struct bpf_prog *ret, *clone = NULL;

	/* our own call goes through the probe: lr is in this module */
	ret = armjit_jit_call(armjit_syms.bpf_jit_blind_constants);
	if (IS_ERR(ret) && PTR_ERR(ret) != -EINTR &&
	    READ_ONCE(armjit_enabled))
		clone = armjit_unblinded_clone(env, prog);
	if (clone) {
		atomic_long_inc(&armjit_stats.blind_takeover);
		ret = clone;
	}
	if (atomic_dec_and_test(&armjit_inflight))
		wake_up_var(&armjit_inflight);
	return ret;
}

static int armjit_blind_pre_handler(struct kprobe *p, struct pt_regs *regs)
{
	if (within_module(regs->ARM_lr, THIS_MODULE) ||
	    !READ_ONCE(armjit_enabled))
		return 0;
	atomic_inc(&armjit_inflight);
	instruction_pointer_set(regs, (unsigned long)armjit_blind_entry);
	return 1;
}

static struct kprobe armjit_blind_kp = {
	.symbol_name	= "bpf_jit_blind_constants",
	.pre_handler	= armjit_blind_pre_handler,
	.post_handler	= armjit_post_handler,
};

static_assert(__same_type(&armjit_blind_entry, &bpf_jit_blind_constants));
#endif

static struct kprobe *armjit_kps[] = {
	&armjit_kp, &armjit_free_kp,
#if ARMJIT_JIT_ENV
	&armjit_blind_kp,
#endif
};


/*
 * The verifier's questions to the architecture's JIT (weak functions in
 * kernel/bpf/core.c, which arm32 leaves answering no): kretprobes turn
 * the answer to yes while armjit is enabled, for what armjit implements:
 * subprogram tail calls (6.1 and later) and the helpers armjit emits in
 * place (6.12 and later); every other question keeps the stock answer
 * (README, "Capabilities"). A kretprobe changes no pc: other probes on
 * the same function (perf, bpftrace) run as they would without armjit.
 * If a probe can't be installed, the stock answer and one log line.
 *
 * The answers of one load agree, and what they promise holds: each load
 * is recorded from bpf_check()'s entry until its JIT is done (6.x:
 * bpf_prog_select_runtime()'s return; 7.x JITs inside bpf_check()) or
 * bpf_check() fails; a load that began before armjit's probe is told no.
 * A yes takes a module reference: armjit can't go away before the JIT.
 * On bpf_jit_inlines_helper_call(id)'s yes the verifier leaves the call
 * with the helper's id for the JIT, and around bpf_get_smp_processor_id
 * (bpf_fastcall) may drop the spills of R1-R5: that load's programs are
 * armjit's whatever "enabled" says. One armjit can't compile gets its
 * helpers' addresses back and is not given to the stock JIT (which would
 * clobber R1-R5): 6.12 interprets it (the interpreter keeps them), 7.x
 * refuses it (prog->jit_required). After the subprogram tail calls' yes
 * a program armjit does not compile is refused (armjit_refuse_fallback()).
 */
#define ARMJIT_MAX_TOLD	64
enum armjit_told_kind {
	ARMJIT_TOLD_NO,		/* its program is not for a JIT */
	ARMJIT_TOLD_SEEN,	/* in a bpf_check() armjit saw begin */
	ARMJIT_TOLD_HOLD,	/* subprogram tail calls: armjit stays loaded */
	ARMJIT_TOLD_YES,	/* helpers in place: its programs are armjit's */
};
static struct {
	struct task_struct *task;
	u8 kind;
	bool ref;	/* holds a module reference */
} armjit_told[ARMJIT_MAX_TOLD];
static DEFINE_SPINLOCK(armjit_told_lock);
/* the kretprobes where a load ends are in place: records can be kept */
static bool armjit_told_on;
/* the question is probed: "absent" if this kernel never asks */
static int armjit_inline_err = -ENOENT;
/* debugfs armjit/no_inline (tests, bench): answer no, call the helpers */
bool armjit_no_inline;
/* debugfs armjit/cap_then_off (tests): after a yes, armjit is disabled */
static bool armjit_cap_then_off;

/* Under armjit_told_lock: current's slot, or -1. */
static int armjit_told_slot(void)
{
	int i;

	for (i = 0; i < ARMJIT_MAX_TOLD; i++)
		if (armjit_told[i].task == current)
			return i;
	return -1;
}

/* current's record: an enum armjit_told_kind, or -1 for none */
static int armjit_told_state(void)
{
	unsigned long flags;
	int i, ret = -1;

	if (!READ_ONCE(armjit_told_on))
		return -1;
	spin_lock_irqsave(&armjit_told_lock, flags);
	i = armjit_told_slot();
	if (i >= 0)
		ret = armjit_told[i].kind;
	spin_unlock_irqrestore(&armjit_told_lock, flags);
	return ret;
}

static bool armjit_told_yes(void)
{
	return armjit_told_state() == ARMJIT_TOLD_YES;
}

/*
 * A load armjit saw enter bpf_check() (SEEN) is told yes (HOLD, YES,
 * taking a module reference), a hold becomes a yes; false: no record
 * (its bpf_check() began before armjit's probe), the module is going,
 * or it was told otherwise.
 */
static bool armjit_tell(enum armjit_told_kind kind)
{
	unsigned long flags;
	bool ok = false;
	int i;

	spin_lock_irqsave(&armjit_told_lock, flags);
	i = armjit_told_slot();
	if (i >= 0 && (armjit_told[i].kind == ARMJIT_TOLD_SEEN ||
		       armjit_told[i].kind == ARMJIT_TOLD_HOLD)) {
		ok = armjit_told[i].ref || try_module_get(THIS_MODULE);
		if (ok) {
			armjit_told[i].ref = true;
			armjit_told[i].kind = max_t(u8, armjit_told[i].kind,
						    kind);
		}
	}
	spin_unlock_irqrestore(&armjit_told_lock, flags);
	return ok;
}

/* At bpf_check()'s entry; no room: no capability for this load. */
static void armjit_told_begin(enum armjit_told_kind kind)
{
	unsigned long flags;
	int i;

	spin_lock_irqsave(&armjit_told_lock, flags);
	if (armjit_told_slot() < 0) {
		for (i = 0; i < ARMJIT_MAX_TOLD && armjit_told[i].task; i++)
			;
		if (i < ARMJIT_MAX_TOLD) {
			armjit_told[i].task = current;
			armjit_told[i].kind = kind;
			armjit_told[i].ref = false;
		}
	}
	spin_unlock_irqrestore(&armjit_told_lock, flags);
}

static void armjit_told_done(void)
{
	unsigned long flags;
	bool ref = false;
	int i;

	spin_lock_irqsave(&armjit_told_lock, flags);
	i = armjit_told_slot();
	if (i >= 0) {
		armjit_told[i].task = NULL;
		ref = armjit_told[i].ref;
	}
	spin_unlock_irqrestore(&armjit_told_lock, flags);
	if (ref)
		module_put(THIS_MODULE);
}

/*
 * The calls the verifier left as ids call their helpers again (a socket
 * filter's id 8 is bpf_get_raw_cpu_id: the same CPU number).
 */
static void armjit_restore_calls(struct bpf_prog *prog)
{
	struct bpf_insn *insn = prog->insnsi;
	u32 i;

	for (i = 0; i < prog->len; i++, insn++)
		if (armjit_inline_id(insn))
			insn->imm = armjit_inline_fn(insn->imm) -
				    armjit_rt.call_base;
	pr_warn_ratelimited("a program whose verifier armjit told it inlines helpers was not compiled: its helper calls restored, %s\n",
			    prog->jit_requested ? "interpreted or refused" :
						  "interpreted");
}

static int armjit_inline_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	*(s32 *)ri->data = regs->ARM_r0;
	return 0;
}

static int armjit_inline_handler(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	s32 id = *(s32 *)ri->data;
	int told;

	if (!armjit_inline_fn(id))
		return 0;
	/* a task told stays told: its answers must agree */
	told = armjit_told_state();
	if (told == ARMJIT_TOLD_YES ||
	    (told > ARMJIT_TOLD_NO && READ_ONCE(armjit_enabled) &&
	     !READ_ONCE(armjit_no_inline) && armjit_tell(ARMJIT_TOLD_YES))) {
		regs->ARM_r0 = 1;
		if (READ_ONCE(armjit_cap_then_off))
			WRITE_ONCE(armjit_enabled, false);
	}
	return 0;
}

static struct kretprobe armjit_inline_krp = {
	.kp.symbol_name	= "bpf_jit_inlines_helper_call",
	.entry_handler	= armjit_inline_entry,
	.handler	= armjit_inline_handler,
	.data_size	= sizeof(s32),
	.maxactive	= 64,
};

static int armjit_cap_handler(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	int told = armjit_told_state();

	/*
	 * Were armjit gone before the JIT, 6.12 and later would interpret
	 * a program whose main part alone tail-calls: a yes holds armjit.
	 */
	if (told == ARMJIT_TOLD_YES || told == ARMJIT_TOLD_HOLD ||
	    (told == ARMJIT_TOLD_SEEN && READ_ONCE(armjit_enabled) &&
	     armjit_tell(ARMJIT_TOLD_HOLD))) {
		regs->ARM_r0 = 1;
		if (READ_ONCE(armjit_cap_then_off))
			WRITE_ONCE(armjit_enabled, false);
	}
	return 0;
}

static struct kretprobe armjit_cap_krp = {
	.kp.symbol_name	= "bpf_jit_supports_subprog_tailcalls",
	.handler	= armjit_cap_handler,
	.maxactive	= 64,
};

/*
 * A load's record begins. A program no JIT will see (bpf_jit_enable 0)
 * is told no for its whole load, or 7.2 would refuse it (jit_required)
 * where the kernel alone interprets it.
 */
static int armjit_check_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct bpf_prog **prog = (struct bpf_prog **)regs->ARM_r0;

	armjit_told_begin((*prog)->jit_requested ? ARMJIT_TOLD_SEEN :
						     ARMJIT_TOLD_NO);
	return 0;
}

/* 7.2 JITs inside bpf_check(), 6.x after it (bpf_prog_select_runtime()) */
static int armjit_check_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	if (ARMJIT_JIT_ENV || (long)regs->ARM_r0 < 0)
		armjit_told_done();
	return 0;
}

static int armjit_runtime_ret(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	armjit_told_done();
	return 0;
}

/* where a load told yes ends: bpf_check() failed, or its JIT is done */
static struct kretprobe armjit_check_krp = {
	.kp.symbol_name	= "bpf_check",
	.entry_handler	= armjit_check_entry,
	.handler	= armjit_check_ret,
	.maxactive	= 64,
};

static struct kretprobe armjit_runtime_krp = {
	.kp.symbol_name	= "bpf_prog_select_runtime",
	.handler	= armjit_runtime_ret,
	.maxactive	= 64,
};

static struct kretprobe *armjit_told_krps[] = {
	&armjit_check_krp, &armjit_runtime_krp,
};

static const char *armjit_inline_state(void)
{
	if (armjit_inline_err == -ENOENT)
		return "absent";
	if (armjit_inline_err)
		return "stock";
	return READ_ONCE(armjit_enabled) && !READ_ONCE(armjit_no_inline) ?
	       "yes" : "no";
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(armjit_enabled));
}

/* A sysfs write of a decimal number up to @max (a newline allowed). */
static int armjit_parse_uint(const char *buf, size_t count,
			     unsigned int max, unsigned int *val)
{
	/* kstrtouint() stops at a NUL: "1\0junk" must not pass */
	if (memchr(buf, 0, count))
		return -EINVAL;
	if (kstrtouint(buf, 10, val) || *val > max)
		return -EINVAL;
	return 0;
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int val;

	if (armjit_parse_uint(buf, count, 1, &val))
		return -EINVAL;
	WRITE_ONCE(armjit_enabled, val);
	return count;
}

static ssize_t opt_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(armjit_opt));
}

/* Programs compiled from now on; each keeps the level it was made with. */
static ssize_t opt_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	unsigned int val;

	if (armjit_parse_uint(buf, count, ARMJIT_OPT_MAX_LEVEL, &val))
		return -EINVAL;
	WRITE_ONCE(armjit_opt, val);
	return count;
}

static const char * const armjit_stock_tc_names[] = {
	[ARMJIT_STOCK_TC_ON] = "on",
	[ARMJIT_STOCK_TC_REFUSE] = "refused",
	[ARMJIT_STOCK_TC_TRAP] = "trapped",
};

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf,
			  "seen %ld\ncompiled %ld\nstock %ld\nfailed %ld\ncalls_default %ld\ncalls_direct %ld\ntail_call_abi %d\nstock_tail_calls %s\nsubprog_tailcalls %s\nblind_takeover %ld\ninline_helpers %s\ninlined %ld\n",
			  atomic_long_read(&armjit_stats.seen),
			  atomic_long_read(&armjit_stats.compiled),
			  atomic_long_read(&armjit_stats.stock),
			  atomic_long_read(&armjit_stats.failed),
			  atomic_long_read(&armjit_stats.calls_default),
			  atomic_long_read(&armjit_stats.calls_direct),
			  ARMJIT_TC_ABI, armjit_stock_tc_names[armjit_stock_tc],
			  !armjit_cap_on ? "stock" :
			  READ_ONCE(armjit_enabled) ? "yes" : "no",
			  atomic_long_read(&armjit_stats.blind_takeover),
			  armjit_inline_state(),
			  atomic_long_read(&armjit_stats.inlined));
}

static struct kobj_attribute enabled_attr = __ATTR_RW_MODE(enabled, 0644);
static struct kobj_attribute opt_attr = __ATTR_RW_MODE(opt, 0644);
static struct kobj_attribute stats_attr = __ATTR_RO(stats);

static struct attribute *armjit_attrs[] = {
	&enabled_attr.attr,
	&opt_attr.attr,
	&stats_attr.attr,
	NULL,
};

static const struct attribute_group armjit_group = {
	.attrs = armjit_attrs,
};

static struct kobject *armjit_kobj;

/*
 * debugfs armjit/: fail_nth (0: off; n: the n-th fault point of every
 * compile fails, armjit_core.c) and fault_points (their names), for the
 * failure-path tests; tc_abi (above); cap_then_off: each yes to a capability
 * question disables armjit (disabled between verification and JIT).
 * debugfs is root-only; nothing here is needed to use armjit.
 */
static struct dentry *armjit_debugfs;

static int fault_points_show(struct seq_file *m, void *v)
{
	const char * const *p;

	for (p = armjit_fault_sites; *p; p++)
		seq_printf(m, "%s\n", *p);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fault_points);

static void armjit_debugfs_init(void)
{
	armjit_debugfs = debugfs_create_dir("armjit", NULL);
	debugfs_create_u32("fail_nth", 0600, armjit_debugfs, &armjit_fail_nth);
	debugfs_create_u8("tc_abi", 0600, armjit_debugfs, &armjit_tc_abi);
	debugfs_create_bool("cap_then_off", 0600, armjit_debugfs,
			    &armjit_cap_then_off);
	debugfs_create_bool("no_inline", 0600, armjit_debugfs,
			    &armjit_no_inline);
	debugfs_create_file("fault_points", 0400, armjit_debugfs, NULL,
			    &fault_points_fops);
}

/* sysfs files go before what they show, the directory last. */
static void armjit_sysfs_exit(void)
{
	sysfs_remove_group(armjit_kobj, &armjit_helpers_group);
	sysfs_remove_group(armjit_kobj, &armjit_group);
	kobject_del(armjit_kobj);
	kobject_put(armjit_kobj);
}

/* armjit.enabled=1 on the command line or modprobe.d: on from load. */
static bool enable_on_load;
module_param_named(enabled, enable_on_load, bool, 0444);
MODULE_PARM_DESC(enabled, "Enable armjit at load (default 0); later use /sys/kernel/armjit/enabled");

/* armjit.opt=0 (a direct translation) for a first look at a miscompile. */
static unsigned int opt_on_load = ARMJIT_OPT_MAX_LEVEL;
module_param_named(opt, opt_on_load, uint, 0444);
MODULE_PARM_DESC(opt, "Optimisation level at load: 0 (direct translation) or 1 (default); later use /sys/kernel/armjit/opt");

/* For tests of init's error path: step N fails as if out of memory. */
static unsigned int fail_init;
module_param(fail_init, uint, 0444);
MODULE_PARM_DESC(fail_init, "Tests only: fail init at step N (1: sysfs files, 2: helper table, 3: its sysfs files, 4: kprobes, 5: the capability kretprobes, 6: the inlined helpers' kretprobe)");

static int __init armjit_init_fault(unsigned int step)
{
	if (fail_init != step)
		return 0;
	pr_info("init step %u fails (fail_init)\n", step);
	return -ENOMEM;
}

/* step 5 is not fatal: the stock answers (armjit_cap_init()) */
static int __init armjit_init_fault_cap(void)
{
	return fail_init == 5 ? -ENOMEM : 0;
}

static void __init armjit_cap_init(void)
{
	int err = armjit_init_fault_cap() ?:
		  register_kretprobes(armjit_told_krps,
				      ARRAY_SIZE(armjit_told_krps));

	/* before the first question: records begin from now on */
	WRITE_ONCE(armjit_told_on, !err);
	if (!err) {
		err = register_kretprobe(&armjit_cap_krp);
		armjit_cap_on = !err;
	}
	if (err)
		pr_warn("subprog_tailcalls: stock answer (no): cannot probe bpf_jit_supports_subprog_tailcalls, bpf_check or bpf_prog_select_runtime (%d)\n",
			err);
}

static void armjit_cap_exit(void)
{
	if (!armjit_inline_err)
		unregister_kretprobe(&armjit_inline_krp);
	if (armjit_cap_on)
		unregister_kretprobe(&armjit_cap_krp);
	if (armjit_told_on)
		unregister_kretprobes(armjit_told_krps,
				      ARRAY_SIZE(armjit_told_krps));
}

/*
 * The inlined helpers' question (6.12 and later), if armjit emits them
 * in place here and a call's imm can't be both a function's offset and
 * such an id: ids 35 and 158 are no ARM function's address, 8 must fall
 * inside __bpf_call_base.
 */
static void __init armjit_inline_cap_init(void)
{
	char sym[KSYM_SYMBOL_LEN];
	struct kprobe kp = { .symbol_name = "bpf_jit_inlines_helper_call" };
	const char *why = NULL;
	int err;

	err = register_kprobe(&kp);
	if (err == -ENOENT)
		return;		/* the kernel never asks: "absent" */
	if (!err)
		unregister_kprobe(&kp);
	sprint_symbol(sym, armjit_rt.call_base + ARMJIT_FUNC_CPU_ID);
	if (!armjit_told_on)
		why = "cannot probe bpf_check or bpf_prog_select_runtime";
	else if (!armjit_rt.fn_task)
		why = "the helpers are called here";
	else if (!strstarts(sym, "__bpf_call_base+"))
		why = "__bpf_call_base + 8 is a function";
	else if (fail_init == 6)
		why = "fail_init=6 (tests)";
	if (why) {
		err = -EINVAL;
	} else {
		err = register_kretprobe(&armjit_inline_krp);
		why = "cannot probe it";
		if (err == -ENOENT)
			err = -ENODEV;	/* "stock": the kernel does ask */
	}
	/* before the first yes: the translation takes ids from now on */
	armjit_rt.inline_ids = !err;
	armjit_inline_err = err;
	if (err)
		pr_warn("inline_helpers: stock answer (no): %s (%d)\n", why,
			err);
}

static int __init armjit_init(void)
{
	int err;

	if (opt_on_load > ARMJIT_OPT_MAX_LEVEL) {
		pr_err("opt=%u: 0 or %u\n", opt_on_load, ARMJIT_OPT_MAX_LEVEL);
		return -EINVAL;
	}
	WRITE_ONCE(armjit_opt, opt_on_load);
	err = armjit_resolve_syms();
	if (err)
		return err;
	err = armjit_rt_init();
	if (err)
		return err;
	armjit_stock_probe();

	armjit_kobj = kobject_create_and_add("armjit", kernel_kobj);
	if (!armjit_kobj)
		return -ENOMEM;
	err = armjit_init_fault(1) ?:
		sysfs_create_group(armjit_kobj, &armjit_group);
	if (err)
		goto err_kobj;
	err = armjit_init_fault(2) ?: armjit_helpers_init();
	if (err)
		goto err_kobj;
	err = armjit_init_fault(3) ?:
		sysfs_create_group(armjit_kobj, &armjit_helpers_group);
	if (err)
		goto err_helpers;

	err = armjit_init_fault(4) ?:
		register_kprobes(armjit_kps, ARRAY_SIZE(armjit_kps));
	if (err) {
		pr_err("cannot probe the JIT's entry, bpf_jit_free or the blinder (%d)\n",
		       err);
		goto err_group;
	}
	armjit_cap_init();
	armjit_inline_cap_init();
	armjit_debugfs_init();
	WRITE_ONCE(armjit_enabled, enable_on_load);
	pr_info("loaded, %s\n", enable_on_load ? "enabled" :
		"disabled (echo 1 > /sys/kernel/armjit/enabled)");
	return 0;

err_group:
	/* no file may show the table once it is freed */
	sysfs_remove_group(armjit_kobj, &armjit_helpers_group);
err_helpers:
	armjit_helpers_exit();
err_kobj:
	sysfs_remove_group(armjit_kobj, &armjit_group);
	kobject_del(armjit_kobj);
	kobject_put(armjit_kobj);
	return err;
}

static void __exit armjit_exit(void)
{
	/* sysfs first: its removal waits for a toggle in progress. */
	armjit_sysfs_exit();
	debugfs_remove(armjit_debugfs);
	/*
	 * No new diversions after this (it waits for running handlers).
	 * No subprogram is pending: each holds a module reference, and
	 * compiles diverted until now get none (try_module_get() fails once
	 * rmmod has begun: armjit_emit_image()).
	 */
	armjit_cap_exit();
	unregister_kprobes(armjit_kps, ARRAY_SIZE(armjit_kps));
	/* Wait for compiles already diverted into armjit_entry()... */
	wait_var_event(&armjit_inflight, !atomic_read(&armjit_inflight));
	/* ...and for them to leave its epilogue, even if preempted there. */
	synchronize_rcu_tasks();
	armjit_helpers_exit();
	pr_info("unloaded\n");
}

module_init(armjit_init);
module_exit(armjit_exit);

MODULE_DESCRIPTION("armjit: loadable eBPF JIT for 32-bit ARM");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");

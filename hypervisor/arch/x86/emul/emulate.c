/*
 * Memory-instruction emulator (see sv/x86_emulate.h for the contract).
 *
 * Every handler follows the same order so that a fault leaves no trace:
 * first all memory reads, then the computation, then the one memory write
 * (or cmpxchg), and only then registers, RFLAGS and RIP.  Operands are
 * little-endian byte images; the hypervisor and its host tests both run on
 * x86, so a uint64_t filled from the low end holds the value.
 */
#include <sv/errno.h>
#include <sv/string.h>
#include <sv/x86_emulate.h>

#define F_CF X86_RFLAGS_CF
#define F_PF X86_RFLAGS_PF
#define F_AF X86_RFLAGS_AF
#define F_ZF X86_RFLAGS_ZF
#define F_SF X86_RFLAGS_SF
#define F_DF X86_RFLAGS_DF
#define F_OF X86_RFLAGS_OF
#define F_ARITH X86_RFLAGS_ARITH

struct emul {
    const struct x86_insn *insn;
    struct guest_regs *regs;
    const struct x86_emul_ops *ops;
    void *ctx;
};

int x86_emul_cmpxchg_by_rw(const struct x86_emul_ops *ops, void *ctx, enum x86_seg seg,
                           uint64_t offset, void *old, const void *new, unsigned int size)
{
    uint8_t cur[16];
    int rc;

    if (size > sizeof(cur))
        return -EINVAL;
    if ((rc = ops->read(ctx, seg, offset, cur, size)))
        return rc;
    if (memcmp(cur, old, size)) {
        memcpy(old, cur, size);     /* the contract: 0 with *old updated */
        return 0;
    }
    return ops->write(ctx, seg, offset, new, size);
}

/* ---- registers ---------------------------------------------------------- */

/* Without any REX prefix, byte registers 4-7 are AH, CH, DH, BH; with one
 * (even 40), SPL, BPL, SIL, DIL (SDM vol. 2, 2.2.1.2; APM vol. 3, 1.2.7). */
static bool is_high_byte(const struct emul *e, unsigned int reg, unsigned int size)
{
    return size == 1 && !e->insn->rex && reg >= 4 && reg < 8;
}

static uint64_t get_reg(const struct emul *e, unsigned int reg, unsigned int size)
{
    if (is_high_byte(e, reg, size))
        return (e->regs->gpr[reg - 4] >> 8) & 0xFF;
    return e->regs->gpr[reg] & x86_size_mask(size);
}

/* 8- and 16-bit writes merge into the register; 32-bit writes zero-extend
 * to 64 bits (SDM vol. 1, 3.4.1.1). */
static void set_reg(struct emul *e, unsigned int reg, unsigned int size, uint64_t value)
{
    uint64_t *gpr = &e->regs->gpr[reg];
    uint64_t mask = x86_size_mask(size);

    if (is_high_byte(e, reg, size)) {
        gpr = &e->regs->gpr[reg - 4];
        *gpr = (*gpr & ~(uint64_t)0xFF00) | (value & 0xFF) << 8;
    } else if (size >= 4) {
        *gpr = value & mask;
    } else {
        *gpr = (*gpr & ~mask) | (value & mask);
    }
}

static void set_flags(struct emul *e, uint64_t rflags)
{
    e->regs->rflags = rflags;
}

/* RIP wraps at the operand size of the code (IP in 16-bit code). */
static void advance_rip(struct emul *e)
{
    static const uint64_t ip_mask[] = {
        [X86_MODE_16] = 0xFFFF, [X86_MODE_32] = 0xFFFFFFFF, [X86_MODE_64] = ~(uint64_t)0,
    };

    e->regs->rip = (e->regs->rip + e->insn->len) & ip_mask[e->insn->mode];
}

/* ---- operands ----------------------------------------------------------- */

struct operand {
    bool is_mem;
    uint8_t seg;
    uint8_t reg;
    uint8_t size;
    uint64_t offset;
};

static struct operand reg_operand(unsigned int reg, unsigned int size)
{
    return (struct operand){ .reg = (uint8_t)reg, .size = (uint8_t)size };
}

static struct operand mem_operand(unsigned int seg, uint64_t offset, unsigned int size)
{
    return (struct operand){ .is_mem = true, .seg = (uint8_t)seg, .offset = offset,
                             .size = (uint8_t)size };
}

/* The ModRM (or moffs) operand: a register or memory. */
static int rm_operand(const struct emul *e, unsigned int size, struct operand *op)
{
    uint64_t offset;
    int seg;

    if (!e->insn->has_mem) {
        *op = reg_operand(e->insn->rm, size);
        return 0;
    }
    seg = x86_effective_address(e->insn, e->regs, &offset);
    if (seg < 0)
        return seg;
    *op = mem_operand((unsigned int)seg, offset, size);
    return 0;
}

static int read_mem(const struct emul *e, unsigned int seg, uint64_t offset, unsigned int size,
                    uint64_t *value)
{
    *value = 0;
    return e->ops->read(e->ctx, (enum x86_seg)seg, offset, value, size);
}

static int write_mem(const struct emul *e, unsigned int seg, uint64_t offset,
                     unsigned int size, uint64_t value)
{
    return e->ops->write(e->ctx, (enum x86_seg)seg, offset, &value, size);
}

static int load(const struct emul *e, const struct operand *op, uint64_t *value)
{
    if (op->is_mem)
        return read_mem(e, op->seg, op->offset, op->size, value);
    *value = get_reg(e, op->reg, op->size);
    return 0;
}

/* Registers are stored last, when nothing can fail any more. */
static int store(struct emul *e, const struct operand *op, uint64_t value)
{
    if (op->is_mem)
        return write_mem(e, op->seg, op->offset, op->size, value);
    set_reg(e, op->reg, op->size, value);
    return 0;
}

/* Atomically replace *old with new; on a lost race *old is what memory
 * held instead.  Returns 0 and *exchanged. */
static int cmpxchg_mem(const struct emul *e, const struct operand *op, uint64_t *old,
                       uint64_t new, bool *exchanged)
{
    uint64_t seen = *old;
    int rc = e->ops->cmpxchg(e->ctx, (enum x86_seg)op->seg, op->offset, &seen, &new, op->size);

    if (rc)
        return rc;
    *exchanged = seen == *old;
    *old = seen;
    return 0;
}

/* ---- flags -------------------------------------------------------------- */

static uint64_t sign_bit(unsigned int size)
{
    return (uint64_t)1 << (size * 8 - 1);
}

/* PF reflects the low byte only: set when it has an even number of ones. */
static bool low_byte_parity_even(uint64_t value)
{
    uint8_t b = (uint8_t)value;

    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;
    return !(b & 1);
}

static uint64_t zf_sf_pf(uint64_t result, unsigned int size)
{
    uint64_t flags = 0;

    result &= x86_size_mask(size);
    if (!result)
        flags |= F_ZF;
    if (result & sign_bit(size))
        flags |= F_SF;
    if (low_byte_parity_even(result))
        flags |= F_PF;
    return flags;
}

/* a + b + carry_in, with CF (unsigned carry out), OF (signed overflow) and
 * AF (carry out of bit 3) as APM vol. 3 ADD/ADC define them. */
static uint64_t add_flags(uint64_t a, uint64_t b, unsigned int carry_in, unsigned int size,
                          uint64_t *flags)
{
    uint64_t mask = x86_size_mask(size);
    uint64_t result;

    a &= mask;
    b &= mask;
    result = (a + b + carry_in) & mask;
    *flags = zf_sf_pf(result, size);
    if (carry_in ? result <= a : result < a)
        *flags |= F_CF;
    if ((a ^ result) & (b ^ result) & sign_bit(size))
        *flags |= F_OF;
    if ((a ^ b ^ result) & 0x10)
        *flags |= F_AF;
    return result;
}

/* a - b - borrow_in; CF is the borrow (a < b + borrow_in). */
static uint64_t sub_flags(uint64_t a, uint64_t b, unsigned int borrow_in, unsigned int size,
                          uint64_t *flags)
{
    uint64_t mask = x86_size_mask(size);
    uint64_t result;

    a &= mask;
    b &= mask;
    result = (a - b - borrow_in) & mask;
    *flags = zf_sf_pf(result, size);
    if (borrow_in ? a <= b : a < b)
        *flags |= F_CF;
    if ((a ^ b) & (a ^ result) & sign_bit(size))
        *flags |= F_OF;
    if ((a ^ b ^ result) & 0x10)
        *flags |= F_AF;
    return result;
}

static uint64_t merge_flags(uint64_t rflags, uint64_t mask, uint64_t flags)
{
    return (rflags & ~mask) | (flags & mask);
}

/* ---- ALU operations ----------------------------------------------------- */

/* dst op src on 'size' bytes; updates *rflags; returns the result. */
typedef uint64_t alu_fn(uint64_t dst, uint64_t src, unsigned int size, uint64_t *rflags);

static uint64_t alu_add(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    uint64_t f, r = add_flags(d, s, 0, size, &f);

    *rf = merge_flags(*rf, F_ARITH, f);
    return r;
}

static uint64_t alu_adc(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    uint64_t f, r = add_flags(d, s, *rf & F_CF, size, &f);

    *rf = merge_flags(*rf, F_ARITH, f);
    return r;
}

static uint64_t alu_sub(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    uint64_t f, r = sub_flags(d, s, 0, size, &f);

    *rf = merge_flags(*rf, F_ARITH, f);
    return r;
}

static uint64_t alu_sbb(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    uint64_t f, r = sub_flags(d, s, *rf & F_CF, size, &f);

    *rf = merge_flags(*rf, F_ARITH, f);
    return r;
}

/* AND/OR/XOR/TEST clear CF and OF; AF is undefined and we clear it. */
static uint64_t logic_result(uint64_t r, unsigned int size, uint64_t *rf)
{
    *rf = merge_flags(*rf, F_ARITH, zf_sf_pf(r, size));
    return r & x86_size_mask(size);
}

static uint64_t alu_and(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    return logic_result(d & s, size, rf);
}

static uint64_t alu_or(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    return logic_result(d | s, size, rf);
}

static uint64_t alu_xor(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    return logic_result(d ^ s, size, rf);
}

/* INC/DEC leave CF alone (APM vol. 3, INC, DEC). */
static uint64_t alu_inc(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    uint64_t f, r = add_flags(d, 1, 0, size, &f);

    (void)s;
    *rf = merge_flags(*rf, F_ARITH & ~F_CF, f);
    return r;
}

static uint64_t alu_dec(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    uint64_t f, r = sub_flags(d, 1, 0, size, &f);

    (void)s;
    *rf = merge_flags(*rf, F_ARITH & ~F_CF, f);
    return r;
}

/* NOT changes no flag; NEG is 0 - dst, so CF = (dst != 0). */
static uint64_t alu_not(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)s;
    (void)rf;
    return ~d & x86_size_mask(size);
}

static uint64_t alu_neg(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)s;
    return alu_sub(0, d, size, rf);
}

/* BT*: CF = the bit (src, already reduced below the operand width); ZF is
 * unchanged and OF/SF/AF/PF undefined, which we also leave unchanged
 * (SDM vol. 2, BT). */
static uint64_t bit_test(uint64_t d, uint64_t bit, uint64_t *rf)
{
    *rf = merge_flags(*rf, F_CF, (d >> bit) & 1 ? F_CF : 0);
    return (uint64_t)1 << bit;
}

static uint64_t alu_bt(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)size;
    bit_test(d, s, rf);
    return d;
}

static uint64_t alu_bts(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)size;
    return d | bit_test(d, s, rf);
}

static uint64_t alu_btr(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)size;
    return d & ~bit_test(d, s, rf);
}

static uint64_t alu_btc(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)size;
    return d ^ bit_test(d, s, rf);
}

/* XCHG as a read-modify-write: the new value is the source. */
static uint64_t alu_take_src(uint64_t d, uint64_t s, unsigned int size, uint64_t *rf)
{
    (void)d;
    (void)rf;
    return s & x86_size_mask(size);
}

enum alu_operands {
    SRC_NONE,                   /* INC, DEC, NOT, NEG */
    SRC_BINARY,                 /* reg, imm or r/m source */
    SRC_BIT,                    /* BT*: bit offset in a register or imm8 */
};

static const struct alu_op {
    alu_fn *fn;
    uint8_t operands;
    bool writes;                /* CMP, TEST and BT only compare */
} alu_ops[X86_NR_KINDS] = {
    [X86_ADD] = { alu_add, SRC_BINARY, true },  [X86_OR] = { alu_or, SRC_BINARY, true },
    [X86_ADC] = { alu_adc, SRC_BINARY, true },  [X86_SBB] = { alu_sbb, SRC_BINARY, true },
    [X86_AND] = { alu_and, SRC_BINARY, true },  [X86_SUB] = { alu_sub, SRC_BINARY, true },
    [X86_XOR] = { alu_xor, SRC_BINARY, true },  [X86_CMP] = { alu_sub, SRC_BINARY, false },
    [X86_TEST] = { alu_and, SRC_BINARY, false },
    [X86_INC] = { alu_inc, SRC_NONE, true },    [X86_DEC] = { alu_dec, SRC_NONE, true },
    [X86_NOT] = { alu_not, SRC_NONE, true },    [X86_NEG] = { alu_neg, SRC_NONE, true },
    [X86_BT] = { alu_bt, SRC_BIT, false },      [X86_BTS] = { alu_bts, SRC_BIT, true },
    [X86_BTR] = { alu_btr, SRC_BIT, true },     [X86_BTC] = { alu_btc, SRC_BIT, true },
};

/*
 * Read dst, compute, write it back (unless the op only compares).  A LOCKed
 * memory destination (and XCHG's, which is always locked) goes through
 * cmpxchg, recomputing from the fresh value after a lost race.  A register
 * destination is not written here: *result is for the caller to store
 * last.  Returns *old (the value before) and *rflags (updated).
 */
static int read_modify_write(struct emul *e, const struct operand *dst, alu_fn *fn,
                             bool writes, bool locked, uint64_t src, uint64_t *old,
                             uint64_t *result, uint64_t *rflags)
{
    int rc = load(e, dst, old);

    if (rc)
        return rc;
    for (unsigned int attempt = 0; attempt < X86_EMUL_LOCK_RETRIES; attempt++) {
        bool exchanged;

        *rflags = e->regs->rflags;
        *result = fn(*old, src, dst->size, rflags);
        if (!writes || !dst->is_mem)
            return 0;
        if (!locked)
            return write_mem(e, dst->seg, dst->offset, dst->size, *result);
        rc = cmpxchg_mem(e, dst, old, *result, &exchanged);
        if (rc || exchanged)
            return rc;
    }
    return -EAGAIN;
}

/* ---- bit operands ------------------------------------------------------- */

static unsigned int log2_bits(unsigned int size)
{
    return size == 2 ? 4 : size == 4 ? 5 : 6;
}

/*
 * BT* bit offsets (SDM vol. 2, BT; APM vol. 3, BT): an immediate, or any
 * offset with a register base, counts modulo the operand width.  A
 * register offset with a memory base is a signed number that may reach
 * outside the operand: the operand moves by op_size * floor(offset /
 * width) bytes and the bit is offset mod width.
 */
static void locate_bit(const struct emul *e, struct operand *dst, uint64_t *bit)
{
    unsigned int size = dst->size;
    unsigned int shift = log2_bits(size);
    uint64_t offset = *bit & x86_size_mask(size);
    uint64_t words;

    *bit = offset & ((8u * size) - 1);
    if (e->insn->imm_size || !dst->is_mem)
        return;
    /* Arithmetic shift of the sign-extended offset, in unsigned arithmetic. */
    words = offset >> shift;
    if (offset & sign_bit(size))
        words |= ~(x86_size_mask(size) >> shift);
    dst->offset = (dst->offset + words * size) & x86_size_mask(e->insn->addr_size);
}

/* ---- handlers ----------------------------------------------------------- */

static uint64_t immediate(const struct emul *e, unsigned int size)
{
    return (uint64_t)e->insn->imm & x86_size_mask(size);
}

static int emulate_alu(struct emul *e)
{
    const struct x86_insn *insn = e->insn;
    const struct alu_op *alu = &alu_ops[insn->kind];
    unsigned int size = insn->op_size;
    struct operand dst, src_op;
    uint64_t src = 0, old, result, rflags;
    int rc;

    if (insn->reg_is_dst) {                     /* op reg, r/m */
        dst = reg_operand(insn->reg, size);
        if ((rc = rm_operand(e, size, &src_op)) != 0 || (rc = load(e, &src_op, &src)) != 0)
            return rc;
    } else {                                    /* op r/m, reg|imm */
        if ((rc = rm_operand(e, size, &dst)) != 0)
            return rc;
        if (alu->operands != SRC_NONE)
            src = insn->imm_size ? immediate(e, size) : get_reg(e, insn->reg, size);
    }
    if (alu->operands == SRC_BIT)
        locate_bit(e, &dst, &src);
    rc = read_modify_write(e, &dst, alu->fn, alu->writes, insn->lock, src, &old, &result,
                           &rflags);
    if (rc)
        return rc;
    if (alu->writes && !dst.is_mem)
        set_reg(e, dst.reg, size, result);
    set_flags(e, rflags);
    return 0;
}

/* MOV, MOVNTI: a load into a register or a store of a register/imm. */
static int emulate_mov(struct emul *e)
{
    const struct x86_insn *insn = e->insn;
    unsigned int size = insn->op_size;
    struct operand rm;
    uint64_t value;
    int rc;

    if ((rc = rm_operand(e, size, &rm)) != 0)
        return rc;
    if (insn->reg_is_dst) {
        if ((rc = load(e, &rm, &value)) != 0)
            return rc;
        set_reg(e, insn->reg, size, value);
        return 0;
    }
    value = insn->imm_size ? immediate(e, size) : get_reg(e, insn->reg, size);
    return store(e, &rm, value);
}

/* MOVZX, MOVSX, MOVSXD: load src_size bytes, extend to op_size. */
static int emulate_extend(struct emul *e)
{
    const struct x86_insn *insn = e->insn;
    unsigned int from = insn->src_size;
    struct operand rm;
    uint64_t value;
    int rc;

    if ((rc = rm_operand(e, from, &rm)) != 0 || (rc = load(e, &rm, &value)) != 0)
        return rc;
    if (insn->kind != X86_MOVZX && (value & sign_bit(from)))
        value |= ~x86_size_mask(from);
    set_reg(e, insn->reg, insn->op_size, value);
    return 0;
}

/* XCHG with memory is locked whether or not LOCK is given (SDM vol. 2,
 * XCHG).  TEMP <- DEST; DEST <- SRC; SRC <- TEMP. */
static int emulate_xchg(struct emul *e)
{
    unsigned int size = e->insn->op_size;
    uint64_t src = get_reg(e, e->insn->reg, size), old, result, rflags;
    struct operand dst;
    int rc;

    if ((rc = rm_operand(e, size, &dst)) != 0)
        return rc;
    rc = read_modify_write(e, &dst, alu_take_src, true, true, src, &old, &result, &rflags);
    if (rc)
        return rc;
    if (!dst.is_mem)
        set_reg(e, dst.reg, size, result);
    set_reg(e, e->insn->reg, size, old);
    return 0;
}

/* XADD: TEMP <- SRC + DEST; SRC <- DEST; DEST <- TEMP (SDM vol. 2). */
static int emulate_xadd(struct emul *e)
{
    unsigned int size = e->insn->op_size;
    uint64_t src = get_reg(e, e->insn->reg, size), old, result, rflags;
    struct operand dst;
    int rc;

    if ((rc = rm_operand(e, size, &dst)) != 0)
        return rc;
    rc = read_modify_write(e, &dst, alu_add, true, e->insn->lock, src, &old, &result, &rflags);
    if (rc)
        return rc;
    set_reg(e, e->insn->reg, size, old);
    if (!dst.is_mem)
        set_reg(e, dst.reg, size, result);
    set_flags(e, rflags);
    return 0;
}

/*
 * CMPXCHG: compare the accumulator with DEST (flags as CMP acc, DEST); if
 * equal DEST <- SRC, else the accumulator <- DEST.  Each register is
 * written only when it changes: a successful 32-bit CMPXCHG keeps
 * RAX[63:32], and a failed one leaves DEST alone, as AMD specifies (APM
 * vol. 3, CMPXCHG); Intel's pseudocode writes DEST back instead.
 */
static int emulate_cmpxchg(struct emul *e)
{
    unsigned int size = e->insn->op_size;
    uint64_t acc = get_reg(e, GPR_RAX, size);
    uint64_t src = get_reg(e, e->insn->reg, size);
    uint64_t current = acc, rflags = e->regs->rflags, flags;
    bool equal;
    struct operand dst;
    int rc;

    if ((rc = rm_operand(e, size, &dst)) != 0)
        return rc;
    if (dst.is_mem) {
        if ((rc = cmpxchg_mem(e, &dst, &current, src, &equal)) != 0)
            return rc;
    } else {
        current = get_reg(e, dst.reg, size);
        equal = current == acc;
    }
    sub_flags(acc, current, 0, size, &flags);
    set_flags(e, merge_flags(rflags, F_ARITH, flags));
    if (!equal)
        set_reg(e, GPR_RAX, size, current);
    if (!dst.is_mem && equal)
        set_reg(e, dst.reg, size, src);
    return 0;
}

/* Two little-endian halves of 'half' bytes, the low one first. */
static void pack_pair(uint8_t *bytes, uint64_t lo, uint64_t hi, unsigned int half)
{
    memcpy(bytes, &lo, half);
    memcpy(bytes + half, &hi, half);
}

/*
 * CMPXCHG8B/16B: compare EDX:EAX (RDX:RAX) with m64 (m128); if equal store
 * ECX:EBX (RCX:RBX) and set ZF, else load the memory into EDX:EAX and clear
 * ZF.  Other flags are unaffected; m128 must be 16-byte aligned or #GP(0)
 * (SDM vol. 2, CMPXCHG8B/CMPXCHG16B).
 */
static int emulate_cmpxchg_double(struct emul *e)
{
    unsigned int size = e->insn->op_size, half = size / 2;
    uint8_t expected[16], replacement[16], seen[16];
    uint64_t lo = 0, hi = 0;
    struct operand dst;
    bool equal;
    int rc;

    if ((rc = rm_operand(e, size, &dst)) != 0)
        return rc;
    if (size == 16 && (dst.offset & 15))
        return -EINVAL;
    pack_pair(expected, get_reg(e, GPR_RAX, half), get_reg(e, GPR_RDX, half), half);
    pack_pair(replacement, get_reg(e, GPR_RBX, half), get_reg(e, GPR_RCX, half), half);
    memcpy(seen, expected, size);
    rc = e->ops->cmpxchg(e->ctx, (enum x86_seg)dst.seg, dst.offset, seen, replacement, size);
    if (rc)
        return rc;
    equal = memcmp(seen, expected, size) == 0;
    set_flags(e, merge_flags(e->regs->rflags, F_ZF, equal ? F_ZF : 0));
    if (!equal) {
        memcpy(&lo, seen, half);
        memcpy(&hi, seen + half, half);
        set_reg(e, GPR_RAX, half, lo);
        set_reg(e, GPR_RDX, half, hi);
    }
    return 0;
}

/* SETcc conditions, tttn encoding (SDM vol. 2, appendix B.1.4.7): the odd
 * code is the negation of the even one below it. */
static bool condition_holds(unsigned int cond, uint64_t rf)
{
    bool cf = rf & F_CF, zf = rf & F_ZF, sf = rf & F_SF, of = rf & F_OF, pf = rf & F_PF;
    bool holds;

    switch (cond >> 1) {
    case 0:  holds = of; break;                 /* O */
    case 1:  holds = cf; break;                 /* B/C */
    case 2:  holds = zf; break;                 /* E/Z */
    case 3:  holds = cf || zf; break;           /* BE */
    case 4:  holds = sf; break;                 /* S */
    case 5:  holds = pf; break;                 /* P */
    case 6:  holds = sf != of; break;           /* L */
    default: holds = zf || sf != of; break;     /* LE */
    }
    return (cond & 1) ? !holds : holds;
}

static int emulate_setcc(struct emul *e)
{
    struct operand dst;
    int rc;

    if ((rc = rm_operand(e, 1, &dst)) != 0)
        return rc;
    return store(e, &dst, condition_holds(e->insn->cond, e->regs->rflags));
}

/* ---- string instructions ------------------------------------------------ */

static bool uses_rsi(unsigned int kind)
{
    return kind == X86_MOVS || kind == X86_CMPS || kind == X86_LODS;
}

static bool uses_rdi(unsigned int kind)
{
    return kind == X86_MOVS || kind == X86_CMPS || kind == X86_STOS || kind == X86_SCAS;
}

/* rSI/rDI/rCX are address-sized: 16-bit updates merge, 32-bit ones
 * zero-extend, like any register write of that size. */
static uint64_t addr_reg(const struct emul *e, unsigned int reg)
{
    return e->regs->gpr[reg] & x86_size_mask(e->insn->addr_size);
}

static void set_addr_reg(struct emul *e, unsigned int reg, uint64_t value)
{
    set_reg(e, reg, e->insn->addr_size, value);
}

/* One element: memory first; registers (other than the pointers, which
 * the caller steps) and flags only once every access succeeded. */
static int string_element(struct emul *e)
{
    const struct x86_insn *insn = e->insn;
    unsigned int size = insn->op_size;
    uint64_t rsi = addr_reg(e, GPR_RSI), rdi = addr_reg(e, GPR_RDI);
    uint64_t a, b, flags;
    int rc;

    switch (insn->kind) {
    case X86_STOS:
        return write_mem(e, X86_SEG_ES, rdi, size, get_reg(e, GPR_RAX, size));
    case X86_LODS:
        if ((rc = read_mem(e, insn->mem.seg, rsi, size, &a)) != 0)
            return rc;
        set_reg(e, GPR_RAX, size, a);
        return 0;
    case X86_MOVS:
        if ((rc = read_mem(e, insn->mem.seg, rsi, size, &a)) != 0)
            return rc;
        return write_mem(e, X86_SEG_ES, rdi, size, a);
    case X86_CMPS:                              /* CMP DS:[rSI], ES:[rDI] */
        if ((rc = read_mem(e, insn->mem.seg, rsi, size, &a)) != 0 ||
            (rc = read_mem(e, X86_SEG_ES, rdi, size, &b)) != 0)
            return rc;
        break;
    default:                                    /* SCAS: CMP rAX, ES:[rDI] */
        if ((rc = read_mem(e, X86_SEG_ES, rdi, size, &b)) != 0)
            return rc;
        a = get_reg(e, GPR_RAX, size);
        break;
    }
    sub_flags(a, b, 0, size, &flags);
    set_flags(e, merge_flags(e->regs->rflags, F_ARITH, flags));
    return 0;
}

/* After an element of REPE/REPNE CMPS/SCAS: does the repeat stop on ZF? */
static bool rep_condition_ends(const struct emul *e)
{
    bool zf = e->regs->rflags & F_ZF;

    if (e->insn->kind != X86_CMPS && e->insn->kind != X86_SCAS)
        return false;
    return e->insn->rep == X86_REP_E ? !zf : zf;
}

static void step_pointers(struct emul *e)
{
    unsigned int kind = e->insn->kind;
    uint64_t step = e->insn->op_size;

    if (e->regs->rflags & F_DF)
        step = -step;                           /* DF = 1: addresses decrease */
    if (uses_rsi(kind))
        set_addr_reg(e, GPR_RSI, addr_reg(e, GPR_RSI) + step);
    if (uses_rdi(kind))
        set_addr_reg(e, GPR_RDI, addr_reg(e, GPR_RDI) + step);
}

/*
 * REP: repeat while rCX (address-sized) is not zero, decrementing it after
 * each element; REPE/REPNE CMPS/SCAS also stop on ZF (SDM vol. 2, REP).
 * At most X86_EMUL_REP_MAX_BYTES of elements per call; when the count is
 * not exhausted RIP stays, so the instruction resumes.
 */
static int emulate_string(struct emul *e)
{
    bool rep = e->insn->rep != X86_REP_NONE;
    uint64_t budget = X86_EMUL_REP_MAX_BYTES / e->insn->op_size;
    int rc;

    if (!rep) {
        if ((rc = string_element(e)) != 0)
            return rc;
        step_pointers(e);
        advance_rip(e);
        return 0;
    }
    while (addr_reg(e, GPR_RCX) != 0) {
        if (budget-- == 0)
            return 0;                           /* resume later, RIP unchanged */
        if ((rc = string_element(e)) != 0)
            return rc;
        step_pointers(e);
        set_addr_reg(e, GPR_RCX, addr_reg(e, GPR_RCX) - 1);
        if (rep_condition_ends(e))
            break;
    }
    advance_rip(e);
    return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

typedef int emulate_fn(struct emul *e);

/* Handlers that advance RIP themselves are marked in handles_rip(). */
static emulate_fn *const handlers[X86_NR_KINDS] = {
    [X86_MOV] = emulate_mov,        [X86_MOVNTI] = emulate_mov,
    [X86_MOVZX] = emulate_extend,   [X86_MOVSX] = emulate_extend,
    [X86_MOVSXD] = emulate_extend,
    [X86_XCHG] = emulate_xchg,      [X86_XADD] = emulate_xadd,
    [X86_CMPXCHG] = emulate_cmpxchg,
    [X86_CMPXCHG8B] = emulate_cmpxchg_double, [X86_CMPXCHG16B] = emulate_cmpxchg_double,
    [X86_ADD] = emulate_alu, [X86_OR] = emulate_alu,  [X86_ADC] = emulate_alu,
    [X86_SBB] = emulate_alu, [X86_AND] = emulate_alu, [X86_SUB] = emulate_alu,
    [X86_XOR] = emulate_alu, [X86_CMP] = emulate_alu, [X86_TEST] = emulate_alu,
    [X86_INC] = emulate_alu, [X86_DEC] = emulate_alu, [X86_NOT] = emulate_alu,
    [X86_NEG] = emulate_alu, [X86_BT] = emulate_alu,  [X86_BTS] = emulate_alu,
    [X86_BTR] = emulate_alu, [X86_BTC] = emulate_alu,
    [X86_SETCC] = emulate_setcc,
    [X86_MOVS] = emulate_string, [X86_CMPS] = emulate_string, [X86_STOS] = emulate_string,
    [X86_LODS] = emulate_string, [X86_SCAS] = emulate_string,
};

static bool is_string(unsigned int kind)
{
    return kind == X86_MOVS || kind == X86_CMPS || kind == X86_STOS || kind == X86_LODS ||
           kind == X86_SCAS;
}

int x86_emulate_memory(const struct x86_insn *insn, struct guest_regs *regs,
                       const struct x86_emul_ops *ops, void *ctx)
{
    struct emul e = { .insn = insn, .regs = regs, .ops = ops, .ctx = ctx };
    emulate_fn *handler = insn->kind < X86_NR_KINDS ? handlers[insn->kind] : NULL;
    int rc;

    if (!handler)
        return -EOPNOTSUPP;
    rc = handler(&e);
    if (rc == 0 && !is_string(insn->kind))
        advance_rip(&e);
    return rc;
}

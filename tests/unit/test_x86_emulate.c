/*
 * The memory-instruction emulator against the host CPU.
 *
 * Guest memory is a model with one or two windows of bytes at chosen guest
 * offsets, which can fault on reads, writes or a range, and can lose
 * cmpxchg races.  The ALU, BT*, XADD, CMPXCHG*, SETcc and string
 * instructions run natively (inline asm, RFLAGS loaded with POPF and read
 * back with PUSHF) on random and edge-case operands, and the emulator must
 * produce the same results and the same defined arithmetic flags.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/x86_decode.h>
#include <sv/x86_emulate.h>

#include "suites.h"

#define CF X86_RFLAGS_CF
#define PF X86_RFLAGS_PF
#define AF X86_RFLAGS_AF
#define ZF X86_RFLAGS_ZF
#define SF X86_RFLAGS_SF
#define DF X86_RFLAGS_DF
#define OF X86_RFLAGS_OF
#define ARITH X86_RFLAGS_ARITH
#define LOGIC (ARITH & ~AF)             /* AF is undefined after AND/OR/XOR/TEST */
#define RFLAGS_FIXED 0x2                /* bit 1 always reads as 1 */

#define RANDOM_CASES 3000               /* per operation, operand size and form */

/* Check's ck_assert*() records a location on every call (a write to the
 * parent in fork mode); the random loops use these instead, which cost
 * nothing until they fail. */
#define CHECK(cond, ...) \
    do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)
#define CHECK_EQ(a, b) \
    CHECK((a) == (b), "%s == %s: %#llx != %#llx", #a, #b, (unsigned long long)(a), \
          (unsigned long long)(b))

/* ---- random operands ---------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static void seed(uint64_t s)
{
    rng_state = s * 0x9E3779B97F4A7C15ull + 1;
}

static uint64_t mask_of(unsigned int size)
{
    return x86_size_mask(size);
}

/* Carry, overflow and adjust edges come from these more than from chance. */
static uint64_t operand(unsigned int size)
{
    uint64_t sign = (uint64_t)1 << (size * 8 - 1);
    uint64_t edges[] = { 0, 1, 2, 0xF, 0x10, sign, sign - 1, sign + 1, ~(uint64_t)0,
                         ~(uint64_t)0 - 1, 0x7F, 0x80, 0xFF, 0x8000, 0x7FFF };

    switch (rnd() % 4) {
    case 0:
        return edges[rnd() % ARRAY_SIZE(edges)] & mask_of(size);
    case 1:
        return (rnd() % 32) & mask_of(size);
    default:
        return rnd() & mask_of(size);
    }
}

static uint64_t random_arith_flags(void)
{
    return (rnd() & ARITH) | RFLAGS_FIXED;
}

static uint64_t sign_extend(uint64_t v, unsigned int size)
{
    uint64_t sign = (uint64_t)1 << (size * 8 - 1);

    v &= mask_of(size);
    return (v ^ sign) - sign;
}

/* ---- guest memory model ------------------------------------------------- */

struct window {
    uint64_t base;
    uint8_t *bytes;
    size_t size;
};

struct mem_model {
    struct window win[2];
    uint64_t fault_lo, fault_hi;        /* accesses touching [lo, hi) fault ... */
    bool fault_reads, fault_writes;     /* ... when of this kind */
    unsigned int races;                 /* cmpxchg loses this many races first */
    unsigned int reads, writes, cmpxchgs;
    int read_seg, write_seg;
};

static uint8_t *lookup(struct mem_model *m, uint64_t offset, unsigned int size)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(m->win); i++) {
        const struct window *w = &m->win[i];

        if (w->bytes && offset >= w->base && offset - w->base <= w->size &&
            size <= w->size - (offset - w->base))
            return w->bytes + (offset - w->base);
    }
    return NULL;
}

static bool in_fault_range(const struct mem_model *m, uint64_t offset, unsigned int size)
{
    return offset < m->fault_hi && offset + size > m->fault_lo;
}

static int model_read(void *ctx, enum x86_seg seg, uint64_t offset, void *buf, unsigned int size)
{
    struct mem_model *m = ctx;
    uint8_t *p = lookup(m, offset, size);

    m->reads++;
    m->read_seg = seg;
    if (!p || (m->fault_reads && in_fault_range(m, offset, size)))
        return -EFAULT;
    memcpy(buf, p, size);
    return 0;
}

static int model_write(void *ctx, enum x86_seg seg, uint64_t offset, const void *buf,
                       unsigned int size)
{
    struct mem_model *m = ctx;
    uint8_t *p = lookup(m, offset, size);

    m->writes++;
    m->write_seg = seg;
    if (!p || (m->fault_writes && in_fault_range(m, offset, size)))
        return -EFAULT;
    memcpy(p, buf, size);
    return 0;
}

static int model_cmpxchg(void *ctx, enum x86_seg seg, uint64_t offset, void *old,
                         const void *new, unsigned int size)
{
    struct mem_model *m = ctx;
    uint8_t *p = lookup(m, offset, size);

    m->cmpxchgs++;
    m->write_seg = seg;
    if (!p || (m->fault_writes && in_fault_range(m, offset, size)))
        return -EFAULT;
    if (m->races) {                     /* another CPU got there first */
        m->races--;
        p[0] ^= 0x5A;
    }
    if (memcmp(p, old, size) == 0)
        memcpy(p, new, size);
    else
        memcpy(old, p, size);
    return 0;
}

static const struct x86_emul_ops model_ops = {
    .read = model_read,
    .write = model_write,
    .cmpxchg = model_cmpxchg,
};

/* The helper for callers without an atomic primitive (device registers,
 * frames written only by the emulating CPU). */
START_TEST(cmpxchg_by_read_and_write)
{
    uint8_t bytes[32] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    struct mem_model m = { .win = { { 0x100, bytes, sizeof(bytes) } } };
    uint64_t old = 0x0807060504030201ull, new = 0x1111111111111111ull;

    ck_assert_int_eq(x86_emul_cmpxchg_by_rw(&model_ops, &m, X86_SEG_DS, 0x100, &old, &new, 8), 0);
    ck_assert_mem_eq(bytes, &new, 8);                   /* equal: written */
    old = 42;
    ck_assert_int_eq(x86_emul_cmpxchg_by_rw(&model_ops, &m, X86_SEG_DS, 0x100, &old, &new, 8), 0);
    ck_assert_uint_eq(old, new);                        /* not equal: old = what was there */
    ck_assert_uint_eq(m.writes, 1);
    uint8_t big[17] = { 0 };
    ck_assert_int_eq(x86_emul_cmpxchg_by_rw(&model_ops, &m, X86_SEG_DS, 0x100, big, big, 17), -EINVAL);
    m.fault_reads = true;
    m.fault_lo = 0x100;
    m.fault_hi = 0x108;
    ck_assert_int_eq(x86_emul_cmpxchg_by_rw(&model_ops, &m, X86_SEG_DS, 0x100, &old, &new, 8), -EFAULT);
    ck_assert_uint_eq(m.writes, 1);
}
END_TEST

#define GUEST_BASE 0x10000ull
#define ALU_SLOT (GUEST_BASE + 64)      /* where rbx points in ALU tests */

static uint8_t guest_bytes[4 * 4096 + 512];
static struct mem_model mem;

static void reset_memory(void)
{
    memset(&mem, 0, sizeof(mem));
    mem.win[0] = (struct window){ GUEST_BASE, guest_bytes, sizeof(guest_bytes) };
    for (size_t i = 0; i < sizeof(guest_bytes); i++)
        guest_bytes[i] = (uint8_t)(i * 7 + 3);
}

static uint8_t *guest(uint64_t offset)
{
    return guest_bytes + (offset - GUEST_BASE);
}

static uint64_t guest_load(uint64_t offset, unsigned int size)
{
    uint64_t v = 0;

    memcpy(&v, guest(offset), size);
    return v;
}

static void guest_store(uint64_t offset, unsigned int size, uint64_t v)
{
    memcpy(guest(offset), &v, size);
}

/* Every register holds garbage, so stray writes and missed zero-extension
 * show up. */
static struct guest_regs random_regs(void)
{
    struct guest_regs regs;

    for (unsigned int i = 0; i < NR_GPRS; i++)
        regs.gpr[i] = rnd();
    regs.rip = 0x400000 + (rnd() & 0xFFFF);
    regs.rflags = random_arith_flags();
    return regs;
}

static int emulate_in(enum x86_mode mode, const uint8_t *code, size_t len,
                      struct guest_regs *regs)
{
    struct x86_insn insn;
    int rc = x86_decode(code, len, mode, &insn);

    CHECK(rc == 0, "decode rc %d", rc);
    CHECK_EQ(insn.len, len);
    return x86_emulate_memory(&insn, regs, &model_ops, &mem);
}

#define EMULATE(mode, bytes, regs) \
    emulate_in(mode, (const uint8_t *)(bytes), sizeof(bytes) - 1, regs)

/* ---- native execution --------------------------------------------------- */

/* POPF/PUSHF around one instruction, below the red zone. */
#define WITH_FLAGS(insn) \
    "sub $128, %%rsp\n\tpush %[f]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpop %[f]\n\tadd $128, %%rsp"

typedef uint64_t native_fn(unsigned int size, uint64_t a, uint64_t b, uint64_t *flags);

#define NATIVE_BINARY_SIZED(op, sfx, type)                                              \
    do {                                                                                \
        type x = (type)a, y = (type)b;                                                  \
        __asm__ volatile(WITH_FLAGS(op sfx " %[y], %[x]")                               \
                         : [x] "+r"(x), [f] "+r"(f) : [y] "r"(y) : "cc", "memory");     \
        a = x;                                                                          \
    } while (0)

#define NATIVE_BINARY(op)                                                               \
    static uint64_t native_##op(unsigned int size, uint64_t a, uint64_t b, uint64_t *flags) \
    {                                                                                   \
        uint64_t f = *flags;                                                            \
        switch (size) {                                                                 \
        case 1: NATIVE_BINARY_SIZED(#op, "b", uint8_t); break;                          \
        case 2: NATIVE_BINARY_SIZED(#op, "w", uint16_t); break;                         \
        case 4: NATIVE_BINARY_SIZED(#op, "l", uint32_t); break;                         \
        default: NATIVE_BINARY_SIZED(#op, "q", uint64_t); break;                        \
        }                                                                               \
        *flags = f;                                                                     \
        return a;                                                                       \
    }

#define NATIVE_UNARY_SIZED(op, sfx, type)                                               \
    do {                                                                                \
        type x = (type)a;                                                               \
        __asm__ volatile(WITH_FLAGS(op sfx " %[x]")                                     \
                         : [x] "+r"(x), [f] "+r"(f) : : "cc", "memory");                \
        a = x;                                                                          \
    } while (0)

#define NATIVE_UNARY(op)                                                                \
    static uint64_t native_##op(unsigned int size, uint64_t a, uint64_t b, uint64_t *flags) \
    {                                                                                   \
        uint64_t f = *flags;                                                            \
        (void)b;                                                                        \
        switch (size) {                                                                 \
        case 1: NATIVE_UNARY_SIZED(#op, "b", uint8_t); break;                           \
        case 2: NATIVE_UNARY_SIZED(#op, "w", uint16_t); break;                          \
        case 4: NATIVE_UNARY_SIZED(#op, "l", uint32_t); break;                          \
        default: NATIVE_UNARY_SIZED(#op, "q", uint64_t); break;                         \
        }                                                                               \
        *flags = f;                                                                     \
        return a;                                                                       \
    }

NATIVE_BINARY(add)
NATIVE_BINARY(or)
NATIVE_BINARY(adc)
NATIVE_BINARY(sbb)
NATIVE_BINARY(and)
NATIVE_BINARY(sub)
NATIVE_BINARY(xor)
NATIVE_BINARY(cmp)
NATIVE_BINARY(test)
NATIVE_UNARY(inc)
NATIVE_UNARY(dec)
NATIVE_UNARY(not)
NATIVE_UNARY(neg)

/* ---- ALU: random operands against the CPU ------------------------------- */

struct alu_desc {
    const char *name;
    native_fn *native;
    uint64_t defined;           /* flags the manuals define after it */
    bool writes;                /* CMP and TEST only set flags */
    bool lockable;
    int16_t rm_reg;             /* "op r/m8, r8" (+1: wider), or -1 */
    int16_t reg_rm;             /* "op r8, r/m8" (+1: wider), or -1 */
    uint8_t imm_opcode;         /* 80 (group 1) or F6 (TEST), 0: none */
    uint8_t unary_opcode;       /* FE (INC/DEC) or F6 (NOT/NEG), 0: none */
    uint8_t digit;              /* ModRM.reg for the group forms */
};

static const struct alu_desc alu_descs[] = {
    { "add", native_add, ARITH, true, true, 0x00, 0x02, 0x80, 0, 0 },
    { "or", native_or, LOGIC, true, true, 0x08, 0x0A, 0x80, 0, 1 },
    { "adc", native_adc, ARITH, true, true, 0x10, 0x12, 0x80, 0, 2 },
    { "sbb", native_sbb, ARITH, true, true, 0x18, 0x1A, 0x80, 0, 3 },
    { "and", native_and, LOGIC, true, true, 0x20, 0x22, 0x80, 0, 4 },
    { "sub", native_sub, ARITH, true, true, 0x28, 0x2A, 0x80, 0, 5 },
    { "xor", native_xor, LOGIC, true, true, 0x30, 0x32, 0x80, 0, 6 },
    { "cmp", native_cmp, ARITH, false, false, 0x38, 0x3A, 0x80, 0, 7 },
    { "test", native_test, LOGIC, false, false, 0x84, -1, 0xF6, 0, 0 },
    { "inc", native_inc, ARITH, true, true, -1, -1, 0, 0xFE, 0 },
    { "dec", native_dec, ARITH, true, true, -1, -1, 0, 0xFE, 1 },
    { "not", native_not, ARITH, true, true, -1, -1, 0, 0xF6, 2 },
    { "neg", native_neg, ARITH, true, true, -1, -1, 0, 0xF6, 3 },
};

enum alu_form {
    FORM_RM_REG,                /* op [rbx], cl/cx/ecx/rcx */
    FORM_REG_RM,                /* op cl/cx/ecx/rcx, [rbx] */
    FORM_IMM,                   /* op [rbx], imm8/16/32 */
    FORM_IMM8,                  /* op [rbx], simm8 (83) */
    FORM_UNARY,                 /* op [rbx] */
    NR_FORMS
};

static const char *const form_names[] = { "r/m,reg", "reg,r/m", "r/m,imm", "r/m,simm8", "r/m" };

static bool form_applies(const struct alu_desc *d, enum alu_form form, unsigned int size)
{
    switch (form) {
    case FORM_RM_REG: return d->rm_reg >= 0;
    case FORM_REG_RM: return d->reg_rm >= 0;
    case FORM_IMM:    return d->imm_opcode != 0;
    case FORM_IMM8:   return d->imm_opcode == 0x80 && size > 1;
    default:          return d->unary_opcode != 0;
    }
}

struct encoded {
    uint8_t bytes[16];
    size_t len;
};

static void emit(struct encoded *e, uint8_t b)
{
    e->bytes[e->len++] = b;
}

static void emit_le(struct encoded *e, uint64_t v, unsigned int size)
{
    for (unsigned int i = 0; i < size; i++)
        emit(e, (uint8_t)(v >> (8 * i)));
}

/* 64-bit code; the memory operand is [rbx] (ModRM rm = 3), the register
 * operand rcx (reg = 1). */
static struct encoded encode_alu(const struct alu_desc *d, enum alu_form form, unsigned int size,
                                 bool lock, uint64_t imm)
{
    struct encoded e = { .len = 0 };
    uint8_t wide = size > 1;

    if (lock)
        emit(&e, 0xF0);
    if (size == 2)
        emit(&e, 0x66);
    if (size == 8)
        emit(&e, 0x48);
    switch (form) {
    case FORM_RM_REG:
        emit(&e, (uint8_t)(d->rm_reg + wide));
        emit(&e, 0x0B);
        break;
    case FORM_REG_RM:
        emit(&e, (uint8_t)(d->reg_rm + wide));
        emit(&e, 0x0B);
        break;
    case FORM_IMM:
        emit(&e, (uint8_t)(d->imm_opcode + wide));
        emit(&e, (uint8_t)(d->digit << 3 | 3));
        emit_le(&e, imm, size > 4 ? 4 : size);
        break;
    case FORM_IMM8:
        emit(&e, 0x83);
        emit(&e, (uint8_t)(d->digit << 3 | 3));
        emit_le(&e, imm, 1);
        break;
    default:
        emit(&e, (uint8_t)(d->unary_opcode + wide));
        emit(&e, (uint8_t)(d->digit << 3 | 3));
        break;
    }
    return e;
}

/* The source an immediate form can express. */
static uint64_t representable_source(enum alu_form form, unsigned int size, uint64_t b)
{
    if (form == FORM_IMM8)
        return sign_extend(b, 1) & mask_of(size);
    if (form == FORM_IMM && size == 8)
        return sign_extend(b, 4);
    return b;
}

static uint64_t merged(uint64_t old, uint64_t value, unsigned int size)
{
    if (size == 4)
        return value & 0xFFFFFFFF;
    return (old & ~mask_of(size)) | (value & mask_of(size));
}

static void run_alu_case(const struct alu_desc *d, enum alu_form form, unsigned int size,
                         bool lock)
{
    uint64_t a = operand(size);
    uint64_t b = representable_source(form, size, operand(size));
    uint64_t fin = random_arith_flags(), fout = fin;
    uint64_t want = d->native(size, a, b, &fout);
    struct encoded code = encode_alu(d, form, size, lock, b);
    struct guest_regs regs = random_regs(), before;
    uint64_t stored;
    int rc;

    regs.gpr[GPR_RBX] = ALU_SLOT;
    regs.rflags = fin;
    if (form == FORM_REG_RM) {
        regs.gpr[GPR_RCX] = merged(regs.gpr[GPR_RCX], a, size);
        guest_store(ALU_SLOT, size, b);
    } else {
        regs.gpr[GPR_RCX] = merged(regs.gpr[GPR_RCX], b, size);
        guest_store(ALU_SLOT, size, a);
    }
    before = regs;
    mem.reads = mem.writes = mem.cmpxchgs = 0;

    rc = emulate_in(X86_MODE_64, code.bytes, code.len, &regs);
    CHECK(rc == 0, "%s %s size %u: rc %d", d->name, form_names[form], size, rc);

    CHECK((regs.rflags & d->defined) == (fout & d->defined),
          "%s%s %s size %u a=%llx b=%llx fin=%llx: flags %llx want %llx",
          lock ? "lock " : "", d->name, form_names[form], size, (unsigned long long)a,
          (unsigned long long)b, (unsigned long long)fin, (unsigned long long)regs.rflags,
          (unsigned long long)fout);
    CHECK_EQ(regs.rflags & ~ARITH, fin & ~ARITH);
    CHECK_EQ(regs.rip, before.rip + code.len);
    if (form == FORM_REG_RM) {
        uint64_t rcx = d->writes ? merged(before.gpr[GPR_RCX], want, size) : before.gpr[GPR_RCX];

        CHECK(regs.gpr[GPR_RCX] == rcx, "%s reg,r/m size %u: rcx %llx want %llx",
              d->name, size, (unsigned long long)regs.gpr[GPR_RCX],
              (unsigned long long)rcx);
        CHECK_EQ(guest_load(ALU_SLOT, size), b);
    } else {
        stored = guest_load(ALU_SLOT, size);
        CHECK(stored == (d->writes ? want & mask_of(size) : a),
              "%s %s size %u a=%llx b=%llx: memory %llx want %llx", d->name,
              form_names[form], size, (unsigned long long)a, (unsigned long long)b,
              (unsigned long long)stored, (unsigned long long)want);
        CHECK_EQ(regs.gpr[GPR_RCX], before.gpr[GPR_RCX]);
        /* a LOCKed write goes through cmpxchg, an unlocked one through write */
        CHECK_EQ(mem.cmpxchgs, lock && d->writes ? 1 : 0);
        CHECK_EQ(mem.writes, !lock && d->writes ? 1 : 0);
    }
    for (unsigned int r = 0; r < NR_GPRS; r++)
        if (r != GPR_RCX)
            CHECK_EQ(regs.gpr[r], before.gpr[r]);
}

START_TEST(alu_matches_the_cpu)
{
    static const unsigned int sizes[] = { 1, 2, 4, 8 };
    const struct alu_desc *d = &alu_descs[_i];

    seed(_i + 1);
    reset_memory();
    for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
        for (unsigned int form = 0; form < NR_FORMS; form++) {
            if (!form_applies(d, form, sizes[s]))
                continue;
            for (unsigned int n = 0; n < RANDOM_CASES; n++) {
                bool lock = d->lockable && form != FORM_REG_RM && (n & 1);

                run_alu_case(d, form, sizes[s], lock);
            }
        }
    }
}
END_TEST

/* ---- BT, BTS, BTR, BTC -------------------------------------------------- */

enum bt_op { BT, BTS, BTR, BTC };

#define NATIVE_BT_REG(insn, type)                                                       \
    do {                                                                                \
        type x = (type)*base, y = (type)offset;                                         \
        __asm__ volatile(WITH_FLAGS(insn " %[y], %[x]")                                 \
                         : [x] "+r"(x), [f] "+r"(f) : [y] "r"(y) : "cc", "memory");     \
        *base = x;                                                                      \
    } while (0)

#define NATIVE_BT_SIZES(op, base_fn)                                                    \
    switch (size) {                                                                     \
    case 2: base_fn(op "w", uint16_t); break;                                           \
    case 4: base_fn(op "l", uint32_t); break;                                           \
    default: base_fn(op "q", uint64_t); break;                                          \
    }

/* Register base: the offset counts modulo the width. */
static uint64_t native_bt_reg(enum bt_op op, unsigned int size, uint64_t *base, uint64_t offset)
{
    uint64_t f = RFLAGS_FIXED;

    switch (op) {
    case BT:  NATIVE_BT_SIZES("bt", NATIVE_BT_REG); break;
    case BTS: NATIVE_BT_SIZES("bts", NATIVE_BT_REG); break;
    case BTR: NATIVE_BT_SIZES("btr", NATIVE_BT_REG); break;
    default:  NATIVE_BT_SIZES("btc", NATIVE_BT_REG); break;
    }
    return f;
}

#define NATIVE_BT_MEM(insn, type)                                                       \
    do {                                                                                \
        type y = (type)offset;                                                          \
        __asm__ volatile(WITH_FLAGS(insn " %[y], (%[p])")                               \
                         : [f] "+r"(f) : [y] "r"(y), [p] "r"(p) : "cc", "memory");      \
    } while (0)

/* Memory base: a signed register offset may reach outside the operand. */
static uint64_t native_bt_mem(enum bt_op op, unsigned int size, uint8_t *p, uint64_t offset)
{
    uint64_t f = RFLAGS_FIXED;

    switch (op) {
    case BT:  NATIVE_BT_SIZES("bt", NATIVE_BT_MEM); break;
    case BTS: NATIVE_BT_SIZES("bts", NATIVE_BT_MEM); break;
    case BTR: NATIVE_BT_SIZES("btr", NATIVE_BT_MEM); break;
    default:  NATIVE_BT_SIZES("btc", NATIVE_BT_MEM); break;
    }
    return f;
}

static const uint8_t bt_opcodes[] = { 0xA3, 0xAB, 0xB3, 0xBB };     /* 0F xx */

static struct encoded encode_bt(enum bt_op op, unsigned int size, uint8_t modrm, int imm)
{
    struct encoded e = { .len = 0 };

    if (size == 2)
        emit(&e, 0x66);
    if (size == 8)
        emit(&e, 0x48);
    emit(&e, 0x0F);
    if (imm >= 0) {                     /* 0F BA /4-/7 ib */
        emit(&e, 0xBA);
        emit(&e, (uint8_t)((4 + op) << 3 | (modrm & 0xC7)));
        emit(&e, (uint8_t)imm);
    } else {
        emit(&e, bt_opcodes[op]);
        emit(&e, modrm);
    }
    return e;
}

START_TEST(bit_tests_match_the_cpu)
{
    static const unsigned int sizes[] = { 2, 4, 8 };
    static uint8_t native_mem[512] __attribute__((aligned(16)));
    enum bt_op op = (enum bt_op)_i;

    seed(100 + _i);
    reset_memory();
    for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
        unsigned int size = sizes[s];

        for (unsigned int n = 0; n < RANDOM_CASES; n++) {
            struct guest_regs regs = random_regs(), before;
            uint64_t fin = regs.rflags, base = operand(size), offset;
            uint64_t fout;
            struct encoded code;

            /* register base: bt %rcx, %rbx */
            offset = rnd();
            regs.gpr[GPR_RBX] = base;
            regs.gpr[GPR_RCX] = offset;
            before = regs;
            fout = native_bt_reg(op, size, &base, offset);
            code = encode_bt(op, size, 0xCB, -1);
            CHECK_EQ(emulate_in(X86_MODE_64, code.bytes, code.len, &regs), 0);
            CHECK_EQ(regs.rflags & CF, fout & CF);
            CHECK_EQ(regs.rflags & ~CF, fin & ~CF);
            CHECK_EQ(regs.gpr[GPR_RBX],
                     op == BT ? before.gpr[GPR_RBX] : merged(before.gpr[GPR_RBX], base, size));

            /* memory base, register offset in [-2048, 2048) bits: bt %rcx, (%rbx) */
            for (size_t i = 0; i < sizeof(native_mem); i++)
                native_mem[i] = (uint8_t)rnd();
            memcpy(guest(GUEST_BASE), native_mem, sizeof(native_mem));
            offset = (uint64_t)((int64_t)(rnd() % 4096) - 2048);
            if (size == 2)
                offset = (uint64_t)((int64_t)(rnd() % 2048) - 1024);
            regs = random_regs();
            fin = regs.rflags;
            regs.gpr[GPR_RBX] = GUEST_BASE + 256;
            regs.gpr[GPR_RCX] = (regs.gpr[GPR_RCX] & ~mask_of(size)) | (offset & mask_of(size));
            fout = native_bt_mem(op, size, native_mem + 256, offset);
            code = encode_bt(op, size, 0x0B, -1);
            CHECK_EQ(emulate_in(X86_MODE_64, code.bytes, code.len, &regs), 0);
            CHECK((regs.rflags & CF) == (fout & CF), "bt%d size %u offset %lld", op,
                  size, (long long)offset);
            CHECK_EQ(memcmp(guest(GUEST_BASE), native_mem, sizeof(native_mem)), 0);

            /* memory base, imm8 offset: modulo the width, no displacement */
            int imm = (int)(rnd() & 0xFF);
            unsigned int bit = (unsigned int)imm % (size * 8);
            uint64_t word = guest_load(GUEST_BASE + 256, size);
            regs = random_regs();
            fin = regs.rflags;
            regs.gpr[GPR_RBX] = GUEST_BASE + 256;
            code = encode_bt(op, size, 0x03, imm);
            CHECK_EQ(emulate_in(X86_MODE_64, code.bytes, code.len, &regs), 0);
            CHECK_EQ(regs.rflags & CF, (word >> bit) & 1);
            uint64_t m = (uint64_t)1 << bit;
            uint64_t want = op == BT ? word : op == BTS ? word | m
                          : op == BTR ? word & ~m : word ^ m;
            CHECK_EQ(guest_load(GUEST_BASE + 256, size), want);
        }
    }
}
END_TEST

/* ---- XADD, CMPXCHG, CMPXCHG8B/16B --------------------------------------- */

#define NATIVE_XADD(sfx, type)                                                          \
    do {                                                                                \
        type x = (type)*dst, y = (type)*src;                                            \
        __asm__ volatile(WITH_FLAGS("xadd" sfx " %[y], %[x]")                           \
                         : [x] "+r"(x), [y] "+r"(y), [f] "+r"(f) : : "cc", "memory");   \
        *dst = x;                                                                       \
        *src = y;                                                                       \
    } while (0)

static uint64_t native_xadd(unsigned int size, uint64_t *dst, uint64_t *src, uint64_t f)
{
    switch (size) {
    case 1: NATIVE_XADD("b", uint8_t); break;
    case 2: NATIVE_XADD("w", uint16_t); break;
    case 4: NATIVE_XADD("l", uint32_t); break;
    default: NATIVE_XADD("q", uint64_t); break;
    }
    return f;
}

START_TEST(xadd_matches_the_cpu)
{
    static const unsigned int sizes[] = { 1, 2, 4, 8 };

    seed(200);
    reset_memory();
    for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
        unsigned int size = sizes[s];

        for (unsigned int n = 0; n < RANDOM_CASES; n++) {
            struct guest_regs regs = random_regs(), before;
            uint64_t dst = operand(size), src = operand(size), fout;
            struct encoded code = { .len = 0 };

            if (n & 1)
                emit(&code, 0xF0);
            if (size == 2)
                emit(&code, 0x66);
            if (size == 8)
                emit(&code, 0x48);
            emit(&code, 0x0F);
            emit(&code, size == 1 ? 0xC0 : 0xC1);
            emit(&code, 0x0B);                          /* xadd %rcx, (%rbx) */
            regs.gpr[GPR_RBX] = ALU_SLOT;
            regs.gpr[GPR_RCX] = merged(regs.gpr[GPR_RCX], src, size);
            guest_store(ALU_SLOT, size, dst);
            before = regs;
            fout = native_xadd(size, &dst, &src, regs.rflags);
            CHECK_EQ(emulate_in(X86_MODE_64, code.bytes, code.len, &regs), 0);
            CHECK_EQ(guest_load(ALU_SLOT, size), dst & mask_of(size));
            CHECK_EQ(regs.gpr[GPR_RCX], merged(before.gpr[GPR_RCX], src, size));
            CHECK_EQ(regs.rflags & ARITH, fout & ARITH);
        }
    }
}
END_TEST

#define NATIVE_CMPXCHG_MEM(sfx, mod)                                                    \
    __asm__ volatile(WITH_FLAGS("lock cmpxchg" sfx " %" mod "[s], (%[p])")              \
                     : "+a"(*rax), [f] "+r"(f) : [s] "r"(src), [p] "r"(p) : "cc", "memory")

/* lock cmpxchg %src, (p) with the whole 64-bit RAX. */
static uint64_t native_cmpxchg_mem(unsigned int size, uint64_t *rax, uint64_t src, void *p,
                                   uint64_t f)
{
    switch (size) {
    case 1: NATIVE_CMPXCHG_MEM("b", "b"); break;
    case 2: NATIVE_CMPXCHG_MEM("w", "w"); break;
    case 4: NATIVE_CMPXCHG_MEM("l", "k"); break;
    default: NATIVE_CMPXCHG_MEM("q", "q"); break;
    }
    return f;
}

#define NATIVE_CMPXCHG_REG(sfx, mod)                                                    \
    __asm__ volatile(WITH_FLAGS("cmpxchg" sfx " %" mod "[s], %" mod "[d]")              \
                     : "+a"(*rax), [d] "+r"(*dst), [f] "+r"(f) : [s] "r"(src) : "cc", "memory")

/* cmpxchg %src, %dst with whole 64-bit registers (upper halves visible). */
static uint64_t native_cmpxchg_reg(unsigned int size, uint64_t *rax, uint64_t *dst, uint64_t src,
                                   uint64_t f)
{
    switch (size) {
    case 2: NATIVE_CMPXCHG_REG("w", "w"); break;
    case 4: NATIVE_CMPXCHG_REG("l", "k"); break;
    default: NATIVE_CMPXCHG_REG("q", "q"); break;
    }
    return f;
}

START_TEST(cmpxchg_matches_the_cpu)
{
    static const unsigned int sizes[] = { 1, 2, 4, 8 };
    static uint8_t native_mem[16] __attribute__((aligned(16)));

    seed(300);
    reset_memory();
    for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
        unsigned int size = sizes[s];

        for (unsigned int n = 0; n < RANDOM_CASES; n++) {
            struct guest_regs regs = random_regs();
            uint64_t mem_value = operand(size), src = rnd(), rax = rnd(), fout;
            struct encoded code = { .len = 0 };

            if (n % 3)                                  /* mostly equal */
                rax = (rax & ~mask_of(size)) | mem_value;
            if (n & 1)
                emit(&code, 0xF0);
            if (size == 2)
                emit(&code, 0x66);
            if (size == 8)
                emit(&code, 0x48);
            emit(&code, 0x0F);
            emit(&code, size == 1 ? 0xB0 : 0xB1);
            emit(&code, 0x0B);                          /* cmpxchg %rcx, (%rbx) */
            regs.gpr[GPR_RAX] = rax;
            regs.gpr[GPR_RBX] = ALU_SLOT;
            regs.gpr[GPR_RCX] = src;
            guest_store(ALU_SLOT, size, mem_value);
            memcpy(native_mem, &mem_value, sizeof(mem_value));
            fout = native_cmpxchg_mem(size, &rax, src, native_mem, regs.rflags);
            CHECK_EQ(emulate_in(X86_MODE_64, code.bytes, code.len, &regs), 0);
            CHECK_EQ(memcmp(guest(ALU_SLOT), native_mem, size), 0);
            CHECK(regs.gpr[GPR_RAX] == rax, "cmpxchg size %u: rax %llx want %llx", size,
                  (unsigned long long)regs.gpr[GPR_RAX], (unsigned long long)rax);
            CHECK_EQ(regs.rflags & ARITH, fout & ARITH);
            CHECK_EQ(mem.cmpxchgs > 0, 1);

            if (size == 1)
                continue;
            /* register destination: cmpxchg %rcx, %rdx */
            uint64_t dst = rnd();
            regs = random_regs();
            rax = regs.gpr[GPR_RAX];
            if (n % 3)
                rax = (rax & ~mask_of(size)) | (dst & mask_of(size));
            regs.gpr[GPR_RAX] = rax;
            regs.gpr[GPR_RDX] = dst;
            src = regs.gpr[GPR_RCX];
            code.len = 0;
            if (size == 2)
                emit(&code, 0x66);
            if (size == 8)
                emit(&code, 0x48);
            emit(&code, 0x0F);
            emit(&code, 0xB1);
            emit(&code, 0xCA);
            uint64_t dst_before = dst;
            fout = native_cmpxchg_reg(size, &rax, &dst, src, regs.rflags);
            CHECK_EQ(emulate_in(X86_MODE_64, code.bytes, code.len, &regs), 0);
            CHECK_EQ(regs.gpr[GPR_RAX], rax);
            CHECK_EQ(regs.rflags & ARITH, fout & ARITH);
            /* A failed compare leaves DEST alone on AMD; Intel writes it
             * back (zero-extending a 32-bit one).  The emulator does what
             * AMD does, so only its low half must match another host. */
            CHECK_EQ(regs.gpr[GPR_RDX], (fout & ZF) ? dst : dst_before);
            CHECK_EQ(regs.gpr[GPR_RDX] & mask_of(size), dst & mask_of(size));
        }
    }
}
END_TEST

struct pair {
    uint64_t rax, rdx, rbx, rcx;
};

static uint64_t native_cmpxchg8b(struct pair *r, void *p, uint64_t f)
{
    __asm__ volatile(WITH_FLAGS("lock cmpxchg8b (%[p])")
                     : "+a"(r->rax), "+d"(r->rdx), [f] "+r"(f)
                     : "b"(r->rbx), "c"(r->rcx), [p] "r"(p) : "cc", "memory");
    return f;
}

static uint64_t native_cmpxchg16b(struct pair *r, void *p, uint64_t f)
{
    __asm__ volatile(WITH_FLAGS("lock cmpxchg16b (%[p])")
                     : "+a"(r->rax), "+d"(r->rdx), [f] "+r"(f)
                     : "b"(r->rbx), "c"(r->rcx), [p] "r"(p) : "cc", "memory");
    return f;
}

START_TEST(cmpxchg8b_and_16b_match_the_cpu)
{
    static uint8_t native_mem[16] __attribute__((aligned(16)));

    seed(400);
    reset_memory();
    for (unsigned int n = 0; n < 2 * RANDOM_CASES; n++) {
        bool wide = n & 1;
        unsigned int size = wide ? 16 : 8, half = size / 2;
        struct guest_regs regs = random_regs();
        struct pair r = { rnd(), rnd(), rnd(), rnd() };
        uint64_t fout;

        for (unsigned int i = 0; i < size; i++)
            native_mem[i] = (uint8_t)rnd();
        if (n % 3) {                                /* make EDX:EAX match */
            uint64_t lo = 0, hi = 0;

            memcpy(&lo, native_mem, half);
            memcpy(&hi, native_mem + half, half);
            r.rax = (r.rax & ~mask_of(half)) | lo;
            r.rdx = (r.rdx & ~mask_of(half)) | hi;
            if (n % 7 == 0)
                r.rdx ^= (uint64_t)1 << (half * 8 - 1);     /* miss in the top bit */
        }
        regs.gpr[GPR_RAX] = r.rax;
        regs.gpr[GPR_RDX] = r.rdx;
        regs.gpr[GPR_RBX] = r.rbx;
        regs.gpr[GPR_RCX] = r.rcx;
        regs.gpr[GPR_RSI] = ALU_SLOT;
        memcpy(guest(ALU_SLOT), native_mem, size);
        fout = wide ? native_cmpxchg16b(&r, native_mem, regs.rflags)
                    : native_cmpxchg8b(&r, native_mem, regs.rflags);
        if (wide)
            CHECK_EQ(EMULATE(X86_MODE_64, "\xf0\x48\x0f\xc7\x0e", &regs), 0);
        else
            CHECK_EQ(EMULATE(X86_MODE_64, "\xf0\x0f\xc7\x0e", &regs), 0);
        CHECK_EQ(memcmp(guest(ALU_SLOT), native_mem, size), 0);
        CHECK_EQ(regs.gpr[GPR_RAX], r.rax);
        CHECK_EQ(regs.gpr[GPR_RDX], r.rdx);
        CHECK_EQ(regs.gpr[GPR_RBX], r.rbx);
        CHECK_EQ(regs.gpr[GPR_RCX], r.rcx);
        CHECK_EQ(regs.rflags & ZF, fout & ZF);
    }
}
END_TEST

/* CMPXCHG16B needs a 16-byte aligned operand, else #GP(0) (SDM vol. 2). */
START_TEST(cmpxchg16b_misaligned_is_gp)
{
    struct guest_regs regs, before;

    seed(401);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RSI] = ALU_SLOT + 8;
    before = regs;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x48\x0f\xc7\x0e", &regs), -EINVAL);
    ck_assert_int_eq(memcmp(&regs, &before, sizeof(regs)), 0);
    ck_assert_uint_eq(mem.cmpxchgs, 0);
    regs.gpr[GPR_RSI] = ALU_SLOT + 8;           /* CMPXCHG8B has no such rule */
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x0f\xc7\x0e", &regs), 0);
}
END_TEST

/* ---- SETcc -------------------------------------------------------------- */

#define NATIVE_SETCC(cc)                                                                \
    case cc:                                                                            \
        __asm__ volatile("sub $128, %%rsp\n\tpush %[f]\n\tpopfq\n\t"                     \
                         ".byte 0x0f, 0x90 + " #cc ", 0xc0\n\t"   /* setcc %al */        \
                         "add $128, %%rsp"                                              \
                         : "=a"(r) : [f] "r"(f) : "cc", "memory");                      \
        break;

static uint8_t native_setcc(unsigned int cc, uint64_t f)
{
    uint64_t r = 0;

    switch (cc) {
    NATIVE_SETCC(0) NATIVE_SETCC(1) NATIVE_SETCC(2) NATIVE_SETCC(3)
    NATIVE_SETCC(4) NATIVE_SETCC(5) NATIVE_SETCC(6) NATIVE_SETCC(7)
    NATIVE_SETCC(8) NATIVE_SETCC(9) NATIVE_SETCC(10) NATIVE_SETCC(11)
    NATIVE_SETCC(12) NATIVE_SETCC(13) NATIVE_SETCC(14) NATIVE_SETCC(15)
    }
    return (uint8_t)r;
}

START_TEST(setcc_matches_the_cpu)
{
    seed(500);
    reset_memory();
    for (unsigned int cc = 0; cc < 16; cc++) {
        for (unsigned int n = 0; n < 256; n++) {
            struct guest_regs regs = random_regs();
            uint8_t code[] = { 0x0F, (uint8_t)(0x90 + cc), 0x03 };  /* setcc (%rbx) */

            regs.rflags = (n & ARITH) | RFLAGS_FIXED;
            regs.gpr[GPR_RBX] = ALU_SLOT;
            guest_store(ALU_SLOT, 1, 0xAA);
            CHECK_EQ(emulate_in(X86_MODE_64, code, sizeof(code), &regs), 0);
            CHECK_EQ(guest_load(ALU_SLOT, 1), native_setcc(cc, regs.rflags));
        }
    }
}
END_TEST

/* ---- moves -------------------------------------------------------------- */

START_TEST(mov_loads_and_register_writes)
{
    struct guest_regs regs;

    seed(600);
    reset_memory();
    guest_store(ALU_SLOT, 8, 0x8877665544332211ull);
    regs = random_regs();
    regs.gpr[GPR_RBX] = ALU_SLOT;
    regs.gpr[GPR_RCX] = 0xFFFFFFFFFFFFFFFFull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x8b\x0b", &regs), 0);         /* 32-bit zero-extends */
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x44332211);
    regs.gpr[GPR_RCX] = 0xFFFFFFFFFFFFFFFFull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x66\x8b\x0b", &regs), 0);     /* 16-bit merges */
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0xFFFFFFFFFFFF2211ull);
    regs.gpr[GPR_RCX] = 0xFFFFFFFFFFFFFFFFull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x8a\x2b", &regs), 0);         /* mov (%rbx),%ch */
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0xFFFFFFFFFFFF11FFull);
    regs.gpr[GPR_RBP] = 0xFFFFFFFFFFFFFFFFull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x40\x8a\x2b", &regs), 0);     /* mov (%rbx),%bpl */
    ck_assert_uint_eq(regs.gpr[GPR_RBP], 0xFFFFFFFFFFFFFF11ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x4c\x8b\x03", &regs), 0);     /* mov (%rbx),%r8 */
    ck_assert_uint_eq(regs.gpr[GPR_R8], 0x8877665544332211ull);
    regs.gpr[GPR_RDX] = 0;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x0f\xbe\x53\x07", &regs), 0); /* movsbl 7(%rbx) */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0xFFFFFF88ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x48\x0f\xbf\x53\x06", &regs), 0); /* movswq 6(%rbx) */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0xFFFFFFFFFFFF8877ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x0f\xb7\x53\x06", &regs), 0); /* movzwl */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0x8877);
    regs.gpr[GPR_RDX] = 0x1234567812345678ull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x66\x0f\xb6\x53\x07", &regs), 0); /* movzbw */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0x1234567812340088ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x48\x63\x53\x04", &regs), 0); /* movslq 4(%rbx) */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0xFFFFFFFF88776655ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x63\x53\x04", &regs), 0);     /* movsxd r32: a move */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0x88776655ull);
    regs.gpr[GPR_RAX] = 0x1111111111111111ull;
    regs.gpr[GPR_RDI] = 0;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x0f\xb6\xfc", &regs), 0);     /* movzbl %ah,%edi */
    ck_assert_uint_eq(regs.gpr[GPR_RDI], 0x11);
    /* moffs: movabs 0x10040,%rax */
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x48\xa1\x40\x00\x01\x00\x00\x00\x00\x00", &regs), 0);
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0x8877665544332211ull);
}
END_TEST

START_TEST(mov_stores)
{
    struct guest_regs regs;

    seed(601);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RBX] = ALU_SLOT;
    regs.gpr[GPR_RAX] = 0x0102030405060708ull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x88\x23", &regs), 0);         /* mov %ah,(%rbx) */
    ck_assert_uint_eq(guest_load(ALU_SLOT, 1), 0x07);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x40\x88\x23", &regs), 0);     /* mov %spl,(%rbx) */
    ck_assert_uint_eq(guest_load(ALU_SLOT, 1), regs.gpr[GPR_RSP] & 0xFF);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x48\x89\x43\x08", &regs), 0);
    ck_assert_uint_eq(guest_load(ALU_SLOT + 8, 8), 0x0102030405060708ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x48\xc7\x03\xfe\xff\xff\xff", &regs), 0);
    ck_assert_uint_eq(guest_load(ALU_SLOT, 8), 0xFFFFFFFFFFFFFFFEull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x66\xc7\x03\x34\x12", &regs), 0);
    ck_assert_uint_eq(guest_load(ALU_SLOT, 8), 0xFFFFFFFFFFFF1234ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xc6\x43\x07\x5a", &regs), 0);
    ck_assert_uint_eq(guest_load(ALU_SLOT, 8), 0x5AFFFFFFFFFF1234ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x0f\xc3\x03", &regs), 0);     /* movnti %eax */
    ck_assert_uint_eq(guest_load(ALU_SLOT, 8), 0x5AFFFFFF05060708ull);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xa2\x40\x00\x01\x00\x00\x00\x00\x00", &regs), 0);
    ck_assert_uint_eq(guest_load(ALU_SLOT, 1), 0x08);
    ck_assert_int_eq(mem.writes, 8);
    ck_assert_int_eq(mem.reads, 0);
}
END_TEST

/* The segment reaches the callbacks: overrides, SS for rBP, ES for rDI. */
START_TEST(segments_reach_the_callbacks)
{
    struct guest_regs regs;

    seed(602);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RBX] = regs.gpr[GPR_RBP] = regs.gpr[GPR_RSI] = regs.gpr[GPR_RDI] = ALU_SLOT;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x64\x8b\x03", &regs), 0);
    ck_assert_int_eq(mem.read_seg, X86_SEG_FS);
    ck_assert_int_eq(EMULATE(X86_MODE_32, "\x89\x45\x00", &regs), 0);
    ck_assert_int_eq(mem.write_seg, X86_SEG_SS);
    ck_assert_int_eq(EMULATE(X86_MODE_32, "\x2e\x87\x03", &regs), 0);     /* xchg %eax,%cs:(%ebx) */
    ck_assert_int_eq(mem.write_seg, X86_SEG_CS);
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x65\xa4", &regs), 0);         /* movsb %gs:(%rsi) */
    ck_assert_int_eq(mem.read_seg, X86_SEG_GS);
    ck_assert_int_eq(mem.write_seg, X86_SEG_ES);
}
END_TEST

START_TEST(xchg_is_locked)
{
    struct guest_regs regs, before;

    seed(603);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RBX] = ALU_SLOT;
    guest_store(ALU_SLOT, 8, 0x1122334455667788ull);
    before = regs;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x87\x0b", &regs), 0);         /* xchg %ecx,(%rbx) */
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x55667788);
    ck_assert_uint_eq(guest_load(ALU_SLOT, 8),
                      0x1122334400000000ull | (before.gpr[GPR_RCX] & 0xFFFFFFFF));
    ck_assert_uint_eq(mem.cmpxchgs, 1);
    ck_assert_uint_eq(mem.writes, 0);
    ck_assert_uint_eq(regs.rflags, before.rflags);
    regs.gpr[GPR_RDX] = 0xAABBCCDDEEFF0011ull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x86\xf2", &regs), 0);         /* xchg %dh,%dl */
    ck_assert_uint_eq(regs.gpr[GPR_RDX], 0xAABBCCDDEEFF1100ull);
}
END_TEST

/* LOCKed read-modify-writes recompute after a lost race and give up,
 * untouched, after X86_EMUL_LOCK_RETRIES. */
START_TEST(locked_rmw_retries_lost_races)
{
    struct guest_regs regs, before;

    seed(604);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RBX] = ALU_SLOT;
    regs.gpr[GPR_RCX] = 0x100;
    guest_store(ALU_SLOT, 4, 0x1000);
    mem.races = 2;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf0\x01\x0b", &regs), 0);     /* lock add %ecx,(%rbx) */
    ck_assert_uint_eq(guest_load(ALU_SLOT, 4), 0x1000 + 0x100);          /* flipped twice */
    ck_assert_uint_eq(mem.cmpxchgs, 3);
    mem.races = 1;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf0\x0f\xc1\x0b", &regs), 0); /* lock xadd */
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x1100 ^ 0x5A);
    ck_assert_uint_eq(guest_load(ALU_SLOT, 4), (0x1100 ^ 0x5A) + 0x100);
    mem.races = 1000;
    before = regs;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf0\x0f\xc1\x0b", &regs), -EAGAIN);
    ck_assert_int_eq(memcmp(&regs, &before, sizeof(regs)), 0);
    mem.races = 1000;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x87\x0b", &regs), -EAGAIN);
    ck_assert_int_eq(memcmp(&regs, &before, sizeof(regs)), 0);
}
END_TEST

/* ---- faults and unsupported instructions -------------------------------- */

static const struct {
    const char *bytes;
    uint8_t len;
    bool writes;                /* writes memory (else only reads) */
    const char *what;
} memory_insns[] = {
#define INSN(b, w, what) { b, sizeof(b) - 1, w, what }
    INSN("\x8b\x0b", false, "mov load"),
    INSN("\x89\x0b", true, "mov store"),
    INSN("\xc7\x03\x01\x00\x00\x00", true, "mov imm"),
    INSN("\x48\xa1\x40\x00\x01\x00\x00\x00\x00\x00", false, "moffs load"),
    INSN("\x0f\xb6\x0b", false, "movzx"),
    INSN("\x48\x0f\xbf\x0b", false, "movsx"),
    INSN("\x48\x63\x0b", false, "movsxd"),
    INSN("\x0f\xc3\x0b", true, "movnti"),
    INSN("\x87\x0b", true, "xchg"),
    INSN("\x0f\xc1\x0b", true, "xadd"),
    INSN("\xf0\x0f\xc1\x0b", true, "lock xadd"),
    INSN("\x0f\xb1\x0b", true, "cmpxchg"),
    INSN("\x0f\xc7\x0e", true, "cmpxchg8b"),
    INSN("\x48\x0f\xc7\x0e", true, "cmpxchg16b"),
    INSN("\x01\x0b", true, "add"),
    INSN("\xf0\x01\x0b", true, "lock add"),
    INSN("\x03\x0b", false, "add to reg"),
    INSN("\x48\x83\x3b\x05", false, "cmp imm"),
    INSN("\x85\x0b", false, "test"),
    INSN("\xff\x03", true, "inc"),
    INSN("\xf0\xf7\x1b", true, "lock neg"),
    INSN("\xf6\x13", true, "not"),
    INSN("\x0f\xa3\x0b", false, "bt"),
    INSN("\x0f\xab\x0b", true, "bts"),
    INSN("\xf0\x0f\xba\x33\x05", true, "lock btr imm"),
    INSN("\x0f\x94\x03", true, "sete"),
    INSN("\xa4", true, "movsb"),
    INSN("\xaa", true, "stosb"),
    INSN("\xac", false, "lodsb"),
    INSN("\xa6", false, "cmpsb"),
    INSN("\xae", false, "scasb"),
    INSN("\xf3\x48\xa5", true, "rep movsq"),
    INSN("\xf3\xab", true, "rep stosl"),
    INSN("\xf3\xa6", false, "repe cmpsb"),
#undef INSN
};

static void point_at_memory(struct guest_regs *regs)
{
    regs->gpr[GPR_RBX] = ALU_SLOT;
    regs->gpr[GPR_RSI] = ALU_SLOT + 16;         /* 16-byte aligned for CMPXCHG16B */
    regs->gpr[GPR_RDI] = ALU_SLOT + 64;
    regs->gpr[GPR_RCX] = 5;
    regs->gpr[GPR_RAX] = 0;                     /* SCAS/CMPXCHG compare (value irrelevant) */
}

/* A fault leaves registers, RFLAGS, RIP and memory as they were. */
START_TEST(faults_change_nothing)
{
    static uint8_t snapshot[sizeof(guest_bytes)];

    seed(700);
    for (unsigned int kind = 0; kind < 2; kind++) {
        for (size_t i = 0; i < ARRAY_SIZE(memory_insns); i++) {
            struct guest_regs regs, before;
            int rc;

            if (kind == 1 && !memory_insns[i].writes)
                continue;
            reset_memory();
            mem.fault_lo = 0;
            mem.fault_hi = ~(uint64_t)0;
            mem.fault_reads = kind == 0;        /* 0: everything faults; 1: only writes */
            mem.fault_writes = true;
            regs = random_regs();
            point_at_memory(&regs);
            before = regs;
            memcpy(snapshot, guest_bytes, sizeof(snapshot));
            rc = emulate_in(X86_MODE_64, (const uint8_t *)memory_insns[i].bytes,
                            memory_insns[i].len, &regs);
            ck_assert_msg(rc == -EFAULT, "%s (%s faults): rc %d", memory_insns[i].what,
                          kind ? "write" : "every access", rc);
            ck_assert_msg(memcmp(&regs, &before, sizeof(regs)) == 0, "%s changed registers",
                          memory_insns[i].what);
            ck_assert_msg(memcmp(snapshot, guest_bytes, sizeof(snapshot)) == 0,
                          "%s changed memory", memory_insns[i].what);
        }
    }
}
END_TEST

/* Without faults the same instructions all succeed and move RIP. */
START_TEST(memory_instructions_complete)
{
    seed(701);
    for (size_t i = 0; i < ARRAY_SIZE(memory_insns); i++) {
        struct guest_regs regs;

        reset_memory();
        regs = random_regs();
        point_at_memory(&regs);
        regs.rflags &= ~DF;
        uint64_t rip = regs.rip;
        ck_assert_msg(emulate_in(X86_MODE_64, (const uint8_t *)memory_insns[i].bytes,
                                 memory_insns[i].len, &regs) == 0, "%s", memory_insns[i].what);
        ck_assert_uint_eq(regs.rip, rip + memory_insns[i].len);
    }
}
END_TEST

START_TEST(non_memory_instructions_are_not_emulated)
{
    static const struct {
        const char *bytes;
        uint8_t len;
    } others[] = {
        { "\x0f\xa2", 2 }, { "\xe4\x80", 2 }, { "\xee", 1 }, { "\xf3\x6c", 2 }, { "\x6f", 1 },
        { "\xf4", 1 }, { "\x0f\x01\x38", 3 }, { "\x0f\x20\xc0", 3 }, { "\x0f\x22\xd8", 3 },
        { "\x0f\x01\x30", 3 }, { "\x0f\x01\x20", 3 }, { "\x0f\x01\xd9", 3 }, { "\xf3\x90", 2 },
        { "\x0f\x31", 2 }, { "\x0f\x01\xf9", 3 }, { "\x0f\x09", 2 }, { "\x0f\x23\xf8", 3 },
    };

    seed(702);
    for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
        struct guest_regs regs, before;

        reset_memory();
        regs = random_regs();
        point_at_memory(&regs);
        before = regs;
        ck_assert_int_eq(emulate_in(X86_MODE_64, (const uint8_t *)others[i].bytes,
                                    others[i].len, &regs), -EOPNOTSUPP);
        ck_assert_int_eq(memcmp(&regs, &before, sizeof(regs)), 0);
        ck_assert_uint_eq(mem.reads + mem.writes + mem.cmpxchgs, 0);
    }
}
END_TEST

/* RIP wraps with the code's operand size. */
START_TEST(rip_wraps_outside_64_bit_mode)
{
    struct guest_regs regs;

    seed(703);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RBX] = ALU_SLOT;
    regs.rip = 0xFFFE;
    ck_assert_int_eq(EMULATE(X86_MODE_16, "\x67\x88\x03", &regs), 0);     /* mov %al,(%ebx) */
    ck_assert_uint_eq(regs.rip, 1);
    regs.rip = 0xFFFFFFFF;
    ck_assert_int_eq(EMULATE(X86_MODE_32, "\x88\x03", &regs), 0);
    ck_assert_uint_eq(regs.rip, 1);
    regs.rip = 0xFFFFFFFF;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x88\x03", &regs), 0);
    ck_assert_uint_eq(regs.rip, 0x100000001ull);
}
END_TEST

/* ---- string instructions ------------------------------------------------ */

/* Run a REP instruction to completion the way the hypervisor would: call
 * again while RIP has not moved.  Returns the number of calls. */
static unsigned int emulate_until_done(enum x86_mode mode, const uint8_t *code, size_t len,
                                       struct guest_regs *regs)
{
    uint64_t rip = regs->rip;
    unsigned int calls = 0;

    do {
        CHECK_EQ(emulate_in(mode, code, len, regs), 0);
        calls++;
        CHECK(calls < 100000, "no progress");
    } while (regs->rip == rip);
    CHECK_EQ(regs->rip, rip + len);
    return calls;
}

#define EMULATE_UNTIL_DONE(mode, bytes, regs) \
    emulate_until_done(mode, (const uint8_t *)(bytes), sizeof(bytes) - 1, regs)

START_TEST(rep_stos_fills_pages_in_page_sized_steps)
{
    const uint64_t count = 3 * 4096 + 123, start = GUEST_BASE + 5;
    struct guest_regs regs;
    uint64_t rip;

    seed(800);
    reset_memory();
    regs = random_regs();
    regs.rflags &= ~DF;
    regs.gpr[GPR_RAX] = 0xAB;
    regs.gpr[GPR_RCX] = count;
    regs.gpr[GPR_RDI] = start;
    rip = regs.rip;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf3\xaa", &regs), 0);
    ck_assert_uint_eq(regs.rip, rip);                           /* capped: resume */
    ck_assert_uint_eq(regs.gpr[GPR_RCX], count - X86_EMUL_REP_MAX_BYTES);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], start + X86_EMUL_REP_MAX_BYTES);
    ck_assert_uint_eq(EMULATE_UNTIL_DONE(X86_MODE_64, "\xf3\xaa", &regs), 3);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], start + count);
    for (uint64_t off = GUEST_BASE; off < GUEST_BASE + sizeof(guest_bytes); off++) {
        bool inside = off >= start && off < start + count;
        uint8_t want = inside ? 0xAB : (uint8_t)((off - GUEST_BASE) * 7 + 3);

        ck_assert_msg(*guest(off) == want, "byte %llx", (unsigned long long)off);
    }

    /* quadwords: 512 per call */
    regs.gpr[GPR_RAX] = 0x0123456789ABCDEFull;
    regs.gpr[GPR_RCX] = 1000;
    regs.gpr[GPR_RDI] = GUEST_BASE + 8;
    ck_assert_uint_eq(EMULATE_UNTIL_DONE(X86_MODE_64, "\xf3\x48\xab", &regs), 2);
    for (unsigned int i = 0; i < 1000; i++)
        ck_assert_uint_eq(guest_load(GUEST_BASE + 8 + 8 * i, 8), 0x0123456789ABCDEFull);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], GUEST_BASE + 8 + 8000);
}
END_TEST

/* REP MOVS against the CPU, forwards and backwards, overlapping or not.
 * DF is set and cleared inside one asm statement: C code must never run
 * with DF = 1. */
#define NATIVE_REP_MOVS(insn)                                                           \
    do {                                                                                \
        if (backwards)                                                                  \
            __asm__ volatile("std\n\trep " insn "\n\tcld"                               \
                             : "+S"(s), "+D"(d), "+c"(c) : : "cc", "memory");           \
        else                                                                            \
            __asm__ volatile("rep " insn : "+S"(s), "+D"(d), "+c"(c) : : "memory");     \
    } while (0)

static void native_rep_movs(unsigned int size, bool backwards, uint8_t **src, uint8_t **dst,
                            uint64_t *count)
{
    uint8_t *s = *src, *d = *dst;
    uint64_t c = *count;

    switch (size) {
    case 1: NATIVE_REP_MOVS("movsb"); break;
    case 2: NATIVE_REP_MOVS("movsw"); break;
    case 4: NATIVE_REP_MOVS("movsl"); break;
    default: NATIVE_REP_MOVS("movsq"); break;
    }
    *src = s;
    *dst = d;
    *count = c;
}

START_TEST(rep_movs_matches_the_cpu)
{
    static uint8_t native[sizeof(guest_bytes)];
    static const uint8_t movs[4][3] = {
        { 0xF3, 0xA4 }, { 0x66, 0xF3, 0xA5 }, { 0xF3, 0xA5 }, { 0xF3, 0x48, 0xA5 },
    };
    static const uint8_t movs_len[4] = { 2, 3, 2, 3 };

    seed(801);
    for (unsigned int n = 0; n < 64; n++) {
        unsigned int sz = n % 4, size = 1u << sz;
        bool backwards = (n / 4) & 1;
        uint64_t count = rnd() % (4096 / size + 50);
        uint64_t span = count * size;
        /* [src, src + span) and [dst, dst + span): overlapping, or apart */
        uint64_t src = 4096 + rnd() % 2048, dst = src + (rnd() % 256) - 128;
        struct guest_regs regs;

        if (n % 8 >= 6)
            dst = src + span + 300;
        if (backwards && count) {       /* start at the last element */
            src += span - size;
            dst += span - size;
        }
        reset_memory();
        for (size_t i = 0; i < sizeof(guest_bytes); i++)
            guest_bytes[i] = (uint8_t)rnd();
        memcpy(native, guest_bytes, sizeof(native));
        uint8_t *ns = native + src, *nd = native + dst;
        uint64_t nc = count;
        native_rep_movs(size, backwards, &ns, &nd, &nc);

        regs = random_regs();
        regs.rflags = backwards ? regs.rflags | DF : regs.rflags & ~DF;
        regs.gpr[GPR_RSI] = GUEST_BASE + src;
        regs.gpr[GPR_RDI] = GUEST_BASE + dst;
        regs.gpr[GPR_RCX] = count;
        emulate_until_done(X86_MODE_64, movs[sz], movs_len[sz], &regs);
        CHECK(memcmp(guest_bytes, native, sizeof(native)) == 0,
              "movs size %u count %llu %s", size, (unsigned long long)count,
              backwards ? "backwards" : "forwards");
        CHECK_EQ(regs.gpr[GPR_RCX], 0);
        CHECK_EQ(regs.gpr[GPR_RSI], GUEST_BASE + (uint64_t)(ns - native));
        CHECK_EQ(regs.gpr[GPR_RDI], GUEST_BASE + (uint64_t)(nd - native));
    }
}
END_TEST

/* REPE/REPNE CMPS and SCAS stop on ZF; the CPU says where. */
START_TEST(rep_cmps_and_scas_match_the_cpu)
{
    static uint8_t a[600], b[600];

    seed(802);
    reset_memory();
    for (unsigned int n = 0; n < 400; n++) {
        bool repne = n & 1, scas = n & 2;
        uint64_t count = rnd() % 500, rsi, rdi, rcx, f = RFLAGS_FIXED;
        struct guest_regs regs = random_regs();
        uint8_t al = (uint8_t)(rnd() % 4);

        for (size_t i = 0; i < sizeof(a); i++) {       /* few values: runs of equality */
            a[i] = (uint8_t)(rnd() % 4);
            b[i] = rnd() % 8 ? a[i] : (uint8_t)(rnd() % 4);
        }
        if (repne && !scas)
            for (size_t i = 0; i < sizeof(a); i++)
                b[i] = rnd() % 16 ? (uint8_t)(a[i] + 1) : a[i];
        memcpy(guest(GUEST_BASE), a, sizeof(a));
        memcpy(guest(GUEST_BASE + 1024), b, sizeof(b));
        rsi = (uint64_t)(uintptr_t)a;
        rdi = (uint64_t)(uintptr_t)b;
        rcx = count;
        if (scas && repne)
            __asm__ volatile(WITH_FLAGS("repne scasb")
                             : "+D"(rdi), "+c"(rcx), [f] "+r"(f) : "a"(al) : "cc", "memory");
        else if (scas)
            __asm__ volatile(WITH_FLAGS("repe scasb")
                             : "+D"(rdi), "+c"(rcx), [f] "+r"(f) : "a"(al) : "cc", "memory");
        else if (repne)
            __asm__ volatile(WITH_FLAGS("repne cmpsb")
                             : "+S"(rsi), "+D"(rdi), "+c"(rcx), [f] "+r"(f) : : "cc", "memory");
        else
            __asm__ volatile(WITH_FLAGS("repe cmpsb")
                             : "+S"(rsi), "+D"(rdi), "+c"(rcx), [f] "+r"(f) : : "cc", "memory");

        regs.rflags = RFLAGS_FIXED;
        regs.gpr[GPR_RAX] = (regs.gpr[GPR_RAX] & ~0xFFull) | al;
        regs.gpr[GPR_RSI] = GUEST_BASE;
        regs.gpr[GPR_RDI] = GUEST_BASE + 1024;
        regs.gpr[GPR_RCX] = count;
        uint8_t code[2] = { repne ? 0xF2 : 0xF3, scas ? 0xAE : 0xA6 };
        emulate_until_done(X86_MODE_64, code, sizeof(code), &regs);
        CHECK_EQ(regs.gpr[GPR_RCX], rcx);
        CHECK_EQ(regs.gpr[GPR_RDI] - (GUEST_BASE + 1024), rdi - (uint64_t)(uintptr_t)b);
        if (!scas)
            CHECK_EQ(regs.gpr[GPR_RSI] - GUEST_BASE, rsi - (uint64_t)(uintptr_t)a);
        if (count)
            CHECK_EQ(regs.rflags & ARITH, f & ARITH);
    }
}
END_TEST

START_TEST(lods_loads_the_accumulator)
{
    struct guest_regs regs;

    seed(803);
    reset_memory();
    guest_store(GUEST_BASE + 100, 8, 0x8877665544332211ull);
    regs = random_regs();
    regs.rflags |= DF;
    regs.gpr[GPR_RSI] = GUEST_BASE + 104;
    regs.gpr[GPR_RAX] = 0xFFFFFFFFFFFFFFFFull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xad", &regs), 0);             /* lodsl, backwards */
    ck_assert_uint_eq(regs.gpr[GPR_RAX], 0x88776655);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], GUEST_BASE + 100);
    regs.gpr[GPR_RCX] = 3;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x66\xf3\xad", &regs), 0);     /* rep lodsw */
    ck_assert_uint_eq(regs.gpr[GPR_RAX] & 0xFFFF, guest_load(GUEST_BASE + 96, 2));
    ck_assert_uint_eq(regs.gpr[GPR_RAX] >> 16, 0x8877);                   /* merged */
    ck_assert_uint_eq(regs.gpr[GPR_RSI], GUEST_BASE + 94);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);
}
END_TEST

/* A fault in the middle of a REP keeps the elements done before it, with
 * RIP still on the instruction, as the CPU does; a fault on the first
 * element changes nothing. */
START_TEST(rep_fault_keeps_completed_iterations)
{
    struct guest_regs regs, before;
    const uint64_t start = GUEST_BASE + 16;

    seed(804);
    reset_memory();
    mem.fault_lo = GUEST_BASE + 116;
    mem.fault_hi = GUEST_BASE + 117;
    mem.fault_writes = true;
    regs = random_regs();
    regs.rflags &= ~DF;
    regs.gpr[GPR_RCX] = 1000;
    regs.gpr[GPR_RDI] = start;
    regs.gpr[GPR_RAX] = 0x5A;
    before = regs;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf3\xaa", &regs), -EFAULT);
    ck_assert_uint_eq(regs.rip, before.rip);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 1000 - 100);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], start + 100);
    for (unsigned int i = 0; i < 100; i++)
        ck_assert_uint_eq(*guest(start + i), 0x5A);
    ck_assert_uint_ne(*guest(start + 100), 0x5A);

    /* now the fault is on the first element: nothing moves */
    before = regs;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf3\xaa", &regs), -EFAULT);
    ck_assert_int_eq(memcmp(&regs, &before, sizeof(regs)), 0);

    /* MOVS whose source faults after 3 quadwords */
    mem.fault_reads = true;
    mem.fault_writes = false;
    mem.fault_lo = GUEST_BASE + 2048 + 24;
    mem.fault_hi = GUEST_BASE + 2048 + 25;
    regs.gpr[GPR_RSI] = GUEST_BASE + 2048;
    regs.gpr[GPR_RDI] = GUEST_BASE + 3000;
    regs.gpr[GPR_RCX] = 10;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\xf3\x48\xa5", &regs), -EFAULT);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 7);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], GUEST_BASE + 2048 + 24);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], GUEST_BASE + 3000 + 24);
}
END_TEST

START_TEST(rep_with_zero_count_only_moves_rip)
{
    struct guest_regs regs, before;

    seed(805);
    reset_memory();
    regs = random_regs();
    regs.gpr[GPR_RCX] = 0xFFFFFFFF00000000ull;          /* ECX = 0 under addr32 */
    before = regs;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x67\xf3\xa4", &regs), 0);
    ck_assert_uint_eq(regs.rip, before.rip + 3);
    before.rip = regs.rip;
    ck_assert_int_eq(memcmp(&regs, &before, sizeof(regs)), 0);
    ck_assert_uint_eq(mem.reads + mem.writes, 0);
}
END_TEST

/* rSI/rDI/rCX are address-sized: 32-bit ones wrap and zero-extend in
 * 64-bit mode, 16-bit ones wrap and keep the upper bits. */
START_TEST(string_addresses_wrap_at_the_address_size)
{
    static uint8_t high[16], low[16];
    struct guest_regs regs;

    seed(806);
    memset(&mem, 0, sizeof(mem));
    mem.win[0] = (struct window){ 0xFFFFFFF0, high, sizeof(high) };
    mem.win[1] = (struct window){ 0, low, sizeof(low) };
    memset(high, 0, sizeof(high));
    memset(low, 0, sizeof(low));
    regs = random_regs();
    regs.rflags &= ~DF;
    regs.gpr[GPR_RAX] = 0x77;
    regs.gpr[GPR_RDI] = 0xABCD0000FFFFFFFEull;
    regs.gpr[GPR_RCX] = 0x1234000000000004ull;
    ck_assert_int_eq(EMULATE(X86_MODE_64, "\x67\xf3\xaa", &regs), 0);     /* addr32 rep stosb */
    ck_assert_uint_eq(high[14], 0x77);
    ck_assert_uint_eq(high[15], 0x77);
    ck_assert_uint_eq(low[0], 0x77);
    ck_assert_uint_eq(low[1], 0x77);
    ck_assert_uint_eq(low[2], 0);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], 2);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0);

    memset(high, 0, sizeof(high));
    memset(low, 0, sizeof(low));
    mem.win[0].base = 0xFFF0;
    regs.gpr[GPR_RDI] = 0xABCD00000000FFFFull;
    regs.gpr[GPR_RCX] = 0x1234000000010003ull;          /* CX = 3 */
    regs.rip = 0x100;
    ck_assert_int_eq(EMULATE(X86_MODE_16, "\xf3\xaa", &regs), 0);         /* rep stosb */
    ck_assert_uint_eq(high[15], 0x77);
    ck_assert_uint_eq(low[0], 0x77);
    ck_assert_uint_eq(low[1], 0x77);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], 0xABCD000000000002ull);
    ck_assert_uint_eq(regs.gpr[GPR_RCX], 0x1234000000010000ull);
    ck_assert_uint_eq(regs.rip, 0x102);

    regs.rflags |= DF;                                  /* backwards through 0 */
    regs.gpr[GPR_RSI] = 0x0000000000000001ull;
    regs.gpr[GPR_RDI] = 0xFFFE;
    regs.gpr[GPR_RCX] = 3;
    low[0] = 0xA0;
    low[1] = 0xA1;
    high[15] = 0xAF;
    ck_assert_int_eq(EMULATE(X86_MODE_16, "\xf3\xa4", &regs), 0);         /* rep movsb */
    ck_assert_uint_eq(high[14], 0xA1);
    ck_assert_uint_eq(high[13], 0xA0);
    ck_assert_uint_eq(high[12], 0xAF);
    ck_assert_uint_eq(regs.gpr[GPR_RSI], 0xFFFE);
    ck_assert_uint_eq(regs.gpr[GPR_RDI], 0xFFFB);
}
END_TEST

Suite *x86_emulate_suite(void)
{
    Suite *s = suite_create("x86_emulate");
    TCase *native = tcase_create("against the cpu");
    TCase *rules = tcase_create("rules");

    tcase_set_timeout(native, 120);
    tcase_add_loop_test(native, alu_matches_the_cpu, 0, (int)ARRAY_SIZE(alu_descs));
    tcase_add_loop_test(native, bit_tests_match_the_cpu, 0, 4);
    tcase_add_test(native, xadd_matches_the_cpu);
    tcase_add_test(native, cmpxchg_matches_the_cpu);
    tcase_add_test(native, cmpxchg8b_and_16b_match_the_cpu);
    tcase_add_test(native, setcc_matches_the_cpu);
    tcase_add_test(native, rep_movs_matches_the_cpu);
    tcase_add_test(native, rep_cmps_and_scas_match_the_cpu);
    suite_add_tcase(s, native);

    tcase_add_test(rules, cmpxchg16b_misaligned_is_gp);
    tcase_add_test(rules, cmpxchg_by_read_and_write);
    tcase_add_test(rules, mov_loads_and_register_writes);
    tcase_add_test(rules, mov_stores);
    tcase_add_test(rules, segments_reach_the_callbacks);
    tcase_add_test(rules, xchg_is_locked);
    tcase_add_test(rules, locked_rmw_retries_lost_races);
    tcase_add_test(rules, faults_change_nothing);
    tcase_add_test(rules, memory_instructions_complete);
    tcase_add_test(rules, non_memory_instructions_are_not_emulated);
    tcase_add_test(rules, rip_wraps_outside_64_bit_mode);
    tcase_add_test(rules, rep_stos_fills_pages_in_page_sized_steps);
    tcase_add_test(rules, lods_loads_the_accumulator);
    tcase_add_test(rules, rep_fault_keeps_completed_iterations);
    tcase_add_test(rules, rep_with_zero_count_only_moves_rip);
    tcase_add_test(rules, string_addresses_wrap_at_the_address_size);
    suite_add_tcase(s, rules);
    return s;
}

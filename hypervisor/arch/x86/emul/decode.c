/*
 * x86 instruction decoder (see sv/x86_decode.h for the contract).
 *
 * An instruction is (APM vol. 3, 1.1; SDM vol. 2, 2.1):
 *
 *   legacy prefixes | REX | opcode (1 or 2 bytes) | ModRM | SIB | disp | imm
 *
 * The decoder walks it front to back with a cursor that knows both the
 * bytes the caller could fetch and the 15-byte architectural limit, so
 * "need more bytes" (-EAGAIN) and "too long" (-EINVAL) fall out of one
 * place.  Opcodes are described by two 256-entry tables (the one-byte map
 * and the 0F map); opcodes whose ModRM.reg selects the operation point into
 * small group tables.  Everything that is not in a table is -EINVAL.
 */
#include <sv/errno.h>
#include <sv/string.h>
#include <sv/x86_decode.h>

/* ---- byte cursor -------------------------------------------------------- */

struct cursor {
    const uint8_t *bytes;
    size_t avail;
    unsigned int pos;
};

/* The 15-byte limit wins over a short buffer: a 16th byte is never worth
 * fetching (APM vol. 3, 1.1: longer instructions raise #GP). */
static int fetch_u8(struct cursor *c, uint8_t *out)
{
    if (c->pos >= X86_MAX_INSN_LEN)
        return -EINVAL;
    if (c->pos >= c->avail)
        return -EAGAIN;
    *out = c->bytes[c->pos++];
    return 0;
}

/* A little-endian field of 'size' bytes, zero-extended. */
static int fetch_le(struct cursor *c, unsigned int size, uint64_t *out)
{
    uint64_t value = 0;

    for (unsigned int i = 0; i < size; i++) {
        uint8_t b;
        int rc = fetch_u8(c, &b);

        if (rc)
            return rc;
        value |= (uint64_t)b << (8 * i);
    }
    *out = value;
    return 0;
}

static int64_t sign_extend(uint64_t value, unsigned int size)
{
    uint64_t sign;

    if (size == 0 || size >= 8)
        return (int64_t)value;
    sign = (uint64_t)1 << (8 * size - 1);
    value &= (sign << 1) - 1;
    return (int64_t)((value ^ sign) - sign);
}

static int fetch_signed(struct cursor *c, unsigned int size, int64_t *out)
{
    uint64_t raw;
    int rc = fetch_le(c, size, &raw);

    if (!rc)
        *out = sign_extend(raw, size);
    return rc;
}

/* ---- opcode tables ------------------------------------------------------ */

#define REX_B 0x01
#define REX_X 0x02
#define REX_R 0x04
#define REX_W 0x08

enum opcode_flag {
    F_MODRM     = 1u << 0,      /* a ModRM byte follows */
    F_BYTE      = 1u << 1,      /* byte operation (w bit clear) */
    F_REG_DST   = 1u << 2,      /* ModRM.reg / accumulator is the destination */
    F_MEM_ONLY  = 1u << 3,      /* mod == 3 is #UD */
    F_NO64      = 1u << 4,      /* #UD in 64-bit mode */
    F_ONLY64    = 1u << 5,      /* another instruction outside 64-bit mode */
    F_CTL       = 1u << 6,      /* MOV CRn/DRn: mod ignored, always a register */
    F_NP        = 1u << 7,      /* 66/F2/F3 make it another (unsupported) insn */
    F_IO        = 1u << 8,      /* port I/O: REX.W does not widen it */
    F_STRING    = 1u << 9,      /* implicit rSI/rDI operands */
    F_MOFFS     = 1u << 10,     /* A0-A3: address-sized offset, no ModRM */
    F_SRC8      = 1u << 11,     /* MOVZX/MOVSX source sizes */
    F_SRC16     = 1u << 12,
    F_SRC32     = 1u << 13,
};

enum imm_kind {
    IMM_NONE,
    IMM_8,                      /* one byte */
    IMM_OP,                     /* operation sized, at most 4 bytes (Iz) */
    IMM_MOFFS,                  /* address sized (A0-A3) */
};

/* Opcodes whose ModRM.reg picks the operation (SDM vol. 2, table A-6). */
enum opcode_group {
    GRP_NONE,
    GRP1,                       /* 80-83: ALU r/m, imm */
    GRP3,                       /* F6/F7: TEST/NOT/NEG (MUL/DIV unsupported) */
    GRP4,                       /* FE: INC/DEC r/m8 */
    GRP5,                       /* FF: INC/DEC (CALL/JMP/PUSH unsupported) */
    GRP7,                       /* 0F 01: system, see resolve_group7() */
    GRP8,                       /* 0F BA: BT* r/m, imm8 */
    GRP9,                       /* 0F C7: CMPXCHG8B/16B */
    GRP11,                      /* C6/C7: MOV r/m, imm */
    NR_GROUPS
};

struct opcode_desc {
    uint8_t kind;
    uint8_t group;
    uint8_t imm;
    uint16_t flags;
};

#define OP(k, f)        { .kind = (k), .flags = (f) }
#define OPI(k, f, i)    { .kind = (k), .flags = (f), .imm = (i) }
#define GROUP(g, f, i)  { .group = (g), .flags = (f) | F_MODRM, .imm = (i) }

/* The eight classic ALU opcodes share a layout: base+0 r/m8,r8; +1 r/m,r;
 * +2 r8,r/m8; +3 r,r/m: the "w" and "d" bits (SDM vol. 2, B.1.4). */
#define ALU_RM(base, k) \
    [(base) + 0] = OP(k, F_MODRM | F_BYTE), \
    [(base) + 1] = OP(k, F_MODRM), \
    [(base) + 2] = OP(k, F_MODRM | F_BYTE | F_REG_DST), \
    [(base) + 3] = OP(k, F_MODRM | F_REG_DST)

/* String instructions: even opcode byte-sized, odd one operation-sized. */
#define STRING(op, k, f) \
    [(op)] = OP(k, F_STRING | F_BYTE | (f)), \
    [(op) + 1] = OP(k, F_STRING | (f))

static const struct opcode_desc one_byte_map[256] = {
    ALU_RM(0x00, X86_ADD), ALU_RM(0x08, X86_OR),  ALU_RM(0x10, X86_ADC), ALU_RM(0x18, X86_SBB),
    ALU_RM(0x20, X86_AND), ALU_RM(0x28, X86_SUB), ALU_RM(0x30, X86_XOR), ALU_RM(0x38, X86_CMP),

    /* 63 is ARPL outside 64-bit mode (APM vol. 3, MOVSXD). */
    [0x63] = OP(X86_MOVSXD, F_MODRM | F_REG_DST | F_SRC32 | F_ONLY64),

    STRING(0x6C, X86_INS, F_IO), STRING(0x6E, X86_OUTS, F_IO),

    [0x80] = GROUP(GRP1, F_BYTE, IMM_OP),
    [0x81] = GROUP(GRP1, 0, IMM_OP),
    [0x82] = GROUP(GRP1, F_BYTE | F_NO64, IMM_OP),     /* alias of 80 */
    [0x83] = GROUP(GRP1, 0, IMM_8),                     /* imm8 sign-extended */
    [0x84] = OP(X86_TEST, F_MODRM | F_BYTE),
    [0x85] = OP(X86_TEST, F_MODRM),
    [0x86] = OP(X86_XCHG, F_MODRM | F_BYTE),
    [0x87] = OP(X86_XCHG, F_MODRM),
    [0x88] = OP(X86_MOV, F_MODRM | F_BYTE),
    [0x89] = OP(X86_MOV, F_MODRM),
    [0x8A] = OP(X86_MOV, F_MODRM | F_BYTE | F_REG_DST),
    [0x8B] = OP(X86_MOV, F_MODRM | F_REG_DST),

    [0x90] = OP(X86_NOP, 0),                            /* F3 90 is PAUSE */

    [0xA0] = OPI(X86_MOV, F_MOFFS | F_BYTE | F_REG_DST, IMM_MOFFS),
    [0xA1] = OPI(X86_MOV, F_MOFFS | F_REG_DST, IMM_MOFFS),
    [0xA2] = OPI(X86_MOV, F_MOFFS | F_BYTE, IMM_MOFFS),
    [0xA3] = OPI(X86_MOV, F_MOFFS, IMM_MOFFS),
    STRING(0xA4, X86_MOVS, 0), STRING(0xA6, X86_CMPS, 0),
    STRING(0xAA, X86_STOS, 0), STRING(0xAC, X86_LODS, 0), STRING(0xAE, X86_SCAS, 0),

    [0xC6] = GROUP(GRP11, F_BYTE, IMM_NONE),
    [0xC7] = GROUP(GRP11, 0, IMM_NONE),

    [0xE4] = OPI(X86_IN, F_IO | F_BYTE, IMM_8),
    [0xE5] = OPI(X86_IN, F_IO, IMM_8),
    [0xE6] = OPI(X86_OUT, F_IO | F_BYTE, IMM_8),
    [0xE7] = OPI(X86_OUT, F_IO, IMM_8),
    [0xEC] = OP(X86_IN, F_IO | F_BYTE),
    [0xED] = OP(X86_IN, F_IO),
    [0xEE] = OP(X86_OUT, F_IO | F_BYTE),
    [0xEF] = OP(X86_OUT, F_IO),

    [0xF4] = OP(X86_HLT, 0),
    [0xF6] = GROUP(GRP3, F_BYTE, IMM_NONE),
    [0xF7] = GROUP(GRP3, 0, IMM_NONE),
    [0xFE] = GROUP(GRP4, F_BYTE, IMM_NONE),
    [0xFF] = GROUP(GRP5, 0, IMM_NONE),
};

#define SETCC(cc) [0x90 + (cc)] = OP(X86_SETCC, F_MODRM | F_BYTE)

static const struct opcode_desc two_byte_map[256] = {
    [0x01] = GROUP(GRP7, 0, IMM_NONE),
    [0x06] = OP(X86_CLTS, 0),
    [0x08] = OP(X86_INVD, 0),
    [0x09] = OP(X86_WBINVD, 0),

    /* MOV CRn/DRn: ModRM.reg names the CR/DR, ModRM.rm the GPR, and "the
     * mod field is ignored" (SDM vol. 2, MOV--Move to/from Control
     * Registers; APM vol. 3 treats it as 11b). */
    [0x20] = OP(X86_MOV_FROM_CR, F_MODRM | F_CTL | F_REG_DST),
    [0x21] = OP(X86_MOV_FROM_DR, F_MODRM | F_CTL | F_REG_DST),
    [0x22] = OP(X86_MOV_TO_CR, F_MODRM | F_CTL),
    [0x23] = OP(X86_MOV_TO_DR, F_MODRM | F_CTL),

    [0x30] = OP(X86_WRMSR, 0),
    [0x31] = OP(X86_RDTSC, 0),
    [0x32] = OP(X86_RDMSR, 0),
    [0x33] = OP(X86_RDPMC, 0),

    SETCC(0x0), SETCC(0x1), SETCC(0x2), SETCC(0x3), SETCC(0x4), SETCC(0x5), SETCC(0x6), SETCC(0x7),
    SETCC(0x8), SETCC(0x9), SETCC(0xA), SETCC(0xB), SETCC(0xC), SETCC(0xD), SETCC(0xE), SETCC(0xF),

    [0xA2] = OP(X86_CPUID, 0),
    [0xA3] = OP(X86_BT, F_MODRM),
    [0xAB] = OP(X86_BTS, F_MODRM),
    [0xB0] = OP(X86_CMPXCHG, F_MODRM | F_BYTE),
    [0xB1] = OP(X86_CMPXCHG, F_MODRM),
    [0xB3] = OP(X86_BTR, F_MODRM),
    [0xB6] = OP(X86_MOVZX, F_MODRM | F_REG_DST | F_SRC8),
    [0xB7] = OP(X86_MOVZX, F_MODRM | F_REG_DST | F_SRC16),
    [0xBA] = GROUP(GRP8, 0, IMM_8),
    [0xBB] = OP(X86_BTC, F_MODRM),
    [0xBE] = OP(X86_MOVSX, F_MODRM | F_REG_DST | F_SRC8),
    [0xBF] = OP(X86_MOVSX, F_MODRM | F_REG_DST | F_SRC16),
    [0xC0] = OP(X86_XADD, F_MODRM | F_BYTE),
    [0xC1] = OP(X86_XADD, F_MODRM),
    [0xC3] = OP(X86_MOVNTI, F_MODRM | F_MEM_ONLY | F_NP),
    [0xC7] = GROUP(GRP9, 0, IMM_NONE),
};

struct group_entry {
    uint8_t kind;
    uint8_t imm;                /* added to the opcode's own immediate */
    uint16_t flags;             /* added to the opcode's flags */
};

#define G(k)            { .kind = (k) }
#define G_IMM(k, i)     { .kind = (k), .imm = (i) }

static const struct group_entry groups[NR_GROUPS][8] = {
    [GRP1] = {
        G(X86_ADD), G(X86_OR),  G(X86_ADC), G(X86_SBB),
        G(X86_AND), G(X86_SUB), G(X86_XOR), G(X86_CMP),
    },
    /* F6/F7 /1 is an undocumented alias of TEST that AMD and Intel parts
     * execute (Xen and objdump decode it so too). */
    [GRP3] = {
        [0] = G_IMM(X86_TEST, IMM_OP), [1] = G_IMM(X86_TEST, IMM_OP),
        [2] = G(X86_NOT), [3] = G(X86_NEG),
    },
    [GRP4] = { [0] = G(X86_INC), [1] = G(X86_DEC) },
    [GRP5] = { [0] = G(X86_INC), [1] = G(X86_DEC) },
    [GRP8] = { [4] = G(X86_BT), [5] = G(X86_BTS), [6] = G(X86_BTR), [7] = G(X86_BTC) },
    /* REX.W turns CMPXCHG8B into CMPXCHG16B (in finish_kind()). */
    [GRP9] = { [1] = { .kind = X86_CMPXCHG8B, .flags = F_MEM_ONLY } },
    [GRP11] = { [0] = G_IMM(X86_MOV, IMM_OP) },         /* C6/C7 F8 are XABORT/XBEGIN */
};

/* 0F 01 with mod == 3: the whole ModRM byte names the instruction
 * (SDM vol. 2, table A-6, group 7; APM vol. 3, appendix A). */
static const struct {
    uint8_t modrm;
    uint8_t kind;
} group7_register_forms[] = {
    { 0xC8, X86_MONITOR }, { 0xC9, X86_MWAIT },   { 0xD1, X86_XSETBV },
    { 0xD8, X86_VMRUN },   { 0xD9, X86_VMMCALL }, { 0xDA, X86_VMLOAD },
    { 0xDB, X86_VMSAVE },  { 0xDC, X86_STGI },    { 0xDD, X86_CLGI },
    { 0xDE, X86_SKINIT },  { 0xDF, X86_INVLPGA }, { 0xF9, X86_RDTSCP },
};

/* ---- per-kind facts ----------------------------------------------------- */

struct kind_info {
    const char *name;
    bool lockable;              /* LOCK is legal with a memory destination */
};

#define NAME(n)         { .name = (n) }
#define LOCKABLE(n)     { .name = (n), .lockable = true }

static const struct kind_info kinds[X86_NR_KINDS] = {
    [X86_KIND_NONE] = NAME("none"),    [X86_CPUID] = NAME("cpuid"),
    [X86_RDMSR] = NAME("rdmsr"),       [X86_WRMSR] = NAME("wrmsr"),
    [X86_RDTSC] = NAME("rdtsc"),       [X86_RDTSCP] = NAME("rdtscp"),
    [X86_RDPMC] = NAME("rdpmc"),       [X86_HLT] = NAME("hlt"),
    [X86_PAUSE] = NAME("pause"),       [X86_NOP] = NAME("nop"),
    [X86_CLTS] = NAME("clts"),         [X86_LMSW] = NAME("lmsw"),
    [X86_SMSW] = NAME("smsw"),         [X86_INVD] = NAME("invd"),
    [X86_WBINVD] = NAME("wbinvd"),     [X86_WBNOINVD] = NAME("wbnoinvd"),
    [X86_INVLPG] = NAME("invlpg"),     [X86_MOV_FROM_CR] = NAME("mov_from_cr"),
    [X86_MOV_TO_CR] = NAME("mov_to_cr"), [X86_MOV_FROM_DR] = NAME("mov_from_dr"),
    [X86_MOV_TO_DR] = NAME("mov_to_dr"), [X86_IN] = NAME("in"),
    [X86_OUT] = NAME("out"),           [X86_INS] = NAME("ins"),
    [X86_OUTS] = NAME("outs"),         [X86_VMRUN] = NAME("vmrun"),
    [X86_VMMCALL] = NAME("vmmcall"),   [X86_VMLOAD] = NAME("vmload"),
    [X86_VMSAVE] = NAME("vmsave"),     [X86_STGI] = NAME("stgi"),
    [X86_CLGI] = NAME("clgi"),         [X86_SKINIT] = NAME("skinit"),
    [X86_INVLPGA] = NAME("invlpga"),   [X86_MONITOR] = NAME("monitor"),
    [X86_MWAIT] = NAME("mwait"),       [X86_XSETBV] = NAME("xsetbv"),

    [X86_MOV] = NAME("mov"),           [X86_MOVZX] = NAME("movzx"),
    [X86_MOVSX] = NAME("movsx"),       [X86_MOVSXD] = NAME("movsxd"),
    [X86_MOVNTI] = NAME("movnti"),     [X86_XCHG] = LOCKABLE("xchg"),
    [X86_XADD] = LOCKABLE("xadd"),     [X86_CMPXCHG] = LOCKABLE("cmpxchg"),
    [X86_CMPXCHG8B] = LOCKABLE("cmpxchg8b"), [X86_CMPXCHG16B] = LOCKABLE("cmpxchg16b"),
    [X86_ADD] = LOCKABLE("add"),       [X86_OR] = LOCKABLE("or"),
    [X86_ADC] = LOCKABLE("adc"),       [X86_SBB] = LOCKABLE("sbb"),
    [X86_AND] = LOCKABLE("and"),       [X86_SUB] = LOCKABLE("sub"),
    [X86_XOR] = LOCKABLE("xor"),       [X86_CMP] = NAME("cmp"),
    [X86_TEST] = NAME("test"),         [X86_INC] = LOCKABLE("inc"),
    [X86_DEC] = LOCKABLE("dec"),       [X86_NOT] = LOCKABLE("not"),
    [X86_NEG] = LOCKABLE("neg"),       [X86_BT] = NAME("bt"),
    [X86_BTS] = LOCKABLE("bts"),       [X86_BTR] = LOCKABLE("btr"),
    [X86_BTC] = LOCKABLE("btc"),       [X86_SETCC] = NAME("setcc"),
    [X86_MOVS] = NAME("movs"),         [X86_CMPS] = NAME("cmps"),
    [X86_STOS] = NAME("stos"),         [X86_LODS] = NAME("lods"),
    [X86_SCAS] = NAME("scas"),
};

const char *x86_kind_name(unsigned int kind)
{
    if (kind >= X86_NR_KINDS || !kinds[kind].name)
        return "?";
    return kinds[kind].name;
}

/* ---- prefixes and sizes ------------------------------------------------- */

/* Segment-override prefix bytes, indexed by enum x86_seg. */
static const uint8_t segment_prefix_bytes[] = { 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 };

static bool take_segment_prefix(uint8_t b, struct x86_insn *insn)
{
    for (unsigned int seg = 0; seg < ARRAY_SIZE(segment_prefix_bytes); seg++) {
        if (segment_prefix_bytes[seg] == b) {
            insn->seg_prefix = (uint8_t)seg;
            return true;
        }
    }
    return false;
}

static bool take_legacy_prefix(uint8_t b, struct x86_insn *insn)
{
    switch (b) {
    case 0x66: insn->opsize_prefix = true;   return true;
    case 0x67: insn->addrsize_prefix = true; return true;
    case 0xF0: insn->lock = true;            return true;
    case 0xF2: insn->rep = X86_REP_NE;       return true;
    case 0xF3: insn->rep = X86_REP_E;        return true;
    default:   return take_segment_prefix(b, insn);
    }
}

/*
 * Consume prefixes and return the first opcode byte.  REX (40-4F, 64-bit
 * mode only) counts only when it immediately precedes the opcode: a legacy
 * prefix after it makes the processor ignore it (SDM vol. 2, 2.2.1; APM
 * vol. 3, 1.2.7), and of several REX bytes only the last one matters.
 */
static int decode_prefixes(struct cursor *c, struct x86_insn *insn, uint8_t *opcode)
{
    for (;;) {
        uint8_t b;
        int rc = fetch_u8(c, &b);

        if (rc)
            return rc;
        if (insn->mode == X86_MODE_64 && (b & 0xF0) == 0x40) {
            insn->rex = b;
        } else if (take_legacy_prefix(b, insn)) {
            insn->rex = 0;
        } else {
            *opcode = b;
            insn->nr_prefixes = (uint8_t)(c->pos - 1);
            return 0;
        }
    }
}

/* APM vol. 3, 1.2.2 and 1.2.3: operand and address size overrides. */
static uint8_t operand_size(const struct x86_insn *insn)
{
    bool default_16 = insn->mode == X86_MODE_16;

    if (insn->rex & REX_W)
        return 8;
    return default_16 != insn->opsize_prefix ? 2 : 4;
}

static uint8_t address_size(const struct x86_insn *insn)
{
    switch (insn->mode) {
    case X86_MODE_64: return insn->addrsize_prefix ? 4 : 8;
    case X86_MODE_32: return insn->addrsize_prefix ? 2 : 4;
    default:          return insn->addrsize_prefix ? 4 : 2;
    }
}

/* In 64-bit mode the ES, CS, SS and DS overrides are ignored and only FS
 * and GS take effect (APM vol. 3, 1.2.4). */
static uint8_t effective_segment(const struct x86_insn *insn, uint8_t default_seg)
{
    if (insn->seg_prefix == X86_SEG_NONE)
        return default_seg;
    if (insn->mode == X86_MODE_64 && insn->seg_prefix < X86_SEG_FS)
        return default_seg;
    return insn->seg_prefix;
}

/* ---- memory operands ---------------------------------------------------- */

static void set_mem_operand(struct x86_insn *insn, uint8_t base, uint8_t index, uint8_t scale)
{
    insn->has_mem = true;
    insn->mem.base = base;
    insn->mem.index = index;
    insn->mem.scale = scale;
    /* rBP or rSP as base selects SS (SDM vol. 1, table 3-5). */
    insn->mem.seg = effective_segment(insn, base == GPR_RBP || base == GPR_RSP ? X86_SEG_SS
                                                                               : X86_SEG_DS);
}

/* 16-bit addressing (SDM vol. 2, table 2-1). */
static const struct {
    uint8_t base;
    uint8_t index;
} modrm16_forms[8] = {
    { GPR_RBX, GPR_RSI },      { GPR_RBX, GPR_RDI },
    { GPR_RBP, GPR_RSI },      { GPR_RBP, GPR_RDI },
    { GPR_RSI, X86_REG_NONE }, { GPR_RDI, X86_REG_NONE },
    { GPR_RBP, X86_REG_NONE }, { GPR_RBX, X86_REG_NONE },
};

static int decode_mem16(struct cursor *c, struct x86_insn *insn)
{
    unsigned int rm = insn->modrm & 7;
    unsigned int disp_size = insn->modrm_mod == 1 ? 1 : insn->modrm_mod == 2 ? 2 : 0;

    if (insn->modrm_mod == 0 && rm == 6) {
        set_mem_operand(insn, X86_REG_NONE, X86_REG_NONE, 1);      /* [disp16] */
        disp_size = 2;
    } else {
        set_mem_operand(insn, modrm16_forms[rm].base, modrm16_forms[rm].index, 1);
    }
    return fetch_signed(c, disp_size, &insn->mem.disp);
}

/*
 * 32/64-bit addressing (SDM vol. 2, tables 2-2 and 2-3; APM vol. 3, 1.4-1.5):
 * rm == 100b brings a SIB byte; SIB.index == 100b (without REX.X) means no
 * index; SIB.base == 101b with mod == 00 means disp32 and no base, whatever
 * REX.B says; rm == 101b with mod == 00 is disp32, RIP-relative in 64-bit
 * mode (whatever REX.B says).
 */
static int decode_mem32(struct cursor *c, struct x86_insn *insn)
{
    unsigned int rm = insn->modrm & 7;
    unsigned int mod = insn->modrm_mod;
    unsigned int disp_size = mod == 1 ? 1 : mod == 2 ? 4 : 0;
    uint8_t base = (uint8_t)(rm | (insn->rex & REX_B ? 8 : 0));
    uint8_t index = X86_REG_NONE;
    uint8_t scale = 1;

    if (rm == 4) {
        uint8_t sib;
        int rc = fetch_u8(c, &sib);

        if (rc)
            return rc;
        scale = (uint8_t)(1u << (sib >> 6));
        index = (uint8_t)(((sib >> 3) & 7) | (insn->rex & REX_X ? 8 : 0));
        if (index == GPR_RSP)
            index = X86_REG_NONE;
        base = (uint8_t)((sib & 7) | (insn->rex & REX_B ? 8 : 0));
        if ((sib & 7) == 5 && mod == 0) {
            base = X86_REG_NONE;
            disp_size = 4;
        }
    } else if (rm == 5 && mod == 0) {
        base = X86_REG_NONE;
        disp_size = 4;
        insn->mem.rip_relative = insn->mode == X86_MODE_64;
    }
    set_mem_operand(insn, base, index, scale);
    return fetch_signed(c, disp_size, &insn->mem.disp);
}

/* The r/m operand once ModRM is known: a register or a memory operand. */
static int decode_rm_operand(struct cursor *c, struct x86_insn *insn)
{
    if (insn->modrm_mod == 3) {
        insn->rm = insn->modrm_rm;
        return 0;
    }
    return insn->addr_size == 2 ? decode_mem16(c, insn) : decode_mem32(c, insn);
}

static int decode_modrm(struct cursor *c, struct x86_insn *insn)
{
    int rc = fetch_u8(c, &insn->modrm);

    if (rc)
        return rc;
    insn->has_modrm = true;
    insn->modrm_mod = insn->modrm >> 6;
    insn->modrm_reg = (uint8_t)(((insn->modrm >> 3) & 7) | (insn->rex & REX_R ? 8 : 0));
    insn->modrm_rm = (uint8_t)((insn->modrm & 7) | (insn->rex & REX_B ? 8 : 0));
    insn->reg = insn->modrm_reg;
    return 0;
}

/* ---- opcode resolution -------------------------------------------------- */

/* 0F 01: memory forms by ModRM.reg, register forms by the whole byte. */
static int resolve_group7(struct x86_insn *insn, struct opcode_desc *desc)
{
    unsigned int reg = (insn->modrm >> 3) & 7;

    if (reg == 4) {                     /* SMSW r/m: memory is 16-bit */
        desc->kind = X86_SMSW;
        return 0;
    }
    if (reg == 6) {                     /* LMSW r/m16 */
        desc->kind = X86_LMSW;
        return 0;
    }
    if (insn->modrm_mod != 3) {
        desc->kind = reg == 7 ? X86_INVLPG : X86_KIND_NONE;
        return desc->kind ? 0 : -EINVAL;
    }
    /* 66/F2/F3 select other instructions here: F3 0F 01 D9 is VMGEXIT,
     * F3 0F 01 E8 SETSSBSY (APM vol. 3, appendix A). */
    if (insn->opsize_prefix || insn->rep != X86_REP_NONE)
        return -EINVAL;
    for (unsigned int i = 0; i < ARRAY_SIZE(group7_register_forms); i++) {
        if (group7_register_forms[i].modrm == insn->modrm) {
            desc->kind = group7_register_forms[i].kind;
            return 0;
        }
    }
    return -EINVAL;
}

static int resolve_group(struct x86_insn *insn, struct opcode_desc *desc)
{
    const struct group_entry *entry;

    if (desc->group == GRP7)
        return resolve_group7(insn, desc);
    entry = &groups[desc->group][(insn->modrm >> 3) & 7];
    if (!entry->kind)
        return -EINVAL;
    desc->kind = entry->kind;
    desc->imm |= entry->imm;
    desc->flags |= entry->flags;
    return 0;
}

static int lookup_opcode(struct cursor *c, struct x86_insn *insn, uint8_t first,
                         struct opcode_desc *desc)
{
    if (first != 0x0F) {
        insn->opcode = first;
        *desc = one_byte_map[first];
    } else {
        uint8_t second;
        int rc = fetch_u8(c, &second);

        if (rc)
            return rc;
        insn->opcode = (uint16_t)(0x0F00 | second);
        *desc = two_byte_map[second];
    }
    return desc->kind || desc->group ? 0 : -EINVAL;
}

/* ---- validity ----------------------------------------------------------- */

static bool valid_in_mode(const struct x86_insn *insn, uint16_t flags)
{
    bool long_mode = insn->mode == X86_MODE_64;

    return !(flags & F_NO64 && long_mode) && !(flags & F_ONLY64 && !long_mode);
}

/* LOCK is legal only on the read-modify-write instructions whose
 * destination is memory; anything else is #UD (APM vol. 3, 1.2.5; SDM
 * vol. 2, LOCK).  LOCK MOV CRn is AMD's alternate encoding of CR8+n
 * (APM vol. 3, MOV CRn), handled in finish_control_move(). */
static bool lock_is_valid(const struct x86_insn *insn, uint16_t flags)
{
    if (flags & F_CTL)
        return insn->kind == X86_MOV_FROM_CR || insn->kind == X86_MOV_TO_CR;
    return kinds[insn->kind].lockable && insn->has_modrm && insn->modrm_mod != 3 &&
           !(flags & F_REG_DST);
}

static bool prefixes_are_valid(const struct x86_insn *insn, uint16_t flags)
{
    if (insn->lock && !lock_is_valid(insn, flags))
        return false;
    /* MOVNTI is NP 0F C3: with 66/F2/F3 it is not MOVNTI (SDM vol. 2). */
    if (flags & F_NP && (insn->opsize_prefix || insn->rep != X86_REP_NONE))
        return false;
    return true;
}

/* ---- per-kind finishing touches ----------------------------------------- */

static unsigned int immediate_size(const struct x86_insn *insn, uint8_t imm)
{
    switch (imm) {
    case IMM_8:     return 1;
    case IMM_OP:    return MIN(insn->op_size, 4);       /* Iz: imm64 only in B8+r */
    case IMM_MOFFS: return insn->addr_size;
    default:        return 0;
    }
}

static int finish_control_move(struct x86_insn *insn)
{
    bool is_cr = insn->kind == X86_MOV_FROM_CR || insn->kind == X86_MOV_TO_CR;

    insn->ctl_reg = insn->modrm_reg;
    if (insn->lock) {
        if (insn->ctl_reg & 8)
            return -EINVAL;
        insn->ctl_reg |= 8;             /* AMD: LOCK MOV CR0 == MOV CR8 */
    }
    if (!is_cr && insn->ctl_reg > 7)
        return -EINVAL;                 /* REX.R with DRn is #UD */
    insn->reg = insn->modrm_rm;
    insn->rm = insn->modrm_rm;
    /* 64-bit operands in 64-bit mode, 32-bit otherwise; 66 is ignored. */
    insn->op_size = insn->mode == X86_MODE_64 ? 8 : 4;
    return 0;
}

/* The implicit memory operands of string instructions: DS:rSI (segment
 * override allowed) for sources, ES:rDI (no override) for destinations. */
static void finish_string(struct x86_insn *insn)
{
    bool uses_rsi = insn->kind == X86_MOVS || insn->kind == X86_CMPS ||
                    insn->kind == X86_LODS || insn->kind == X86_OUTS;

    if (uses_rsi) {
        set_mem_operand(insn, GPR_RSI, X86_REG_NONE, 1);
        insn->mem.seg = effective_segment(insn, X86_SEG_DS);
    } else {
        set_mem_operand(insn, GPR_RDI, X86_REG_NONE, 1);
        insn->mem.seg = X86_SEG_ES;
    }
    insn->reg = GPR_RAX;
    insn->reg_is_dst = insn->kind == X86_LODS;
}

/* IN/OUT/INS/OUTS move 1, 2 or 4 bytes; REX.W does not make 8. */
static void finish_io(struct x86_insn *insn, uint16_t flags)
{
    uint8_t op = (uint8_t)insn->opcode;

    insn->io.size = flags & F_BYTE ? 1 : insn->op_size == 2 ? 2 : 4;
    insn->op_size = insn->io.size;
    insn->io.in = op == 0xE4 || op == 0xE5 || op == 0xEC || op == 0xED ||
                  op == 0x6C || op == 0x6D;
    insn->io.port_in_dx = insn->imm_size == 0;
    if (!insn->io.port_in_dx)
        insn->io.port = (uint16_t)(insn->imm & 0xFF);
}

static int finish_kind(struct x86_insn *insn, uint16_t flags)
{
    switch (insn->kind) {
    case X86_NOP:
        if (insn->rex & REX_B)
            return -EINVAL;             /* 41 90 is XCHG r8, rAX */
        if (insn->rep == X86_REP_E)
            insn->kind = X86_PAUSE;     /* F3 90 (SDM vol. 2, PAUSE) */
        return 0;
    case X86_WBINVD:                    /* F3 0F 09 is WBNOINVD; 66/F2 undefined */
        if (insn->opsize_prefix || insn->rep == X86_REP_NE)
            return -EINVAL;
        if (insn->rep == X86_REP_E)
            insn->kind = X86_WBNOINVD;
        return 0;
    case X86_CMPXCHG8B:
        if (insn->rex & REX_W)
            insn->kind = X86_CMPXCHG16B;
        insn->op_size = insn->rex & REX_W ? 16 : 8;
        return 0;
    case X86_MOVNTI:                    /* m32 or m64 only, even in 16-bit code */
        insn->op_size = insn->rex & REX_W ? 8 : 4;
        return 0;
    case X86_LMSW:
        insn->op_size = 2;
        return 0;
    case X86_SMSW:
        if (insn->has_mem)
            insn->op_size = 2;
        return 0;
    case X86_SETCC:
        insn->cond = insn->opcode & 0xF;
        return 0;
    default:
        if (flags & F_IO)
            finish_io(insn, flags);
        return 0;
    }
}

/* ---- the decoder -------------------------------------------------------- */

static void set_sizes(struct x86_insn *insn, uint16_t flags)
{
    insn->addr_size = address_size(insn);
    insn->op_size = flags & F_BYTE ? 1 : operand_size(insn);
    insn->src_size = flags & F_SRC8 ? 1 : flags & F_SRC16 ? 2 : flags & F_SRC32 ? 4 : 0;
    insn->src_size = insn->src_size ? MIN(insn->src_size, insn->op_size) : insn->op_size;
    insn->reg_is_dst = flags & F_REG_DST;
}

/* ModRM, then (once the operation is known) its memory operand. */
static int decode_modrm_operands(struct cursor *c, struct x86_insn *insn,
                                 struct opcode_desc *desc)
{
    int rc = decode_modrm(c, insn);

    if (rc)
        return rc;
    if (desc->group && (rc = resolve_group(insn, desc)) != 0)
        return rc;
    insn->kind = desc->kind;
    if (desc->flags & F_MEM_ONLY && insn->modrm_mod == 3)
        return -EINVAL;
    if (!prefixes_are_valid(insn, desc->flags))
        return -EINVAL;
    if (desc->flags & F_CTL)
        return finish_control_move(insn);
    return decode_rm_operand(c, insn);
}

static int decode_implicit_operands(struct x86_insn *insn, const struct opcode_desc *desc)
{
    insn->kind = desc->kind;
    if (!prefixes_are_valid(insn, desc->flags))
        return -EINVAL;
    if (desc->flags & F_STRING)
        finish_string(insn);
    if (desc->flags & F_MOFFS) {
        set_mem_operand(insn, X86_REG_NONE, X86_REG_NONE, 1);
        insn->reg = GPR_RAX;
    }
    return 0;
}

static int decode_immediate(struct cursor *c, struct x86_insn *insn, const struct opcode_desc *desc)
{
    unsigned int size = immediate_size(insn, desc->imm);
    uint64_t raw;
    int rc = fetch_le(c, size, &raw);

    if (rc)
        return rc;
    if (desc->flags & F_MOFFS) {
        insn->mem.disp = (int64_t)raw;  /* an offset: zero-extended */
    } else {
        insn->imm_size = (uint8_t)size;
        insn->imm = sign_extend(raw, size);
    }
    return 0;
}

int x86_decode(const uint8_t *bytes, size_t avail, enum x86_mode mode, struct x86_insn *out)
{
    struct cursor c = { .bytes = bytes, .avail = avail, .pos = 0 };
    struct opcode_desc desc;
    uint8_t first;
    int rc;

    memset(out, 0, sizeof(*out));
    out->mode = (uint8_t)mode;
    out->seg_prefix = X86_SEG_NONE;
    out->mem.base = out->mem.index = X86_REG_NONE;
    out->mem.seg = X86_SEG_NONE;

    if ((rc = decode_prefixes(&c, out, &first)) != 0)
        return rc;
    if ((rc = lookup_opcode(&c, out, first, &desc)) != 0)
        return rc;
    if (!valid_in_mode(out, desc.flags))
        return -EINVAL;
    set_sizes(out, desc.flags);
    if (desc.flags & F_MODRM)
        rc = decode_modrm_operands(&c, out, &desc);
    else
        rc = decode_implicit_operands(out, &desc);
    if (rc)
        return rc;
    if ((rc = decode_immediate(&c, out, &desc)) != 0)
        return rc;
    if ((rc = finish_kind(out, desc.flags)) != 0)
        return rc;
    out->len = (uint8_t)c.pos;
    return 0;
}

/* ---- effective addresses ------------------------------------------------ */

int x86_effective_address(const struct x86_insn *insn, const struct guest_regs *regs,
                          uint64_t *ea)
{
    const struct x86_mem_operand *m = &insn->mem;
    uint64_t offset;

    if (!insn->has_mem)
        return -EINVAL;
    offset = (uint64_t)m->disp;
    if (m->rip_relative)
        offset += regs->rip + insn->len;        /* relative to the next insn */
    if (m->base != X86_REG_NONE)
        offset += regs->gpr[m->base];
    if (m->index != X86_REG_NONE)
        offset += regs->gpr[m->index] * m->scale;
    /* Address arithmetic wraps at the address size (SDM vol. 1, 3.3.7). */
    *ea = offset & x86_size_mask(insn->addr_size);
    return m->seg;
}

static bool is_string_with_rdi(unsigned int kind)
{
    return kind == X86_MOVS || kind == X86_CMPS || kind == X86_STOS ||
           kind == X86_SCAS || kind == X86_INS;
}

int x86_string_dst_address(const struct x86_insn *insn, const struct guest_regs *regs,
                           uint64_t *ea)
{
    if (!is_string_with_rdi(insn->kind))
        return -EINVAL;
    *ea = regs->gpr[GPR_RDI] & x86_size_mask(insn->addr_size);
    return X86_SEG_ES;
}

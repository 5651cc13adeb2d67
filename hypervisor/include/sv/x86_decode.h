/*
 * x86 instruction decoder for the instructions a hypervisor without NRIPS
 * or decode assists (QEMU's emulated SVM) meets on an intercept: the
 * system instructions SVM intercepts, port I/O, and the memory instructions
 * that MMIO and shadow page-table writes must emulate.
 *
 * It decodes 16-, 32- and 64-bit code: legacy prefixes, REX, ModRM, SIB,
 * displacements (RIP-relative and 16-bit forms), immediates and the
 * 15-byte limit.  Anything outside the supported set is -EINVAL; the
 * decoder never guesses a length it cannot vouch for.
 *
 * References: AMD64 APM vol. 3 ch. 1 ("Instruction Encoding") and
 * appendix A (opcode maps); Intel SDM vol. 2 ch. 2 and appendix A.
 */
#ifndef SV_X86_DECODE_H
#define SV_X86_DECODE_H

#include <sv/guest_regs.h>
#include <sv/types.h>

#define X86_MAX_INSN_LEN 15     /* longer raises #GP (APM vol. 3, 1.1) */

/* Default operand/address size of the code being decoded.  The caller
 * derives it from CR0.PE, RFLAGS.VM, EFER.LMA, CS.L and CS.D. */
enum x86_mode {
    X86_MODE_16,
    X86_MODE_32,
    X86_MODE_64,
};

static inline enum x86_mode x86_code_mode(bool cr0_pe, bool rflags_vm, bool efer_lma,
                                          bool cs_l, bool cs_d)
{
    if (!cr0_pe || rflags_vm)
        return X86_MODE_16;     /* real and virtual-8086 mode */
    if (efer_lma && cs_l)
        return X86_MODE_64;
    return cs_d ? X86_MODE_32 : X86_MODE_16;
}

/* Segment registers in Sreg encoding order (the order of MOV Sreg's reg). */
enum x86_seg {
    X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS,
    X86_SEG_NONE,
};

/* The last of F2/F3 wins, as on the processors (Xen decodes the same way). */
enum x86_rep {
    X86_REP_NONE,
    X86_REP_E,                  /* F3: REP, or REPE/REPZ for CMPS/SCAS */
    X86_REP_NE,                 /* F2: REPNE/REPNZ */
};

/* What the instruction is.  Keep x86_kind_name() in step. */
enum x86_kind {
    X86_KIND_NONE,

    /* system instructions (intercepts) */
    X86_CPUID, X86_RDMSR, X86_WRMSR, X86_RDTSC, X86_RDTSCP, X86_RDPMC,
    X86_HLT, X86_PAUSE, X86_NOP,
    X86_CLTS, X86_LMSW, X86_SMSW, X86_INVD, X86_WBINVD, X86_WBNOINVD, X86_INVLPG,
    X86_MOV_FROM_CR, X86_MOV_TO_CR, X86_MOV_FROM_DR, X86_MOV_TO_DR,
    X86_IN, X86_OUT, X86_INS, X86_OUTS,
    X86_VMRUN, X86_VMMCALL, X86_VMLOAD, X86_VMSAVE, X86_STGI, X86_CLGI,
    X86_SKINIT, X86_INVLPGA, X86_MONITOR, X86_MWAIT, X86_XSETBV,

    /* memory instructions (x86_emulate_memory) */
    X86_MOV, X86_MOVZX, X86_MOVSX, X86_MOVSXD, X86_MOVNTI,
    X86_XCHG, X86_XADD, X86_CMPXCHG, X86_CMPXCHG8B, X86_CMPXCHG16B,
    X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP,
    X86_TEST, X86_INC, X86_DEC, X86_NOT, X86_NEG,
    X86_BT, X86_BTS, X86_BTR, X86_BTC, X86_SETCC,
    X86_MOVS, X86_CMPS, X86_STOS, X86_LODS, X86_SCAS,

    X86_NR_KINDS
};

/* No base or index register in a memory operand. */
#define X86_REG_NONE 0xff

/* An explicit memory operand: seg:[base + index * scale + disp], or
 * [rIP + disp] (RIP is that of the next instruction), wrapped to the
 * address size.  String instructions use rSI/rDI instead (see below). */
struct x86_mem_operand {
    uint8_t seg;                /* enum x86_seg: override, else DS or SS */
    uint8_t base;               /* enum gpr or X86_REG_NONE */
    uint8_t index;              /* enum gpr or X86_REG_NONE */
    uint8_t scale;              /* 1, 2, 4 or 8 */
    bool rip_relative;
    int64_t disp;               /* sign-extended; moffs: the offset itself */
};

struct x86_insn {
    uint16_t kind;              /* enum x86_kind */
    uint16_t opcode;            /* one-byte opcode, or 0x0F00 | second byte */
    uint8_t len;                /* total length, prefixes included */
    uint8_t mode;               /* enum x86_mode it was decoded for */

    /* Sizes in bytes.  op_size is the size of the operation: 1 for byte
     * forms, 2/4/8 from the mode, 66 and REX.W; the destination for
     * MOVZX/MOVSX/MOVSXD; 8 or 16 for CMPXCHG8B/16B; 2 for LMSW and a
     * memory SMSW; 4 or 8 for MOV CRn/DRn. */
    uint8_t op_size;
    uint8_t src_size;           /* MOVZX/MOVSX/MOVSXD source; else op_size */
    uint8_t addr_size;          /* 2, 4 or 8 */

    /* prefixes */
    uint8_t rep;                /* enum x86_rep */
    bool lock;
    bool opsize_prefix;         /* 66 seen */
    bool addrsize_prefix;       /* 67 seen */
    uint8_t seg_prefix;         /* enum x86_seg: last override byte, even one
                                   64-bit mode ignores; X86_SEG_NONE */
    uint8_t rex;                /* REX byte in effect (0x40-0x4F), 0 if none */
    uint8_t nr_prefixes;        /* bytes before the opcode */

    /* ModRM, raw and split; reg and rm carry REX.R / REX.B */
    bool has_modrm;
    uint8_t modrm;
    uint8_t modrm_mod;
    uint8_t modrm_reg;          /* 0-15 */
    uint8_t modrm_rm;           /* 0-15 */

    /*
     * Operands.
     *  has_mem:    the instruction accesses memory through 'mem' (ModRM
     *              with mod != 3, or moffs), or is a string instruction.
     *  reg:        the general register operand: ModRM.reg, rAX for the
     *              moffs forms (A0-A3), or for MOV CRn/DRn the GPR (which
     *              sits in ModRM.rm).
     *  rm:         the r/m operand when it is a register (!has_mem).
     *  reg_is_dst: 'reg' is the destination (first operand) and the r/m
     *              or memory operand the source, as in MOV r, r/m (8B),
     *              ALU r, r/m (02/03), MOVZX, moffs loads, MOV from CRn.
     *  Byte registers 4-7 mean AH/CH/DH/BH unless rex != 0.
     */
    bool has_mem;
    bool reg_is_dst;
    uint8_t reg;
    uint8_t rm;
    struct x86_mem_operand mem;

    int64_t imm;                /* sign-extended from imm_size bytes */
    uint8_t imm_size;           /* 0 when there is none */

    uint8_t ctl_reg;            /* MOV CRn/DRn: n (LOCK MOV CR0 is CR8) */
    uint8_t cond;               /* SETcc: the condition, 0-15 */

    struct {
        uint16_t port;          /* when !port_in_dx */
        uint8_t size;           /* 1, 2 or 4 */
        bool port_in_dx;
        bool in;                /* IN/INS: device to CPU */
    } io;                       /* IN, OUT, INS, OUTS */
};

/*
 * Decode one instruction from bytes[0..avail).  On success returns 0 and
 * fills *out.  Errors (*out is then unspecified):
 *   -EAGAIN  avail ends before the instruction does (and before the 15-byte
 *            limit): fetch the bytes after a page boundary and retry with
 *            a longer buffer;
 *   -EINVAL  not a valid instruction of the supported set, an invalid
 *            LOCK prefix, or longer than 15 bytes (the CPU would raise
 *            #UD or #GP).
 */
int x86_decode(const uint8_t *bytes, size_t avail, enum x86_mode mode, struct x86_insn *out);

/*
 * The offset (within its segment, wrapped to the address size) of the
 * instruction's memory operand: the ModRM or moffs operand; for string
 * instructions the rSI operand where there is one (MOVS, CMPS, LODS,
 * OUTS), else ES:rDI (STOS, SCAS, INS).  regs->rip must be the
 * instruction's own address (RIP-relative operands add len).
 * Returns the segment that applies (enum x86_seg, >= 0) or -EINVAL when
 * the instruction has no memory operand.
 */
int x86_effective_address(const struct x86_insn *insn, const struct guest_regs *regs,
                          uint64_t *ea);

/* ES:rDI of a string instruction (the destination of MOVS, the second
 * operand of CMPS); returns X86_SEG_ES or -EINVAL. */
int x86_string_dst_address(const struct x86_insn *insn, const struct guest_regs *regs,
                           uint64_t *ea);

/* "add", "mov_to_cr", ...; "?" for an out-of-range value. */
const char *x86_kind_name(unsigned int kind);

/* Mask of an operand or address of 'size' bytes (1, 2, 4, 8). */
static inline uint64_t x86_size_mask(unsigned int size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

#endif

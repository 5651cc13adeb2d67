/*
 * Emulation of the memory instructions x86_decode() recognises, for MMIO
 * and for writes to shadowed page tables.  The emulator touches guest
 * memory only through the caller's callbacks and guest registers only
 * through struct guest_regs; segment bases, limits and paging are the
 * callbacks' business (they receive a segment and an offset).
 *
 * Emulated: MOV (88-8B, C6/C7, A0-A3), MOVZX, MOVSX, MOVSXD, MOVNTI, XCHG,
 * XADD, CMPXCHG, CMPXCHG8B/16B, ADD/OR/ADC/SBB/AND/SUB/XOR/CMP (r/m forms
 * and group 1), TEST, INC, DEC, NOT, NEG, BT/BTS/BTR/BTC, SETcc and the
 * string instructions MOVS/STOS/LODS/CMPS/SCAS with or without REP.
 * Register forms (mod == 3) of the same instructions work too.
 */
#ifndef SV_X86_EMULATE_H
#define SV_X86_EMULATE_H

#include <sv/guest_regs.h>
#include <sv/types.h>
#include <sv/x86_decode.h>

/* RFLAGS bits the emulator reads or writes (APM vol. 2, 3.1.6). */
#define X86_RFLAGS_CF (1u << 0)
#define X86_RFLAGS_PF (1u << 2)
#define X86_RFLAGS_AF (1u << 4)
#define X86_RFLAGS_ZF (1u << 6)
#define X86_RFLAGS_SF (1u << 7)
#define X86_RFLAGS_DF (1u << 10)
#define X86_RFLAGS_OF (1u << 11)
#define X86_RFLAGS_ARITH (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | \
                          X86_RFLAGS_ZF | X86_RFLAGS_SF | X86_RFLAGS_OF)

/*
 * Guest memory access.  Values are little-endian byte images of 'size'
 * bytes (1, 2, 4, 8, or 16 for CMPXCHG16B).  Each returns 0, or a negative
 * errno with nothing written -- -EFAULT when the access faulted (the
 * callback records which fault; the caller injects it).
 *
 * cmpxchg: atomically compare the memory with *old; if they are equal,
 * store *new.  Either way leave in *old what the memory held.  Whether the
 * exchange happened is (*old unchanged); the emulator works that out.
 */
struct x86_emul_ops {
    int (*read)(void *ctx, enum x86_seg seg, uint64_t offset, void *buf, unsigned int size);
    int (*write)(void *ctx, enum x86_seg seg, uint64_t offset, const void *buf,
                 unsigned int size);
    int (*cmpxchg)(void *ctx, enum x86_seg seg, uint64_t offset, void *old, const void *new,
                   unsigned int size);
};

/*
 * cmpxchg made of the ops' read and write, for memory no other CPU writes
 * meanwhile (a guest frame under emulation on the vCPU's own CPU, a device
 * register): read, compare, write if equal; *old gets what was there.
 */
int x86_emul_cmpxchg_by_rw(const struct x86_emul_ops *ops, void *ctx, enum x86_seg seg,
                           uint64_t offset, void *old, const void *new, unsigned int size);

/* A REP string instruction does at most this many bytes per call (a page
 * of elements: 4096 bytes, 512 quadwords); see x86_emulate_memory(). */
#define X86_EMUL_REP_MAX_BYTES 4096u

/* A LOCKed read-modify-write retries cmpxchg this often when other CPUs
 * keep changing the memory, then gives up with -EAGAIN. */
#define X86_EMUL_LOCK_RETRIES 64u

/*
 * Execute a decoded memory instruction.  regs->rip must be the address of
 * the instruction.  Returns:
 *
 *   0             done: registers, RFLAGS and memory updated, RIP advanced
 *                 past the instruction (wrapping at 16/32 bits outside
 *                 64-bit mode).  A REP string instruction whose count
 *                 exceeds X86_EMUL_REP_MAX_BYTES of elements stops early
 *                 with rCX/rSI/rDI updated and RIP unchanged, so that
 *                 re-entering the guest (or calling again with the same
 *                 insn) carries on where it stopped: check whether RIP
 *                 moved to tell the two apart.
 *   -EFAULT       (or any other error of a callback) the access failed;
 *                 registers, RFLAGS and RIP are untouched.  A REP string
 *                 instruction keeps the iterations it completed before the
 *                 faulting one, as the processor does (SDM vol. 2, REP).
 *   -EOPNOTSUPP   not an instruction this emulator executes (CPUID, IN,
 *                 INS/OUTS, ...); nothing changed.
 *   -EINVAL       the instruction raises #GP(0) here: a CMPXCHG16B operand
 *                 that is not 16-byte aligned; nothing changed.
 *   -EAGAIN       a LOCKed read-modify-write lost X86_EMUL_LOCK_RETRIES
 *                 races in a row; nothing changed, re-execute it.
 *
 * Atomicity: XCHG with memory and LOCKed read-modify-writes go through
 * ops->cmpxchg.  CMPXCHG and CMPXCHG8B/16B always do, LOCK or not, so a
 * failed compare writes nothing, as AMD specifies (Intel's unlocked form
 * writes the old value back; only an MMIO device could tell).  Everything
 * else reads, then writes.
 */
int x86_emulate_memory(const struct x86_insn *insn, struct guest_regs *regs,
                       const struct x86_emul_ops *ops, void *ctx);

#endif

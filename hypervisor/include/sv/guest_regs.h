/*
 * A vCPU's general-purpose registers as the world switch saves them, in
 * x86 encoding order (ModRM.reg/rm and REX extend it to 16), so the
 * instruction decoder and emulator index them directly.
 */
#ifndef SV_GUEST_REGS_H
#define SV_GUEST_REGS_H

#include <sv/types.h>

enum gpr {
    GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
    GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
    NR_GPRS
};

struct guest_regs {
    uint64_t gpr[NR_GPRS];      /* RSP and RAX are mirrored from the VMCB around exits */
    uint64_t rip;
    uint64_t rflags;
};

#endif

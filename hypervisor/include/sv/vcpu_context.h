/*
 * A vCPU's first state as a toolstack or the guest itself gives it
 * (struct vcpu_hvm_context: SV_DOMCTL_setvcpucontext, VCPUOP_initialise).
 * Checked here, in plain C, before the architecture loads it: a state the
 * CPU would refuse at VMRUN (or that would make us emulate real mode) is
 * -EINVAL with a reason, never a crash later.
 */
#ifndef SV_VCPU_CONTEXT_H
#define SV_VCPU_CONTEXT_H

#include <sv/types.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

/* Control-register and EFER bits a starting vCPU may have. */
#define VCTX_CR0_ALLOWED  0xe005003full     /* PE MP EM TS ET NE WP AM NW CD PG */
#define VCTX_CR4_ALLOWED  0x00370fffull     /* VME..OSXMMEXCPT UMIP, FSGSBASE OSXSAVE SMEP SMAP */
#define VCTX_EFER_ALLOWED 0x00000d01ull     /* SCE LME LMA NXE */

/* 0, or -EINVAL with *why naming the first problem. */
int vcpu_context_check(const struct vcpu_hvm_context *ctx, const char **why);

#endif

/*
 * Running a vCPU: the VMRUN loop and the exit handlers.  QEMU's SVM has no
 * NRIPS, so every instruction we complete for the guest is decoded here to
 * learn its length (x86_decode).
 */
#include <sv/dom0.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/machine.h>
#include <sv/schedule.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/guest_walk.h>
#include <sv/hypercall.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <sv/x86_decode.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/percpu.h>
#include <asm/svm.h>
#include <asm/vmcb.h>
#include <asm/x86.h>

#define SEG_ATTR_L (1u << 9)
#define SEG_ATTR_D (1u << 10)
#define RFLAGS_VM  (1ull << 17)

void svm_inject_exception(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error)
{
    uint64_t ev = vector | EVENT_TYPE_EXCEPTION | EVENT_VALID;

    if (has_error)
        ev |= EVENT_ERROR_VALID | ((uint64_t)error << 32);
    v->arch.vmcb->eventinj = ev;
}

static void inject_gp0(struct vcpu *v) { svm_inject_exception(v, 13, true, 0); }
static void inject_ud(struct vcpu *v) { svm_inject_exception(v, 6, false, 0); }

uint64_t svm_guest_efer(const struct vcpu *v)
{
    if (v->domain->paging == PAGING_SHADOW)
        return v->arch.guest_efer;
    return v->arch.vmcb->efer & ~(uint64_t)EFER_SVME;
}

int svm_set_guest_efer(struct vcpu *v, uint64_t val)
{
    const uint64_t allowed = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;

    if (val & ~allowed)
        return -EINVAL;
    if (v->domain->paging == PAGING_SHADOW)
        return svm_shadow_set_efer(v, val) == -EINVAL ? -EINVAL : 0;
    /* LMA is the CPU's to set; keep the current value (APM vol. 2, 14.6.1). */
    val = (val & ~(uint64_t)EFER_LMA) | (v->arch.vmcb->efer & EFER_LMA);
    v->arch.guest_efer = val;
    v->arch.vmcb->efer = val | EFER_SVME;
    return 0;
}

uint64_t svm_guest_pat(const struct vcpu *v)
{
    return v->arch.vmcb->g_pat;
}

void svm_set_guest_pat(struct vcpu *v, uint64_t val)
{
    v->arch.vmcb->g_pat = val;
}

void svm_guest_paging(const struct vcpu *v, struct guest_paging *out)
{
    const struct vmcb *vmcb = v->arch.vmcb;

    if (v->domain->paging == PAGING_SHADOW) {
        out->cr0 = v->arch.guest_cr0;
        out->cr3 = v->arch.guest_cr3;
        out->cr4 = v->arch.guest_cr4;
        out->efer = v->arch.guest_efer;
    } else {
        /* With nested paging the VMCB holds the guest's own values. */
        out->cr0 = vmcb->cr0;
        out->cr3 = vmcb->cr3;
        out->cr4 = vmcb->cr4;
        out->efer = vmcb->efer;
    }
    out->rflags_ac = vmcb->rflags & (1u << 18);
    /* The CPU's answers never change: ask once, not on every walk. */
    static int gbpages = -1;
    static unsigned int maxphyaddr;
    if (gbpages < 0) {
        maxphyaddr = cpuid(0x80000008).eax & 0xff;
        __atomic_store_n(&gbpages, (int)((cpuid(0x80000001).edx >> 26) & 1), __ATOMIC_RELEASE);
    }
    out->gbpages = __atomic_load_n(&gbpages, __ATOMIC_ACQUIRE);
    out->maxphyaddr = maxphyaddr;
}

static enum x86_mode guest_code_mode(const struct vmcb *vmcb)
{
    return x86_code_mode(vmcb->cr0 & X86_CR0_PE, vmcb->rflags & RFLAGS_VM,
                         vmcb->efer & EFER_LMA, vmcb->cs.attr & SEG_ATTR_L,
                         vmcb->cs.attr & SEG_ATTR_D);
}

/* A segment's base as the guest's current mode applies it: 64-bit code
 * ignores the bases of ES, CS, SS and DS (APM vol. 2, 4.12). */
uint64_t svm_seg_base(const struct vmcb *vmcb, unsigned int seg)
{
    const struct vmcb_seg *const segs[] = {
        &vmcb->es, &vmcb->cs, &vmcb->ss, &vmcb->ds, &vmcb->fs, &vmcb->gs,
    };

    if (seg >= ARRAY_SIZE(segs))
        return 0;
    if (guest_code_mode(vmcb) == X86_MODE_64 && seg < X86_SEG_FS)
        return 0;
    return segs[seg]->base;
}

/* Decode the instruction at the guest's RIP. 0, or -errno (guest crashed). */
int svm_decode_at_rip(struct vcpu *v, struct x86_insn *insn)
{
    const struct vmcb *vmcb = v->arch.vmcb;
    enum x86_mode mode = guest_code_mode(vmcb);
    uint64_t la = svm_seg_base(vmcb, X86_SEG_CS) + vmcb->rip;
    uint8_t bytes[X86_MAX_INSN_LEN];
    size_t first = MIN(sizeof(bytes), PAGE_SIZE - (la & (PAGE_SIZE - 1)));
    int rc;

    bool user = vmcb->cpl == 3;

    if (copy_insn_from_guest(v, bytes, la, first, user))
        goto bad_fetch;
    rc = x86_decode(bytes, first, mode, insn);
    if (rc == -EAGAIN && first < sizeof(bytes)) {
        if (copy_insn_from_guest(v, bytes + first, la + first, sizeof(bytes) - first, user))
            goto bad_fetch;
        rc = x86_decode(bytes, sizeof(bytes), mode, insn);
    }
    if (rc) {
        domain_crash(v->domain, "cannot decode the instruction at rip %#lx (%02x %02x %02x %02x)",
                     (unsigned long)vmcb->rip, bytes[0], bytes[1], bytes[2], bytes[3]);
        return rc;
    }
    return 0;

bad_fetch:
    domain_crash(v->domain, "cannot fetch the instruction at rip %#lx", (unsigned long)vmcb->rip);
    return -EFAULT;
}

/* Complete an instruction of the expected kind: decode it for its length. */
static bool skip_insn(struct vcpu *v, enum x86_kind expect)
{
    struct x86_insn insn;

    if (svm_decode_at_rip(v, &insn))
        return false;
    if (insn.kind != expect) {
        domain_crash(v->domain, "exit for %s but the instruction at rip %#lx is %s",
                     x86_kind_name(expect), (unsigned long)v->regs.rip, x86_kind_name(insn.kind));
        return false;
    }
    v->regs.rip += insn.len;
    v->arch.vmcb->interrupt_shadow = 0;
    return true;
}

static void handle_vmmcall(struct vcpu *v)
{
    struct guest_regs *r = &v->regs;
    unsigned long args[HYPERCALL_MAX_ARGS];
    bool long_mode = guest_code_mode(v->arch.vmcb) == X86_MODE_64;
    uint64_t vmmcall_rip = r->rip;

    if (!skip_insn(v, X86_VMMCALL))
        return;
    if (v->arch.vmcb->cpl != 0) {
        r->gpr[GPR_RAX] = (uint64_t)(long)-EPERM;   /* Xen refuses user-mode hypercalls */
        return;
    }
    if (long_mode) {
        args[0] = r->gpr[GPR_RDI];
        args[1] = r->gpr[GPR_RSI];
        args[2] = r->gpr[GPR_RDX];
        args[3] = r->gpr[GPR_R10];
        args[4] = r->gpr[GPR_R8];
    } else {
        args[0] = (uint32_t)r->gpr[GPR_RBX];
        args[1] = (uint32_t)r->gpr[GPR_RCX];
        args[2] = (uint32_t)r->gpr[GPR_RDX];
        args[3] = (uint32_t)r->gpr[GPR_RSI];
        args[4] = (uint32_t)r->gpr[GPR_RDI];
    }
    long ret = do_hypercall(v, long_mode ? r->gpr[GPR_RAX] : (uint32_t)r->gpr[GPR_RAX], args);
    if (v->hcall_continue) {
        /* Run the VMMCALL again with the new arguments; RAX keeps the number. */
        static const unsigned int gpr64[] = { GPR_RDI, GPR_RSI, GPR_RDX, GPR_R10, GPR_R8 };
        static const unsigned int gpr32[] = { GPR_RBX, GPR_RCX, GPR_RDX, GPR_RSI, GPR_RDI };

        v->hcall_continue = false;
        for (unsigned int i = 0; i < HYPERCALL_MAX_ARGS; i++)
            r->gpr[long_mode ? gpr64[i] : gpr32[i]] =
                long_mode ? v->hcall_args[i] : (uint32_t)v->hcall_args[i];
        r->rip = vmmcall_rip;
        return;
    }
    r->gpr[GPR_RAX] = long_mode ? (uint64_t)ret : (uint32_t)ret;
}

static void handle_cpuid(struct vcpu *v)
{
    struct guest_regs *r = &v->regs;
    uint32_t out[4];

    if (!skip_insn(v, X86_CPUID))
        return;
    guest_cpuid(v, (uint32_t)r->gpr[GPR_RAX], (uint32_t)r->gpr[GPR_RCX], out);
    r->gpr[GPR_RAX] = out[0];
    r->gpr[GPR_RBX] = out[1];
    r->gpr[GPR_RCX] = out[2];
    r->gpr[GPR_RDX] = out[3];
}

static void handle_msr(struct vcpu *v)
{
    struct guest_regs *r = &v->regs;
    bool write = v->arch.vmcb->exitinfo1 & 1;
    uint32_t msr = (uint32_t)r->gpr[GPR_RCX];
    uint64_t val;
    uint64_t rip = r->rip;

    if (!skip_insn(v, write ? X86_WRMSR : X86_RDMSR))
        return;
    if (write) {
        val = (r->gpr[GPR_RDX] << 32) | (uint32_t)r->gpr[GPR_RAX];
        if (guest_wrmsr(v, msr, val) == 0)
            return;
    } else if (guest_rdmsr(v, msr, &val) == 0) {
        r->gpr[GPR_RAX] = (uint32_t)val;
        r->gpr[GPR_RDX] = val >> 32;
        return;
    }
    r->rip = rip;               /* a faulting instruction does not complete */
    inject_gp0(v);
}

/* EXITINFO1 for IOIO (APM vol. 2, 15.10.2); EXITINFO2 is the next RIP. */
static void handle_ioio(struct vcpu *v)
{
    const struct vmcb *vmcb = v->arch.vmcb;
    uint64_t info = vmcb->exitinfo1;
    uint16_t port = info >> 16;
    unsigned int size = (info & (1u << 4)) ? 1 : (info & (1u << 5)) ? 2 : 4;
    bool in = info & 1;

    if (info & (1u << 2)) {
        domain_crash(v->domain, "string I/O to port %#x: not emulated", port);
        return;
    }
    if (in) {
        uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
        uint64_t val = guest_io_read(v, port, size);
        /* 32-bit results zero-extend into RAX; narrower ones merge. */
        if (size == 4)
            v->regs.gpr[GPR_RAX] = (uint32_t)val;
        else
            v->regs.gpr[GPR_RAX] = (v->regs.gpr[GPR_RAX] & ~mask) | (val & mask);
    } else {
        guest_io_write(v, port, size, (uint32_t)v->regs.gpr[GPR_RAX]);
    }
    v->regs.rip = vmcb->exitinfo2;
}

static void handle_hlt(struct vcpu *v)
{
    if (!skip_insn(v, X86_HLT))
        return;
    /* An upcall to take ends the halt at once; otherwise let the physical
     * CPU rest until an interrupt (its timer, or a kick from a peer). */
    if (!vcpu_upcall_pending(v))
        safe_halt();
}

/* EXITINFO1 of a nested page fault: the PFEC bits (APM vol. 2, 15.25.6). */
#define NPF_WRITE (1ull << 1)

static void handle_npf(struct vcpu *v)
{
    const struct vmcb *vmcb = v->arch.vmcb;
    uint64_t gpa = vmcb->exitinfo2;
    enum p2m_type type;

    p2m_lookup(&v->domain->p2m, gpa >> PAGE_SHIFT, &type);
    if (type == P2M_MMIO_WP && (vmcb->exitinfo1 & NPF_WRITE)) {
        svm_emulate_guarded_write(v, gpa);
        return;
    }
    if (type == P2M_INVALID && v->domain->is_dom0 && dom0_map_on_demand(v->domain, gpa >> PAGE_SHIFT) == 0)
        return;                 /* device memory, mapped 1:1 on first touch */
    if (type == P2M_INVALID)
        domain_crash(v->domain, "touched guest-physical address %#lx outside its p2m "
                     "(rip %#lx, nested fault %#lx)", (unsigned long)gpa,
                     (unsigned long)vmcb->rip, (unsigned long)vmcb->exitinfo1);
    else
        domain_crash(v->domain, "nested page fault at gpa %#lx (%s, error %#lx, rip %#lx)",
                     (unsigned long)gpa, p2m_type_name(type), (unsigned long)vmcb->exitinfo1,
                     (unsigned long)vmcb->rip);
}

static enum exit_reason_counter exit_counter_for(uint64_t code)
{
    if (code < 0x10)
        return EXIT_CNT_CR_READ;
    if (code < 0x20)
        return EXIT_CNT_CR_WRITE;
    if (code == VMEXIT_PF)
        return EXIT_CNT_PF;
    if (code >= VMEXIT_EXCP_BASE && code < VMEXIT_EXCP_BASE + 32)
        return EXIT_CNT_EXCEPTION;
    switch (code) {
    case VMEXIT_INTR: return EXIT_CNT_INTR;
    case VMEXIT_NMI: return EXIT_CNT_NMI;
    case VMEXIT_VINTR: return EXIT_CNT_VINTR;
    case VMEXIT_CPUID: return EXIT_CNT_CPUID;
    case VMEXIT_HLT: return EXIT_CNT_HLT;
    case VMEXIT_INVLPG: return EXIT_CNT_INVLPG;
    case VMEXIT_IOIO: return EXIT_CNT_IOIO;
    case VMEXIT_MSR: return EXIT_CNT_MSR;
    case VMEXIT_SHUTDOWN: return EXIT_CNT_SHUTDOWN;
    case VMEXIT_VMMCALL: return EXIT_CNT_VMMCALL;
    case VMEXIT_NPF: return EXIT_CNT_NPF;
    case VMEXIT_RDTSC: return EXIT_CNT_RDTSC;
    case VMEXIT_PAUSE: return EXIT_CNT_PAUSE;
    case VMEXIT_XSETBV: return EXIT_CNT_XSETBV;
    default: return EXIT_CNT_OTHER;
    }
}

static void handle_exit(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    uint64_t code = vmcb->exitcode;

    /* QEMU's TCG reports the invalid-state exit as a 32-bit -1. */
    if (code == 0xffffffffull)
        code = VMEXIT_INVALID;
    v->exits[exit_counter_for(code)]++;
    switch (code) {
    case VMEXIT_INTR:
    case VMEXIT_NMI:
        break;                  /* taken by our IDT once GIF is set again */
    case VMEXIT_VINTR:
        break;                  /* the guest can take the upcall now: see svm_inject_upcall */
    case VMEXIT_VMMCALL:
        handle_vmmcall(v);
        break;
    case VMEXIT_CPUID:
        handle_cpuid(v);
        break;
    case VMEXIT_MSR:
        handle_msr(v);
        break;
    case VMEXIT_IOIO:
        handle_ioio(v);
        break;
    case VMEXIT_HLT:
        handle_hlt(v);
        break;
    case VMEXIT_NPF:
        handle_npf(v);
        break;
    case VMEXIT_PF:
        svm_shadow_page_fault(v);
        break;
    case 0x000: case 0x003: case 0x004: case 0x010: case 0x013: case 0x014:
    case VMEXIT_INVLPG: {
        struct x86_insn insn;
        if (svm_decode_at_rip(v, &insn))
            break;
        if (code == VMEXIT_INVLPG)
            svm_shadow_invlpg(v, &insn);
        else
            svm_shadow_cr_access(v, &insn);
        break;
    }
    case VMEXIT_SHUTDOWN:
        domain_crash(v->domain, "triple fault (rip %#lx)", (unsigned long)vmcb->rip);
        break;
    case VMEXIT_VMRUN: case 0x082: case 0x083: case 0x084: case 0x085: case 0x086:
    case 0x08a: case 0x08b: case 0x07a:
        inject_ud(v);           /* SVM instructions, MONITOR/MWAIT, INVLPGA: not for guests */
        break;
    case VMEXIT_INVALID:
        printk(LOG_ERR "d%u v%u: VMRUN refused: eventinj %#lx exitintinfo %#lx vintr %#lx "
               "intercepts %#x/%#x cs %#x/%#x ss %#x cpl %u dr7 %#lx g_pat %#lx\n",
               v->domain->id, v->id, (unsigned long)vmcb->eventinj,
               (unsigned long)vmcb->exitintinfo, (unsigned long)vmcb->vintr,
               vmcb->intercept_misc1, vmcb->intercept_misc2, vmcb->cs.sel, vmcb->cs.attr,
               vmcb->ss.attr, vmcb->cpl, (unsigned long)vmcb->dr7, (unsigned long)vmcb->g_pat);
        domain_crash(v->domain, "VMRUN refused the guest state (cr0 %#lx cr3 %#lx cr4 %#lx efer %#lx "
                     "rflags %#lx cs %#x/%#x ss %#x; the guest's cr0 %#lx cr4 %#lx, rip %#lx)",
                     (unsigned long)vmcb->cr0, (unsigned long)vmcb->cr3, (unsigned long)vmcb->cr4,
                     (unsigned long)vmcb->efer, (unsigned long)vmcb->rflags, vmcb->cs.sel,
                     vmcb->cs.attr, vmcb->ss.attr, (unsigned long)v->arch.guest_cr0,
                     (unsigned long)v->arch.guest_cr4, (unsigned long)vmcb->rip);
        break;
    default:
        domain_crash(v->domain, "unhandled exit %#lx (info1 %#lx info2 %#lx, rip %#lx)",
                     (unsigned long)code, (unsigned long)vmcb->exitinfo1,
                     (unsigned long)vmcb->exitinfo2, (unsigned long)vmcb->rip);
        break;
    }
}

static void regs_from_vmcb(struct vcpu *v)
{
    const struct vmcb *vmcb = v->arch.vmcb;

    v->regs.gpr[GPR_RAX] = vmcb->rax;
    v->regs.gpr[GPR_RSP] = vmcb->rsp;
    v->regs.rip = vmcb->rip;
    v->regs.rflags = vmcb->rflags;
}

static void regs_to_vmcb(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;

    vmcb->rax = v->regs.gpr[GPR_RAX];
    vmcb->rsp = v->regs.gpr[GPR_RSP];
    vmcb->rip = v->regs.rip;
    vmcb->rflags = v->regs.rflags;
}

/*
 * QEMU's TCG reports an external interrupt whose delivery an exit cut
 * short (dom0 takes its interrupts directly; a shadow #PF on its IDT or
 * stack) as an *exception* with the interrupt's vector (seen: exitintinfo
 * 0x80000330, vector 0x30, Linux's timer).  Injected back as it is, VMRUN
 * refuses it: no exception has a vector above 31.  It is an interrupt.
 */
static uint64_t redeliverable(struct vcpu *v, uint64_t info)
{
    uint64_t type = info & (7ull << 8), vector = info & 0xff;

    /* INT n, INT3, INTO: without NRIPS we cannot say where the guest
     * resumes after an injected software interrupt; its RIP is still on
     * the instruction, which simply runs again. */
    if (type == EVENT_TYPE_SOFT_INT || (type == EVENT_TYPE_EXCEPTION && (vector == 3 || vector == 4))) {
        v->soft_events_replayed++;
        return 0;
    }
    if (type == EVENT_TYPE_EXCEPTION && vector >= 32)
        info = (info & ~((7ull << 8) | EVENT_ERROR_VALID | (0xffffffffull << 32))) | EVENT_TYPE_INTR;
    return info;
}

enum vcpu_run_end vcpu_arch_run(struct vcpu *v, uint64_t slice_end_ns)
{
    struct vmcb *vmcb = v->arch.vmcb;
    struct percpu *pc = this_cpu();
    paddr_t host_state = pc->svm_host_state_pa;

    if (!v->arch.regs_loaded) {
        v->regs.rip = vmcb->rip;
        v->regs.rflags = vmcb->rflags;
        v->arch.regs_loaded = true;
    }
    /* Its own ASID: flush only when it comes from another CPU (what it
     * left in this CPU's TLB may be stale by now).  The shared ASID: also
     * whenever another vCPU ran here since. */
    if (v->arch.last_cpu != pc->cpu || (svm_asid_shared(v->arch.asid) && pc->last_vcpu != v))
        v->arch.flush_tlb = true;
    v->arch.last_cpu = pc->cpu;
    pc->last_vcpu = v;
    for (;;) {
        if (!domain_is_alive(v->domain))
            return VCPU_RUN_DEAD;
        if (v->down_requested)
            return VCPU_RUN_DOWN;
        if (v->block_requested) {
            v->block_requested = false;
            return VCPU_RUN_BLOCK;
        }
        if (pc->need_resched || now_ns() >= slice_end_ns) {
            pc->need_resched = false;
            return VCPU_RUN_PREEMPT;
        }
        if (v->arch.flush_tlb) {
            vmcb->tlb_control = 1;
            v->arch.flush_tlb = false;
        }
        if (v->domain->paging == PAGING_SHADOW)
            svm_shadow_before_entry(v);
        if (!domain_is_alive(v->domain))
            continue;
        vcpu_before_entry(v);
        svm_inject_upcall(v);
        regs_to_vmcb(v);
        /* GIF=0 holds interrupts while the hidden state is the guest's;
         * IF=1 at VMRUN lets them cause an exit (V_INTR_MASKING). */
        cli();
        __asm__ volatile("clgi" ::: "memory");
        sti();
        svm_vmrun(&v->regs, v->arch.vmcb_pa, host_state);
        cli();
        __asm__ volatile("stgi" ::: "memory");
        /* dom0's interrupts are its own: they wait in the APIC for it. */
        if (!v->domain->is_dom0)
            sti();
        vmcb->tlb_control = 0;
        /* An event whose delivery the exit interrupted is delivered again
         * (APM vol. 2, 15.7.2); anything injected was taken. */
        vmcb->eventinj = (vmcb->exitintinfo & EVENT_VALID) ? redeliverable(v, vmcb->exitintinfo) : 0;
        regs_from_vmcb(v);
        handle_exit(v);
        sched_tick_if_due();
    }
}

/*
 * SVM discovery and enablement.  Every CPU that will run guests needs
 * EFER.SVME set and a host save area registered in VM_HSAVE_PA before its
 * first VMRUN (AMD APM vol. 2, 15.4 and 15.30.4).
 */
#include <sv/spinlock.h>
#include <sv/domain.h>
#include <sv/errno.h>
#include <sv/fmt.h>
#include <sv/machine.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/svm.h>
#include <asm/x86.h>

struct svm_caps svm_caps;

static const struct { uint32_t bit; const char *name; } feature_names[] = {
    { SVM_FEAT_NPT, "NPT" }, { SVM_FEAT_LBRV, "LbrVirt" }, { SVM_FEAT_SVML, "SVML" },
    { SVM_FEAT_NRIPS, "NRIPS" }, { SVM_FEAT_TSC_RATE, "TscRate" },
    { SVM_FEAT_VMCB_CLEAN, "VmcbClean" }, { SVM_FEAT_FLUSH_BY_ASID, "FlushByAsid" },
    { SVM_FEAT_DECODE_ASSISTS, "DecodeAssists" }, { SVM_FEAT_PAUSE_FILTER, "PauseFilter" },
    { SVM_FEAT_PAUSE_THRESH, "PauseFilterThreshold" }, { SVM_FEAT_AVIC, "AVIC" },
    { SVM_FEAT_VLS, "VirtVmsaveVmload" }, { SVM_FEAT_VGIF, "vGIF" },
};

static void svm_read_caps(void)
{
    if (cpuid(0x80000000).eax < 0x8000000a || !(cpuid(0x80000001).ecx & (1u << 2)))
        return;
    svm_caps.present = true;
    svm_caps.disabled_by_bios = rdmsr(MSR_VM_CR) & VM_CR_SVMDIS;

    struct cpuid_regs r = cpuid(0x8000000a);
    svm_caps.revision = r.eax & 0xff;
    svm_caps.nr_asids = r.ebx;
    svm_caps.features = r.edx;
}

void svm_check_or_halt(void)
{
    char list[256];
    int len = 0;

    svm_read_caps();
    if (!svm_caps.present) {
        printk(LOG_ERR "SVM: this CPU has no AMD SVM (AMD-V): splitvisor cannot run guests.\n");
        printk(LOG_ERR "SVM: boot it on an AMD-V machine, or in QEMU with -cpu max (TCG) "
                       "or -cpu host (KVM on AMD). Halting.\n");
        machine_halt();
    }
    if (svm_caps.disabled_by_bios) {
        printk(LOG_ERR "SVM: disabled by the firmware (VM_CR.SVMDIS): enable "
                       "virtualization (SVM mode) in the firmware setup. Halting.\n");
        machine_halt();
    }
    list[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++)
        if ((svm_caps.features & feature_names[i].bit) && len < (int)sizeof(list))
            len += fmt_snprintf(list + len, sizeof(list) - len, " %s", feature_names[i].name);
    printk("SVM: revision %u, %u ASIDs, features:%s\n", svm_caps.revision,
           svm_caps.nr_asids, len ? list : " none");
    if (!(svm_caps.features & SVM_FEAT_NPT))
        printk(LOG_WARN "SVM: no NPT: paging=hap domains will be refused\n");
    if (!(svm_caps.features & SVM_FEAT_NRIPS))
        printk("SVM: no NRIPS: instruction lengths are decoded in software\n");
}

int svm_cpu_enable(struct percpu *pc)
{
    void *hsave = alloc_pages(0);
    void *host_state = alloc_pages(0);

    if (!hsave || !host_state)
        return -ENOMEM;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    pc->svm_hsave_pa = virt_to_phys(hsave);
    wrmsr(MSR_VM_HSAVE_PA, pc->svm_hsave_pa);
    /* Our descriptors and GS base are final by now: keep them for VMLOAD
     * after every exit (entry.S). */
    pc->svm_host_state_pa = virt_to_phys(host_state);
    svm_vmsave_host(pc->svm_host_state_pa);
    return 0;
}

/*
 * ASIDs tag TLB entries per physical CPU.  Until the scheduler puts several
 * vCPUs on one CPU, each CPU runs one vCPU at a time, so one ASID serves,
 * and a new vCPU flushes it on its first VMRUN (vmcb_init sets
 * TLB_CONTROL).
 */
bool paging_mode_supported(enum paging_mode mode)
{
    if (mode == PAGING_HAP)
        return svm_caps.features & SVM_FEAT_NPT;
    return true;            /* shadow paging needs nothing beyond SVM itself */
}

/*
 * One ASID per vCPU while they last (APM vol. 2, 15.16): a vCPU's TLB
 * entries then survive other vCPUs running on the same CPU.  ASID 0 is the
 * host's; ASID 1 is shared by every vCPU that found none free, and those
 * flush whenever they enter a CPU another vCPU used last.
 */
#define ASID_SHARED  1u
#define ASID_MAX     1024u
static uint8_t asid_used[ASID_MAX];
static spinlock_t asid_lock = SPINLOCK_INIT;

uint32_t svm_asid_alloc(void)
{
    uint32_t limit = MIN(svm_caps.nr_asids, ASID_MAX), asid = ASID_SHARED;

    spin_lock(&asid_lock);
    for (uint32_t a = ASID_SHARED + 1; a < limit; a++)
        if (!asid_used[a]) {
            asid_used[a] = 1;
            asid = a;
            break;
        }
    spin_unlock(&asid_lock);
    return asid;
}

void svm_asid_free(uint32_t asid)
{
    if (asid > ASID_SHARED && asid < ASID_MAX)
        __atomic_store_n(&asid_used[asid], 0, __ATOMIC_RELEASE);
}

bool svm_asid_shared(uint32_t asid)
{
    return asid == ASID_SHARED;
}

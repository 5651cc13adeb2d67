/* FPU state hygiene between vCPUs (see asm/fpu.h). */
#include <sv/printk.h>
#include <sv/string.h>
#include <asm/cpu.h>
#include <asm/fpu.h>
#include <asm/x86.h>

#define CR4_OSXSAVE (1ull << 18)
#define XSTATE_X87  (1ull << 0)
#define XSTATE_SSE  (1ull << 1)
#define XSTATE_AVX  (1ull << 2)

static bool have_xsave;
static uint64_t host_xcr0;
/* An XSAVE area whose header says "every component in its initial state":
 * XRSTOR from it initialises them all (SDM vol. 1, 13.8.1).  The legacy
 * part doubles as FXRSTOR's image (FCW 0x37f, MXCSR 0x1f80). */
static uint8_t init_area[4096] __attribute__((aligned(64)));

static void xsetbv(uint32_t reg, uint64_t val)
{
    __asm__ volatile("xsetbv" :: "c"(reg), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
}

void fpu_cpu_init(void)
{
    uint64_t cr4 = read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    have_xsave = (cpuid(1).ecx >> 26) & 1;
    if (have_xsave) {
        struct cpuid_regs d = cpuid_count(0xd, 0);
        uint64_t supported = ((uint64_t)d.edx << 32) | d.eax;
        host_xcr0 = supported & (XSTATE_X87 | XSTATE_SSE | XSTATE_AVX);
        cr4 |= CR4_OSXSAVE;
    }
    write_cr4(cr4);
    if (have_xsave)
        xsetbv(0, host_xcr0);
    uint16_t fcw = 0x37f;
    uint32_t mxcsr = 0x1f80;
    memcpy(init_area + 0, &fcw, sizeof(fcw));
    memcpy(init_area + 24, &mxcsr, sizeof(mxcsr));
}

void fpu_reset_for_new_vcpu(void)
{
    if (have_xsave) {
        xsetbv(0, host_xcr0);       /* the last guest may have changed it */
        __asm__ volatile("xrstor %0" :: "m"(*(const uint8_t (*)[4096])init_area),
                         "a"((uint32_t)host_xcr0), "d"((uint32_t)(host_xcr0 >> 32)) : "memory");
    } else {
        __asm__ volatile("fninit; fxrstor %0" :: "m"(*(const uint8_t (*)[512])init_area) : "memory");
    }
}

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;

    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

void fpu_init_area(void *area)
{
    memcpy(area, init_area, FPU_AREA_SIZE);
}

/* XCR0 is not part of the VMCB: the guest's value lives in the CPU while
 * it runs, so it is saved with the rest, and the save and restore run
 * under ours (every component we enable). */
void fpu_save(void *area, uint64_t *xcr0)
{
    if (have_xsave) {
        *xcr0 = xgetbv0();
        xsetbv(0, host_xcr0);
        __asm__ volatile("xsave %0" : "=m"(*(uint8_t (*)[FPU_AREA_SIZE])area)
                         : "a"((uint32_t)host_xcr0), "d"((uint32_t)(host_xcr0 >> 32)) : "memory");
    } else {
        __asm__ volatile("fxsave %0" : "=m"(*(uint8_t (*)[512])area) :: "memory");
    }
}

void fpu_restore(const void *area, uint64_t xcr0)
{
    if (have_xsave) {
        xsetbv(0, host_xcr0);
        __asm__ volatile("xrstor %0" :: "m"(*(const uint8_t (*)[FPU_AREA_SIZE])area),
                         "a"((uint32_t)host_xcr0), "d"((uint32_t)(host_xcr0 >> 32)) : "memory");
        if (xcr0 && xcr0 != host_xcr0)
            xsetbv(0, xcr0);
    } else {
        __asm__ volatile("fxrstor %0" :: "m"(*(const uint8_t (*)[512])area) : "memory");
    }
}

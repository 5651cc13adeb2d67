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

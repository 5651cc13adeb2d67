/* CPU identification, printed once at boot. */
#include <sv/printk.h>
#include <sv/string.h>
#include <asm/cpu.h>

void cpu_identify(void)
{
    struct cpuid_regs r = cpuid(0);
    char vendor[13], brand[49] = "";
    uint32_t *v = (uint32_t *)vendor;

    v[0] = r.ebx;
    v[1] = r.edx;
    v[2] = r.ecx;
    vendor[12] = '\0';

    struct cpuid_regs sig = cpuid(1);
    unsigned int family = (sig.eax >> 8) & 0xf, model = (sig.eax >> 4) & 0xf;
    if (family == 0xf) {
        family += (sig.eax >> 20) & 0xff;
        model |= ((sig.eax >> 16) & 0xf) << 4;
    }
    if (cpuid(0x80000000).eax >= 0x80000004) {
        for (uint32_t leaf = 0; leaf < 3; leaf++) {
            struct cpuid_regs b = cpuid(0x80000002 + leaf);
            memcpy(brand + leaf * 16, &b, 16);
        }
        brand[48] = '\0';
    }
    printk("CPU: %s family %#x model %#x stepping %u: %s\n", vendor, family, model,
           sig.eax & 0xf, brand);
}

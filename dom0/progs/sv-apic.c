/*
 * sv-apic: what dom0 can and cannot do with CPU 0's local APIC.
 *
 * dom0 owns CPU 0's APIC, but the other CPUs are the hypervisor's: their
 * APICs must be out of dom0's reach.  Through /dev/mem (boot dom0 with
 * iomem=relaxed, or the kernel keeps the APIC page to itself) this program
 *   - reads its APIC ID and version (reads go straight to the device);
 *   - sends itself the rescheduling IPI (vector 0xfd) by its physical APIC
 *     ID and checks /proc/interrupts' RES count went up: allowed IPIs work;
 *   - sends an INIT and a STARTUP to APIC ID 1, a fixed IPI to APIC 1 and an
 *     NMI to all-but-self: each must be refused by the hypervisor (its log
 *     says so; CPU 1 keeps running, which the test checks with the 'c'
 *     debug key).
 * Prints "sv-apic: PASS" when every step it can see from here held.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define APIC_PAGE   0xfee00000ul
#define APIC_ID     0x020
#define APIC_VER    0x030
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define ICR_BUSY    (1u << 12)
#define ICR_ASSERT  (1u << 14)
#define ICR_LEVEL   (1u << 15)
#define RESCHEDULE_VECTOR 0xfd      /* Linux's, arch/x86/include/asm/irq_vectors.h */

static volatile uint32_t *apic;

static uint32_t rd(unsigned int reg)
{
    return apic[reg / 4];
}

static void wr(unsigned int reg, uint32_t v)
{
    apic[reg / 4] = v;
}

/* ICR2 then ICR, as a kernel would, and wait for the send to finish. */
static void send(uint32_t dest, uint32_t lo)
{
    wr(APIC_ICR_HI, dest << 24);
    wr(APIC_ICR_LO, lo);
    for (int i = 0; i < 100000 && (rd(APIC_ICR_LO) & ICR_BUSY); i++)
        ;
}

/* CPU 0's count on /proc/interrupts' "RES:" line, or -1. */
static long res_count(void)
{
    FILE *f = fopen("/proc/interrupts", "r");
    char line[512];
    long n = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, " RES: %ld", &n) == 1)
            break;
    fclose(f);
    return n;
}

int main(void)
{
    int fd = open("/dev/mem", O_RDWR | O_SYNC);
    int ok = 1;

    if (fd < 0) {
        perror("sv-apic: /dev/mem");
        return 1;
    }
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, APIC_PAGE);
    if (p == MAP_FAILED) {
        perror("sv-apic: mmap of the APIC page (boot with iomem=relaxed)");
        return 1;
    }
    apic = p;
    uint32_t id = rd(APIC_ID) >> 24;
    printf("sv-apic: APIC ID %u, version %#x\n", id, rd(APIC_VER) & 0xff);

    long before = res_count();
    for (int i = 0; i < 10; i++)
        send(id, ICR_ASSERT | RESCHEDULE_VECTOR);
    usleep(100000);
    long after = res_count();
    printf("sv-apic: self IPIs: RES %ld -> %ld\n", before, after);
    if (before < 0 || after < before + 10) {
        printf("sv-apic: FAIL: the self IPIs did not arrive\n");
        ok = 0;
    }

    printf("sv-apic: sending INIT, STARTUP and a fixed IPI to APIC 1, NMI to all but self\n");
    fflush(stdout);
    send(1, (5u << 8) | ICR_LEVEL | ICR_ASSERT);            /* INIT, assert */
    send(1, (5u << 8) | ICR_LEVEL);                         /* INIT, de-assert */
    send(1, (6u << 8) | 0x08);                              /* STARTUP at 0x8000 */
    send(1, ICR_ASSERT | 0x30);                             /* fixed, vector 0x30 */
    send(0, (3u << 18) | (4u << 8) | ICR_ASSERT);           /* NMI, all but self */
    printf("sv-apic: sent; still running on APIC %u\n", rd(APIC_ID) >> 24);
    puts(ok ? "sv-apic: PASS" : "sv-apic: FAIL");
    return ok ? 0 : 1;
}

/*
 * dom0's IPIs from CPU 0 (see sv/ipi_guard.h).
 */
#include <sv/ipi_guard.h>

const char *ipi_guard_refusal(uint32_t icr_lo, uint32_t dest, bool x2apic, uint32_t own_id)
{
    uint32_t broadcast = x2apic ? 0xffffffffu : 0xffu;

    switch (ICR_MODE(icr_lo)) {
    case ICR_MODE_FIXED:
    case ICR_MODE_NMI:
        break;
    case ICR_MODE_INIT:
        return "INIT";
    case ICR_MODE_STARTUP:
        return "STARTUP";
    case ICR_MODE_SMI:
        return "SMI";
    case ICR_MODE_LOWEST:
        /* The APICs arbitrate the target: it may be one of ours. */
        return "lowest-priority delivery";
    default:
        return "reserved delivery mode";
    }
    switch (ICR_SHORTHAND(icr_lo)) {
    case ICR_SH_SELF:
        return NULL;
    case ICR_SH_ALL:
        return "shorthand all-including-self";
    case ICR_SH_ALL_BUT_SELF:
        return "shorthand all-excluding-self";
    default:
        break;
    }
    if ((icr_lo & ICR_LOGICAL) && x2apic) {
        /* x2APIC logical IDs are fixed by the APIC ID: a cluster (ID / 16)
         * in bits 16-31 and one bit of 16 below.  Only CPU 0's own bit. */
        if (dest >> 16 != own_id >> 4 || (dest & 0xffffu & ~(1u << (own_id & 15))))
            return "logical destination beyond CPU 0";
        return (dest & 0xffffu) ? NULL : "empty logical destination";
    }
    if (icr_lo & ICR_LOGICAL) {
        /* xAPIC: our CPUs keep logical ID 0 (apic.c), which no flat or
         * cluster destination matches; the all-ones broadcast is refused
         * anyway rather than trusting every implementation on that. */
        return dest == broadcast ? "logical broadcast" : NULL;
    }
    if (dest == broadcast)
        return "physical broadcast";
    return dest == own_id ? NULL : "another CPU";
}

/*
 * The PVH domain builder of the toolstack: from a kernel file, a ramdisk
 * and a few numbers to a paused domain ready to run, as Xen's libxl +
 * libxenguest do for a PVH guest:
 *
 *   create (paused, no memory) -> max_mem -> populate RAM -> load the ELF's
 *   PT_LOAD segments and the ramdisk through foreign mappings -> console
 *   and xenstore pages with an unbound event channel each (remote dom0),
 *   announced in HVM params -> e820 (XENMEM_set_memory_map) -> hvm_start_info
 *   -> vCPU 0 at XEN_ELFNOTE_PHYS32_ENTRY in 32-bit flat mode, %ebx = the
 *   start info.
 *
 * Guest-physical layout (memory = M bytes):
 *   [0, M - 2 pages)           RAM (e820 type 1)
 *   M - 2 pages                xenstore ring page   } e820 reserved
 *   M - 1 page                 console ring page    }
 *   0x1000 .. 0x4000           hvm_start_info, module list, memmap, cmdlines
 *   below the special pages    the ramdisk, page aligned
 * The ELF is checked by the same parser the hypervisor uses for dom0
 * (hypervisor/common/pvh_loader.c).
 */
#ifndef PVH_BUILD_H
#define PVH_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../libsvctl/svctl.h"

struct pvh_build_spec {
    const char *name;
    const char *kernel;                 /* path of a PVH ELF */
    const char *ramdisk;                /* NULL: none */
    const char *cmdline;                /* NULL: empty */
    uint64_t memory_mib, maxmem_mib;
    uint32_t vcpus, maxvcpus;
    bool hap;                           /* nested paging, else shadow */
    /* When not NULL, told each step before it is taken (xl -v). */
    void (*trace)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
};

struct pvh_build_result {
    domid_t domid;
    uint64_t console_gfn, store_gfn;
    uint32_t console_port, store_port;  /* ports in the new domain, remote dom0 */
    uint64_t kernel_entry, start_info;
};

/*
 * Build it; on success the domain exists, paused, with vCPU 0 ready.  On
 * failure the half-built domain is destroyed and err says what failed
 * ("kernel /x: not a PVH kernel (no XEN_ELFNOTE_PHYS32_ENTRY note)").
 */
int pvh_build(svctl *h, const struct pvh_build_spec *spec, struct pvh_build_result *res,
              char *err, size_t errlen);

#endif

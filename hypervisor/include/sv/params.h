/* The hypervisor command-line options (docs/command-line.md). */
#ifndef SV_PARAMS_H
#define SV_PARAMS_H

#include <sv/types.h>

extern bool opt_noreboot;
extern bool opt_shadow_audit;
extern bool opt_boot_guests;
extern unsigned long opt_maxcpus;
extern uint64_t opt_dom0_mem;           /* bytes; 0 = not given */
extern uint64_t opt_dom0_mem_max;       /* bytes; 0 = not given */
extern char opt_dom0_paging[8];         /* "hap" | "shadow" */
extern unsigned long opt_dom0_shadow_roots;     /* 0: the default */
extern char opt_after_boot[16];         /* "idle" | "poweroff" | "reboot" */
extern char opt_crash[16];              /* debug: "" | "pf" | "ud" | "de" | "gp" | "df" | "bug" */
extern char opt_loglvl[16];

/* Parse the command line into the options above; unknown ones are warned
 * about.  Returns the number of problems. */
int params_parse(const char *cmdline);

#endif

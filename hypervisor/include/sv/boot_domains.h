/*
 * Domains started at boot from multiboot2 modules (`boot_guests` on the
 * command line), while there is no toolstack: the test kernels and the
 * benchmark guest.  Each module's string configures its domain:
 *
 *   module2 /boot/svguest.elf name=pt paging=hap mem=64M -- tests=all
 *
 * name= (default "domN"), paging=shadow|hap (default shadow), mem= (default
 * 64M), cpu= (default: the next CPU after the boot CPU, round robin; domains
 * given the same CPU run one after the other), and everything after "--"
 * is the guest's command line.
 */
#ifndef SV_BOOT_DOMAINS_H
#define SV_BOOT_DOMAINS_H

#include <sv/types.h>

struct boot_info;
struct vcpu;

/* Build and start one domain per module on CPUs 1..N; returns how many started. */
unsigned int boot_domains_start(const struct boot_info *bi);
/* How many boot domains are still alive. */
unsigned int boot_domains_alive(void);
/* A domain starts running on this CPU (it may have waited in the queue). */
void boot_domain_running(struct vcpu *v);
/* A domain ended on this CPU: report what it cost and free it. */
struct domain;
void boot_domain_finished(struct domain *d);

#endif

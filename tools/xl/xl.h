/*
 * xl: splitvisor's xl-style command line (docs/toolstack.md).  Each command
 * is a function taking its own argc/argv (argv[0] = the command's name);
 * it returns 0 on success, 1 after printing one line on stderr.
 */
#ifndef XL_H
#define XL_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore.h>
#include "../libsvctl/svctl.h"

struct xl_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;                  /* after "xl NAME " */
    const char *help;                   /* one line */
};

/* Commands (xl_create.c, xl_info.c, xl_domain.c). */
int main_create(int argc, char **argv);
int main_list(int argc, char **argv);
int main_info(int argc, char **argv);
int main_dmesg(int argc, char **argv);
int main_domid(int argc, char **argv);
int main_domname(int argc, char **argv);
int main_uptime(int argc, char **argv);
int main_vcpu_list(int argc, char **argv);
int main_destroy(int argc, char **argv);
int main_pause(int argc, char **argv);
int main_unpause(int argc, char **argv);
int main_vcpu_pin(int argc, char **argv);
int main_console(int argc, char **argv);
/* PV devices (xl_devices.c). */
int main_block_attach(int argc, char **argv);
int main_block_detach(int argc, char **argv);
int main_block_list(int argc, char **argv);
int main_network_attach(int argc, char **argv);
int main_network_detach(int argc, char **argv);
int main_network_list(int argc, char **argv);
int main_top(int argc, char **argv);          /* xl_top.c */
int main_mem_set(int argc, char **argv);      /* xl_control.c */
int main_shutdown(int argc, char **argv);
int main_reboot(int argc, char **argv);

struct xlcfg;
/* Build, register and (unless paused) start a domain from a parsed config
 * (xl_create.c): 0 and *domid, or -1 with err set. */
int xl_build_domain(const struct xlcfg *cfg, bool paused, domid_t *domid, char *err, size_t errlen);
/* Destroy it, wait until it is freed, remove its xenstore entries
 * (xl_watch.c); err may be NULL. */
int xl_destroy_domain(domid_t dom, char *err, size_t errlen);
/* Fork the watcher that carries out on_poweroff/on_reboot/on_crash. */
void xl_start_watcher(struct xlcfg *cfg, domid_t dom);

/* Shared helpers (xl.c). */
/* xl list's state letters "rbpscd" ('-' for each flag not set). */
void xl_state_letters(const struct sv_domaininfo *d, char s[7]);
/* SHUTDOWN_* of <xen/sched.h> by name ("poweroff", ...). */
const char *xl_shutdown_reason_name(uint32_t reason);
extern bool xl_verbose;                 /* xl -v */
void xl_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int xl_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The control interface, opened once; exits with status 1 and the reason
 * when it cannot be. */
svctl *xl_ctl(void);
/* In a forked child: the handles above are the parent's; open new ones. */
void xl_reopen_after_fork(void);
/* xenstore, opened once; NULL if xenstored is not running (some commands
 * work without it). */
struct xs_handle *xl_xs(void);
/* The domain with that name: 0 and *dom, -ESRCH if none, or the listing's error. */
int xl_domain_by_name(const char *name, domid_t *dom);
/* A domain named by id or by name: 0 and *dom, or -1 after a message. */
int xl_find_domain(const char *arg, domid_t *dom);
/* The domain's name: xenstore's, else the hypervisor's; "Domain-0" for 0. */
void xl_domain_name(domid_t dom, const struct sv_domaininfo *info, char *buf, size_t size);
/* Handles -h/--help for a command whose only options are its operands:
 * returns 1 when help was printed (the caller returns 0). */
bool xl_help_requested(int argc, char **argv);
void xl_usage(const char *cmd, FILE *to);

#endif

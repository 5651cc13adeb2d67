/*
 * xl top: a live view of the domains, like Xen's xentop, with what our
 * hypervisor counts per vCPU (SV_DOMCTL_getcounters): VM exits by reason,
 * hypercalls by number, upcalls.
 *
 * Each frame is the difference between two samples.  A sample is the
 * domain list (cpu_time_ns, memory, flags) and, for each domain, its
 * counters; every rate is (this sample - the previous one) / the wall time
 * between them, measured per domain: CPU% against the time of the domain
 * list, the counters against the time they were read for that domain.
 *
 * The first frame: rather than a frame of "-", the first sample is taken
 * 0.25 s (or the delay, if shorter) before the first frame, so that even
 * `xl top -b -n 1` shows rates.  A domain with no earlier sample (created
 * since the last frame, or whose id was reused: its counters went back)
 * shows "-" for its rates until the next frame.
 *
 * Interactive (the default when stdout is a terminal): the screen is
 * cleared with ANSI codes each frame, 'q' quits, the terminal is put back
 * on exit and on SIGINT/SIGTERM (both end it with status 0).  Otherwise
 * (-b, or stdout not a terminal) frames follow one another, 1 unless -n,
 * each under a line "xl top: <time>".  Under each domain, its busiest
 * exit reasons of the interval, unless -b.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>                       /* isfinite (a macro: no -lm) */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"

#define MAX_DOMAINS 256
#define FIRST_SAMPLE_S 0.25             /* before the first frame */
#define TOP_EXITS 4                     /* exit reasons listed per domain */

/* The hypervisor's exit counters, as the control interface names them. */
static const char *const exit_names[] = SV_EXIT_NAMES;
#define NR_EXIT_NAMES (sizeof(exit_names) / sizeof(exit_names[0]))
#define EXIT_PAGE_FAULT SV_EXIT_PAGE_FAULT

_Static_assert(NR_EXIT_NAMES <= SV_NR_EXIT_COUNTERS, "exit names fit the counters");
_Static_assert(__HYPERVISOR_event_channel_op < SV_NR_HCALL_COUNTERS, "counted");
_Static_assert(__HYPERVISOR_grant_table_op < SV_NR_HCALL_COUNTERS, "counted");

/* One domain in one sample. */
struct dom_sample {
    struct sv_domaininfo info;
    bool counted;                       /* the counters below were read */
    uint32_t nr_exits;
    uint64_t exits[SV_NR_EXIT_COUNTERS];        /* summed over its vCPUs */
    uint64_t hcalls, evtchn_ops, gnttab_ops;    /* the domain's (not per vCPU) */
    uint64_t upcalls;                           /* summed over its vCPUs */
    double counters_at;                 /* monotonic seconds when read */
};

struct sample {
    int n;
    double list_at;                     /* monotonic seconds of the domain list */
    struct dom_sample d[MAX_DOMAINS];
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A domain's counters, its vCPUs' summed.  Hypercall counts are kept per
 * domain by the hypervisor and come back the same with every vCPU: they
 * are taken once, from vCPU 0.  false if the domain went away meanwhile. */
static bool read_counters(domid_t dom, uint32_t nr_vcpus, struct dom_sample *s)
{
    struct sv_counters c;

    s->nr_exits = 0;
    memset(s->exits, 0, sizeof(s->exits));
    s->hcalls = s->evtchn_ops = s->gnttab_ops = s->upcalls = 0;
    for (uint32_t v = 0; v < nr_vcpus; v++) {
        if (svctl_counters(xl_ctl(), dom, v, &c))
            return false;
        if (c.nr_exits > SV_NR_EXIT_COUNTERS)
            c.nr_exits = SV_NR_EXIT_COUNTERS;
        if (c.nr_exits > s->nr_exits)
            s->nr_exits = c.nr_exits;
        for (uint32_t i = 0; i < c.nr_exits; i++)
            s->exits[i] += c.exits[i];
        s->upcalls += c.upcalls;
        if (v == 0) {
            for (unsigned int i = 0; i < SV_NR_HCALL_COUNTERS; i++)
                s->hcalls += c.hypercalls[i];
            s->evtchn_ops = c.hypercalls[__HYPERVISOR_event_channel_op];
            s->gnttab_ops = c.hypercalls[__HYPERVISOR_grant_table_op];
        }
    }
    s->counters_at = now_s();
    return true;
}

/* 0, or -1 after a message. */
static int take_sample(struct sample *s)
{
    static struct sv_domaininfo list[MAX_DOMAINS];
    int n = svctl_domain_list(xl_ctl(), 0, list, MAX_DOMAINS);

    if (n < 0)
        return xl_fail("cannot list domains: %s", svctl_strerror(n)), -1;
    s->list_at = now_s();
    s->n = n;
    for (int i = 0; i < n; i++) {
        s->d[i].info = list[i];
        /* A domain destroyed since the list is simply shown without rates. */
        s->d[i].counted = read_counters(list[i].domid, list[i].nr_vcpus, &s->d[i]);
    }
    return 0;
}

static const struct dom_sample *find_prev(const struct sample *prev, const struct dom_sample *d)
{
    for (int i = 0; prev && i < prev->n; i++) {
        const struct dom_sample *p = &prev->d[i];

        if (p->info.domid != d->info.domid)
            continue;
        /* The same id, another domain (destroyed and created again)? */
        if (strncmp(p->info.name, d->info.name, sizeof(p->info.name)) ||
            p->info.cpu_time_ns > d->info.cpu_time_ns)
            return NULL;
        return p;
    }
    return NULL;
}

/* The previous sample's counters, if they can be subtracted from d's. */
static bool counters_comparable(const struct dom_sample *p, const struct dom_sample *d)
{
    if (!p || !p->counted || !d->counted || d->counters_at <= p->counters_at)
        return false;
    for (unsigned int i = 0; i < SV_NR_EXIT_COUNTERS; i++)
        if (d->exits[i] < p->exits[i])
            return false;
    return d->hcalls >= p->hcalls && d->upcalls >= p->upcalls;
}

/* The rate columns of d against pc, its comparable earlier sample
 * (NULL: "-" in each). */
enum { COL_EXITS, COL_PF, COL_HCALLS, COL_EVTCHN, COL_GNT, COL_UPCALLS, NR_RATE_COLS };

static void rate_columns(const struct dom_sample *d, const struct dom_sample *pc,
                         char col[NR_RATE_COLS][24])
{
    if (!pc) {
        for (int i = 0; i < NR_RATE_COLS; i++)
            snprintf(col[i], sizeof(col[i]), "-");
        return;
    }
    double dt = d->counters_at - pc->counters_at;
    uint64_t now[NR_RATE_COLS] = { 0, d->exits[EXIT_PAGE_FAULT], d->hcalls, d->evtchn_ops,
                                   d->gnttab_ops, d->upcalls };
    uint64_t then[NR_RATE_COLS] = { 0, pc->exits[EXIT_PAGE_FAULT], pc->hcalls, pc->evtchn_ops,
                                    pc->gnttab_ops, pc->upcalls };

    for (unsigned int k = 0; k < SV_NR_EXIT_COUNTERS; k++) {
        now[COL_EXITS] += d->exits[k];
        then[COL_EXITS] += pc->exits[k];
    }
    for (int i = 0; i < NR_RATE_COLS; i++)
        snprintf(col[i], sizeof(col[i]), "%.0f", (double)(now[i] - then[i]) / dt);
}

static const char *exit_name(unsigned int i, char *buf, size_t size)
{
    if (i < NR_EXIT_NAMES)
        return exit_names[i];
    snprintf(buf, size, "exit%u", i);
    return buf;
}

/* "    exits/s: npf 1200  hlt 310  ioio 25  intr 4": the busiest reasons. */
static void print_top_exits(const struct dom_sample *d, const struct dom_sample *p)
{
    uint64_t delta[SV_NR_EXIT_COUNTERS];
    bool shown[SV_NR_EXIT_COUNTERS] = { false };
    int printed = 0;

    if (!p) {
        printf("    exits/s: -\n");
        return;
    }
    double dt = d->counters_at - p->counters_at;
    for (unsigned int i = 0; i < SV_NR_EXIT_COUNTERS; i++)
        delta[i] = i < d->nr_exits ? d->exits[i] - p->exits[i] : 0;
    printf("    exits/s:");
    for (int k = 0; k < TOP_EXITS; k++) {
        unsigned int best = SV_NR_EXIT_COUNTERS;
        char num[16];

        for (unsigned int i = 0; i < SV_NR_EXIT_COUNTERS; i++)
            if (!shown[i] && delta[i] && (best == SV_NR_EXIT_COUNTERS || delta[i] > delta[best]))
                best = i;
        if (best == SV_NR_EXIT_COUNTERS)
            break;
        shown[best] = true;
        printf("%s %s %.0f", printed ? " " : "", exit_name(best, num, sizeof(num)),
               (double)delta[best] / dt);
        printed++;
    }
    printf("%s\n", printed ? "" : " none");
}

/* -b leaves out each domain's busiest exit reasons. */
static void print_frame(const struct sample *cur, const struct sample *prev, bool batch)
{
    char when[64];
    time_t t = time(NULL);
    struct tm tm;
    struct sv_physinfo pi;

    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
    printf("xl top: %s\n", when);
    if (svctl_physinfo(xl_ctl(), &pi) == 0)
        printf("%d domains; memory: %llu MiB total, %llu MiB free; %u CPUs; over %.2f s\n",
               cur->n, (unsigned long long)pi.total_pages / 256,
               (unsigned long long)pi.free_pages / 256, pi.nr_cpus,
               prev ? cur->list_at - prev->list_at : 0.0);
    printf("%-16s %5s %6s %6s %8s %5s %8s %7s %8s %8s %7s %9s\n", "NAME", "ID", "STATE", "CPU(%)",
           "MEM(MiB)", "VCPUS", "EXITS/s", "PF/s", "HCALLS/s", "EVTCHN/s", "GNT/s", "UPCALLS/s");
    for (int i = 0; i < cur->n; i++) {
        const struct dom_sample *d = &cur->d[i];
        const struct dom_sample *p = find_prev(prev, d);
        const struct dom_sample *pc = counters_comparable(p, d) ? p : NULL;
        double dt_list = p ? cur->list_at - prev->list_at : 0;
        char name[80], st[7], cpu[16], col[NR_RATE_COLS][24];

        xl_domain_name(d->info.domid, &d->info, name, sizeof(name));
        xl_state_letters(&d->info, st);
        if (p && dt_list > 0)
            snprintf(cpu, sizeof(cpu), "%.1f",
                     (double)(d->info.cpu_time_ns - p->info.cpu_time_ns) / 1e9 / dt_list * 100);
        else
            snprintf(cpu, sizeof(cpu), "-");
        rate_columns(d, pc, col);
        printf("%-16.16s %5u %6s %6s %8llu %5u %8s %7s %8s %8s %7s %9s\n", name, d->info.domid, st,
               cpu, (unsigned long long)d->info.tot_pages / 256, d->info.nr_vcpus, col[COL_EXITS],
               col[COL_PF], col[COL_HCALLS], col[COL_EVTCHN], col[COL_GNT], col[COL_UPCALLS]);
        if (!batch)
            print_top_exits(d, pc);
    }
}

/* ---- the terminal, in interactive mode ---- */

static struct termios saved_termios;
static bool termios_saved;
static volatile sig_atomic_t stop_signal;
static bool keys_readable;              /* stdin is the terminal, in non-canonical mode */

static void restore_terminal(void)
{
    if (termios_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
        termios_saved = false;
    }
}

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

static void setup_terminal(void)
{
    struct sigaction sa;
    struct termios raw;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;                    /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios))
        return;                         /* no keys to read: signals still stop it */
    termios_saved = keys_readable = true;
    atexit(restore_terminal);
    raw = saved_termios;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

/* Wait up to seconds; true if the user asked to quit ('q', or a signal). */
static bool wait_or_quit(double seconds, bool interactive)
{
    double until = now_s() + seconds;

    for (;;) {
        double left = until - now_s();

        if (stop_signal)
            return true;
        if (left <= 0)
            return false;
        if (interactive && keys_readable) {
            struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
            char c;

            if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
                continue;               /* timeout, or EINTR: looked at above */
            ssize_t r = read(STDIN_FILENO, &c, 1);
            if (r == 1 && (c == 'q' || c == 'Q'))
                return true;
            if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
                keys_readable = false;  /* hung up: just wait from now on */
        } else {
            struct timespec ts = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

            nanosleep(&ts, NULL);       /* EINTR: the loop looks at stop_signal */
        }
    }
}

/* ---- the command ---- */

static int parse_delay(const char *s, double *out)
{
    char *end;
    double d;

    errno = 0;
    d = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(d) || d < 0.1 || d > 86400)
        return -1;
    *out = d;
    return 0;
}

int main_top(int argc, char **argv)
{
    static struct sample samples[2];
    bool batch = false, interactive;
    double delay = 1.0;
    long frames = -1;                   /* -1: the mode's default */
    int opt;

    if (xl_help_requested(argc, argv))
        return 0;
    opterr = 0;
    while ((opt = getopt(argc, argv, ":bd:n:")) != -1) {
        char *end;

        switch (opt) {
        case 'b':
            batch = true;
            break;
        case 'd':
            if (parse_delay(optarg, &delay))
                return xl_fail("top: -d '%s': a number of seconds, 0.1 to 86400, expected",
                               optarg);
            break;
        case 'n':
            errno = 0;
            frames = strtol(optarg, &end, 10);
            if (!*optarg || *end || errno || frames < 1)
                return xl_fail("top: -n '%s': a number of frames (1 or more) expected", optarg);
            break;
        case ':':
            return xl_fail("top: option -%c needs a value", optopt);
        default:
            return xl_fail("top: unknown option '-%c' (xl top --help)", optopt);
        }
    }
    if (optind < argc)
        return xl_fail("top: unexpected argument '%s' (xl top --help)", argv[optind]);
    interactive = !batch && isatty(STDOUT_FILENO);
    if (frames < 0)
        frames = interactive ? 0 : 1;   /* 0: until 'q' */

    xl_ctl();                           /* its error before the terminal changes */
    if (take_sample(&samples[0]))
        return 1;
    if (interactive)
        setup_terminal();
    if (wait_or_quit(delay < FIRST_SAMPLE_S ? delay : FIRST_SAMPLE_S, interactive))
        goto out;
    for (long frame = 0, cur = 1; !frames || frame < frames; frame++, cur ^= 1) {
        if (take_sample(&samples[cur])) {
            restore_terminal();
            return 1;
        }
        if (interactive)
            printf("\033[H\033[2J");
        print_frame(&samples[cur], &samples[cur ^ 1], batch);
        if (interactive)
            printf("\n(q quits)\n");
        else if (frames != 1)
            putchar('\n');
        fflush(stdout);
        if ((!frames || frame + 1 < frames) && wait_or_quit(delay, interactive))
            break;
    }
out:
    restore_terminal();
    return 0;
}

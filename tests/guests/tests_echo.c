/*
 * echo: console input through the PV console ring (xencons.c), only by
 * name and only in a domain the toolstack built with a console (`xl
 * create`; a boot module has no ring and fails at once).  It prints
 * "svguest: type a line", then echoes every line that comes in in[] as
 * "svguest: echo: <line>" until the line "quit" (echoed too), and passes.
 *
 * A line ends at CR, LF or CR LF (`xl console` puts the terminal in raw
 * mode, so Enter sends CR; a script may send LF).  DEL and BS take back
 * the last byte; typed bytes are not echoed one by one, so what comes out
 * is only the echo lines.  Lines longer than LINE_MAX bytes are cut
 * (and the line says how many bytes were dropped).  Each wait for input is
 * bounded: 60 s without a byte fails the test; echo_wait=S on the command
 * line changes that (0: wait for ever, as the demo domain does).  The wait
 * blocks in the hypervisor (SCHEDOP_block, woken by the console's event
 * channel) once event channels are set up; otherwise it yields.
 */
#include "xen_events.h"             /* first: Xen's headers need <stdint.h> */

#define LINE_MAX        160
#define INPUT_WAIT_S    60

static bool input_ready(void *arg)
{
    (void)arg;
    return xencons_has_input();
}

/* echo_wait=SECONDS, default INPUT_WAIT_S; 0 = no limit. */
static uint64_t wait_ms(void)
{
    const char *v;
    size_t n;
    uint64_t s = 0;

    if (!cmdline_get("echo_wait", &v, &n) || !n)
        return INPUT_WAIT_S * 1000ull;
    for (size_t i = 0; i < n && v[i] >= '0' && v[i] <= '9'; i++)
        s = s * 10 + (uint64_t)(v[i] - '0');
    return s * 1000;
}

const char *test_echo(void)
{
    if (!xencons_active())
        return fail("needs the PV console ring (HVM_PARAM_CONSOLE_PFN is 0: not a domain built "
                    "with a console)");
    uint64_t limit = wait_ms();
    bool block = xev_init() == NULL;    /* shared_info and upcalls: sleep, not spin */
    kprintf("svguest: type a line\n");

    char line[LINE_MAX + 1];
    size_t len = 0, dropped = 0;
    unsigned int lines = 0;
    bool after_cr = false;
    for (;;) {
        if (!(block ? xev_wait(input_ready, NULL, true, limit)
                    : xencons_wait_input(limit ? limit : UINT64_MAX / 4)))
            return fail("no input for %lu s (%u lines echoed, no \"quit\")",
                        (unsigned long)(limit / 1000), lines);
        char buf[64];
        int n = xencons_read(buf, sizeof(buf));
        if (n < 0)
            return fail("the console ring's in[] indexes are broken");
        for (int i = 0; i < n; i++) {
            char c = buf[i];
            bool was_cr = after_cr;
            after_cr = c == '\r';
            if (c == '\n' && was_cr)
                continue;               /* CR LF: one end of line */
            if (c == '\r' || c == '\n') {
                line[len] = '\0';
                if (dropped)
                    kprintf("svguest: echo: %s [%zu more bytes dropped]\n", line, dropped);
                else
                    kprintf("svguest: echo: %s\n", line);
                lines++;
                if (!dropped && len == 4 && !memcmp(line, "quit", 4))
                    return NULL;
                len = dropped = 0;
            } else if (c == 0x7f || c == 0x08) {
                if (dropped)
                    dropped--;
                else if (len)
                    len--;
            } else if (len < LINE_MAX) {
                line[len++] = c;
            } else {
                dropped++;
            }
        }
    }
}

/*
 * Input on the hypervisor's serial console goes to dom0 (its hvc0) or to
 * us (the debug keys); Ctrl-A pressed three times switches, as in Xen.
 * Polled from the scheduler CPUs' ticks; dom0 hears VIRQ_CONSOLE and
 * reads with CONSOLEIO_read.
 */
#ifndef SV_CONSOLE_INPUT_H
#define SV_CONSOLE_INPUT_H

#include <sv/types.h>

struct domain;

/* From now on input goes to d (dom0), until Ctrl-A x3. */
void console_input_to(struct domain *d);
/* Take what the UART has; any CPU may call it, one at a time gets it. */
void console_input_poll(void);
/* Up to n bytes of dom0's input. */
size_t console_input_read(char *buf, size_t n);

#endif

/* The 16550 UART on COM1 that the hypervisor owns. */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#include <sv/types.h>

void serial_init(void);
void serial_write(const char *s, size_t len);   /* a console sink */
int serial_getc(void);                          /* -1 when nothing waits */

#endif

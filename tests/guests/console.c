/*
 * Console and exit.  Under Xen (hypercall page installed) output goes to
 * the PV console ring when the toolstack gave us one (xencons.c), else
 * through HYPERVISOR_console_io, and exit is SCHEDOP_shutdown
 * (hypercall.c), after the backend has read the ring (2 s at most).  Bare, output goes to COM1, a 16550 at 0x3f8 programmed
 * for 115200 8N1, and exit writes to QEMU's isa-debug-exit device
 * (iobase 0xf4): QEMU exits with status (value << 1) | 1, so 1 means
 * "all passed" and 3 "crash"; a reboot resets the machine through the
 * PCI reset control register (0xcf9) or, failing that, the keyboard
 * controller (0x64).  Without those devices we halt for good.
 */
#include "svguest.h"

#define COM1        0x3f8
#define UART_THR    0   /* transmit holding (DLAB=0) */
#define UART_DLL    0   /* divisor latch low (DLAB=1) */
#define UART_IER    1
#define UART_DLM    1
#define UART_FCR    2
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5
#define LSR_THRE    0x20
#define DEBUG_EXIT_PORT 0xf4
#define RESET_CONTROL   0xcf9       /* PIIX/ICH: 0x06 = full reset now */
#define KBC_COMMAND     0x64        /* 0xfe: pulse the reset line */
#define DRAIN_MS        2000

static bool serial_ready;

void console_init(void)
{
    if (xen_present)
        return;
    outb(COM1 + UART_IER, 0x00);        /* no interrupts */
    outb(COM1 + UART_LCR, 0x80);        /* DLAB */
    outb(COM1 + UART_DLL, 1);           /* 115200 = 1.8432 MHz / 16 / 1 */
    outb(COM1 + UART_DLM, 0);
    outb(COM1 + UART_LCR, 0x03);        /* 8N1 */
    outb(COM1 + UART_FCR, 0xc7);        /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, 0x03);        /* DTR, RTS */
    serial_ready = true;
}

static void serial_putc(char c)
{
    for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(COM1 + UART_THR, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
    if (xen_present) {
        if (!xencons_write(s, n))
            xen_console_write(s, n);
        return;
    }
    if (!serial_ready)
        return;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

int kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return n;
}

_Noreturn void shutdown_as(enum exit_kind how)
{
    if (xen_present) {
        xencons_drain(DRAIN_MS);    /* the last lines, before the domain goes */
        xen_shutdown(how);
    }
    if (how == EXIT_REBOOT) {
        outb(RESET_CONTROL, 0x06);
        outb(KBC_COMMAND, 0xfe);
        kprintf("svguest: no reset through 0xcf9 or 0x64; halting\n");
    } else {
        outb(DEBUG_EXIT_PORT, how == EXIT_POWEROFF ? 0 : 1);
        kprintf("svguest: no isa-debug-exit device; halting\n");
    }
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void shutdown(bool ok)
{
    shutdown_as(ok ? EXIT_POWEROFF : EXIT_CRASH);
}

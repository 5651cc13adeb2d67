/*
 * 16550 UART on COM1 (I/O 0x3f8), 115200 baud 8n1, polled.  Polling keeps
 * the panic path working with interrupts off; the FIFO keeps it fast.
 */
#include <asm/cpu.h>
#include <asm/serial.h>
#include <sv/machine.h>

#define COM1     0x3f8
#define UART_THR 0      /* transmit holding (DLAB=0) */
#define UART_RBR 0      /* receive buffer (DLAB=0) */
#define UART_DLL 0      /* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1      /* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR   0x01   /* data ready */
#define LSR_THRE 0x20   /* transmit holding register empty */
#define LCR_DLAB 0x80
#define LCR_8N1  0x03

static bool serial_present;

void serial_init(void)
{
    const unsigned int divisor = 115200 / 115200;

    outb(COM1 + UART_IER, 0);               /* polled: no UART interrupts */
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DLL, divisor & 0xff);
    outb(COM1 + UART_DLM, divisor >> 8);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0xc7);            /* enable + clear FIFOs, 14-byte trigger */
    outb(COM1 + UART_MCR, 0x03);            /* DTR, RTS */
    /* A floating bus reads 0xff: then there is no UART to wait for. */
    serial_present = inb(COM1 + UART_LSR) != 0xff;
}

static void serial_putc(char c)
{
    for (unsigned int spins = 0; !(inb(COM1 + UART_LSR) & LSR_THRE); spins++)
        if (spins > 1000000)
            return;                         /* a wedged UART must not hang us */
    outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t len)
{
    if (!serial_present)
        return;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

int serial_getc(void)
{
    if (!serial_present || !(inb(COM1 + UART_LSR) & LSR_DR))
        return -1;
    return inb(COM1 + UART_RBR);
}

bool machine_port_is_ours(uint64_t first, uint64_t last)
{
    return first <= COM1 + 7 && last >= COM1;
}

/* panic(): see sv/panic.h.  Only the first CPU to panic reports. */
#include <sv/fmt.h>
#include <sv/machine.h>
#include <sv/panic.h>
#include <sv/params.h>
#include <sv/printk.h>

static volatile int panicking;

bool panic_in_progress(void)
{
    return panicking != 0;
}

void panic(const char *fmt, ...)
{
    static char msg[256];
    va_list ap;

    __asm__ volatile("cli");
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
        machine_halt();             /* someone else is already reporting */

    unsigned int stopped = smp_send_stop();
    printk_force_unlock();

    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    printk(LOG_ERR "****************************************\n");
    printk(LOG_ERR "Panic: %s\n", msg);
    printk(LOG_ERR "****************************************\n");
    printk(LOG_ERR "Panic: %u other CPUs stopped\n", stopped);

    if (opt_noreboot) {
        printk(LOG_ERR "Manual reset required ('noreboot' specified)\n");
        machine_halt();
    }
    printk(LOG_ERR "Reboot in five seconds...\n");
    mdelay(5000);
    machine_restart();
}
